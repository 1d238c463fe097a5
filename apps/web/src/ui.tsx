import type { ComponentChildren } from 'preact';
import { ApiError } from './api';

/** A labelled form field with the API's reason for it, if it refused it, read out with the field. */
export function Field(props: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && <span class="hint">{props.hint}</span>}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A failure in words: what the API said, with its code. */
export function Failure(props: { error: unknown }) {
  if (!props.error) return null;
  const e = props.error;
  const text = e instanceof ApiError ? `${e.message} (${e.status ? `${e.status} ` : ''}${e.code})` : String((e as Error).message ?? e);
  return (
    <p class="failure" role="alert" data-testid="failure">
      {text}
    </p>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {props.what}…
    </p>
  );
}

/** A headline figure. */
export function Figure(props: { label: string; value: string; testId?: string; note?: string }) {
  return (
    <div class="figure">
      <span class="figure-label">{props.label}</span>
      <span class="figure-value" data-testid={props.testId}>
        {props.value}
      </span>
      {props.note && <span class="figure-note">{props.note}</span>}
    </div>
  );
}

/** A wide table's own scrolling box, reachable by keyboard so that its overflow can be scrolled. */
export function Scroll(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}

/** Hands a file to the browser's downloads (a CSV built here, a PDF the API answered). */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
