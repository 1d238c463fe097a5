import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/** A request exactly as it goes on the wire: the path is not normalised (`..` stays `..`). */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The client address to send from (127.0.0.x): the anonymous rate limit is per address. */
  localAddress?: string;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The JSON body, when it is JSON. */
  json?: unknown;
  ms: number;
  /** Set when no answer came: a reset, a refused connection, or no answer within the time limit. */
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/**
 * Sends one request and waits for the whole answer, at most `timeoutMs`. An event stream that
 * opens (text/event-stream) is closed as soon as its headers arrive: its status is the answer.
 */
export function send(base: URL, req: RawRequest, timeoutMs = 20_000): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, ms: performance.now() - started });
    };
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const headers = { ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) };
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request(
        { host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent, localAddress: req.localAddress },
        (res) => {
          if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
            res.destroy();
            done({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => done({ status: res.statusCode ?? 0, headers: res.headers, text: '', error: `answer cut: ${error.message}` }));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            if (String(res.headers['content-type'] ?? '').includes('json')) {
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
            }
            done({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
    } catch (error) {
      // The client itself refused to send it (a header Node will not write): not the server's doing.
      resolve({ status: -1, headers: {}, text: '', ms: 0, error: `not sent: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      done({ status: 0, headers: {}, text: '', error: `no answer in ${timeoutMs} ms` });
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on('error', (error) => done({ status: 0, headers: {}, text: '', error: error.message }));
    outgoing.end(body);
  });
}

/** Closes the kept-alive sockets. */
export function closeConnections(): void {
  agent.destroy();
}
