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
  const body = (result.error ?? {}) as Partial<Schemas['ErrorBody']>;
  throw new ApiError(result.response.status, body.code ?? `HTTP_${result.response.status}`, body.message ?? result.response.statusText, body.errors ?? []);
}

const KEY = 'fundsim.key';

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

/**
 * Server-sent events through fetch (EventSource cannot send the key): calls `onMessage` with each
 * message's id and data until `signal` aborts.
 */
export async function followEvents(url: string, signal: AbortSignal, onMessage: (id: string, data: string) => void): Promise<void> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${session.key}`, Accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new ApiError(response.status, `HTTP_${response.status}`, `The live stream did not open (${response.status})`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const fields = Object.fromEntries(
        buffer
          .slice(0, end)
          .split('\n')
          .filter((line) => !line.startsWith(':') && line.includes(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
      );
      buffer = buffer.slice(end + 2);
      if (fields.data !== undefined) onMessage(fields.id ?? '', fields.data);
    }
  }
}
