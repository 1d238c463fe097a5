import { apiClient, type ApiClient, type Schemas } from '@fundsim/api-client';

export type { Schemas };

/** An answer of the API that is not a success: its status, code, message and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
  /** The reason given for one field of a form, if any. */
  reasonFor(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.reason;
  }
}

/** The data of a typed call, or an ApiError with what the API said (or that it could not be reached). */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (error) {
    throw new ApiError(0, 'NETWORK', `The API did not answer (${(error as Error).message})`);
  }
  if (result.response.ok && result.data !== undefined) return result.data;
  // The key no longer works (revoked, say): back to the sign-in.
  if (result.response.status === 401) dispatchEvent(new Event(SIGNED_OUT));
  const body = (result.error ?? {}) as Partial<Schemas['ErrorBody']>;
  throw new ApiError(result.response.status, body.code ?? `HTTP_${result.response.status}`, body.message ?? result.response.statusText, body.errors ?? []);
}

const KEY = 'fundsim.key';
/** Dispatched on window when the API refuses the key (401). */
export const SIGNED_OUT = 'fundsim:signed-out';

/** The signed-in key (this browser tab only) and the client that acts with it. */
export const session = {
  get key(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  set key(value: string | undefined) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
  client(): ApiClient {
    return apiClient(location.origin, this.key);
  },
};

/** One server-sent message: its event name, id (the last one given) and data (its data lines joined). */
export interface SseMessage {
  event: string;
  id: string;
  data: string;
}

/** Parses a server-sent event stream's text as it arrives (the WHATWG rules), calling `onMessage` per message. */
export function sseParser(onMessage: (message: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let lastId = '';
  let event = '';
  let data: string[] | undefined;
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    // The last piece is a line not yet ended (or ''), kept for the next chunk.
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data !== undefined) onMessage({ event: event || 'message', id: lastId, data: data.join('\n') });
        event = '';
        data = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') (data ??= []).push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') lastId = value;
    }
  };
}

/**
 * Server-sent events through fetch (EventSource cannot send the key), kept open: when the
 * connection drops it reconnects after a growing pause, resuming after the last id it got
 * (`Last-Event-ID`). `onState` says whether it is connected. Stops when `signal` aborts.
 */
export async function followEvents(
  url: string,
  signal: AbortSignal,
  onMessage: (message: SseMessage) => void,
  onState: (connected: boolean) => void,
): Promise<void> {
  let lastId: string | undefined;
  for (let pause = 1000; !signal.aborted; pause = Math.min(pause * 2, 30_000)) {
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${session.key}`, Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) },
        signal,
      });
      if (response.status === 401 || response.status === 403) throw new ApiError(response.status, `HTTP_${response.status}`, 'The live stream was refused');
      if (response.ok && response.body) {
        onState(true);
        pause = 1000;
        const parse = sseParser((message) => {
          lastId = message.id || lastId;
          onMessage(message);
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
      }
    } catch (error) {
      if (signal.aborted || error instanceof ApiError) throw error;
    }
    onState(false);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** A fund as GET /funds lists it: its terms' names and its life in the books. */
export type Fund = Schemas['FundSummaries'][number];
