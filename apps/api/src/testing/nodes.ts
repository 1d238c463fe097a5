import { readFileSync } from 'node:fs';
import { startApi, type RunningApi } from './server';

/** What a node answered: its status and body, or the request never got an answer (the node died). */
export interface Answer {
  status: number;
  body: { code?: string; written?: boolean; position?: number; events?: unknown[] } & Record<string, unknown>;
}

/** One API process, spoken to over HTTP with the demo principals' keys. */
export class Node {
  constructor(
    readonly name: string,
    readonly api: RunningApi,
    private readonly keys: Record<string, string>,
  ) {}

  auth(who: string): Record<string, string> {
    if (!this.keys[who]) throw new Error(`no key for ${who}`);
    return { Authorization: `Bearer ${this.keys[who]}` };
  }

  async post(path: string, who: string, body: object, idempotencyKey?: string): Promise<Answer> {
    const headers: Record<string, string> = { ...this.auth(who), 'Content-Type': 'application/json' };
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    const response = await fetch(`${this.api.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  async get<T>(path: string, who = 'auditor'): Promise<T> {
    const response = await fetch(`${this.api.url}${path}`, { headers: this.auth(who) });
    if (response.status !== 200) throw new Error(`${this.name} GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /**
   * The fund's balance sheet as server-sent events: each message's id (a log position) and sheet,
   * as they come; `close()` ends the stream.
   */
  async balanceSheetStream(fundId: string, asOf: string): Promise<{ sheets: { id: number; sheet: unknown }[]; close(): void }> {
    const controller = new AbortController();
    const response = await fetch(`${this.api.url}/funds/${fundId}/balance-sheet/stream?asOf=${asOf}`, {
      signal: controller.signal,
      headers: this.auth('auditor'),
    });
    if (response.status !== 200) throw new Error(`${this.name} stream: ${response.status}`);
    const sheets: { id: number; sheet: unknown }[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const data = lines.find((l) => l.startsWith('data: '));
          const id = lines.find((l) => l.startsWith('id: '));
          if (data && id) sheets.push({ id: Number(id.slice(4)), sheet: JSON.parse(data.slice(6)) });
        }
      }
    })().catch(() => undefined);
    return { sheets, close: () => controller.abort() };
  }
}

/** The keys a node wrote to `file` when it found the store empty, by subject (role for those without one). */
export function keysIn(file: string): Record<string, string> {
  const issued = JSON.parse(readFileSync(file, 'utf8')) as { role: string; subject: string | null; key: string }[];
  return Object.fromEntries(issued.map((k) => [k.subject ?? k.role, k.key]));
}

/**
 * `count` API processes on one store: the first alone (it finds the store empty and writes the
 * demo principals' keys to `keysFile`, loading no demo), then the others together.
 */
export async function startNodes(store: string, count: number, keysFile: string): Promise<Node[]> {
  const env = { FUNDSIM_STORE: store, FUNDSIM_DEMO: 'off', FUNDSIM_DEMO_KEYS: keysFile, FUNDSIM_REQUEST_LOG: 'off' };
  const first = await startApi(env);
  const rest = await Promise.allSettled(Array.from({ length: count - 1 }, () => startApi(env)));
  const started = [first, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
  const failed = rest.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((api) => api.stop()));
    throw failed.reason;
  }
  const keys = keysIn(keysFile);
  return started.map((api, i) => new Node(String.fromCharCode(65 + i), api, keys));
}

/** Polls `read` until it answers `true`, or fails after `timeoutMs` with what `describe` says. */
export async function eventually(read: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
