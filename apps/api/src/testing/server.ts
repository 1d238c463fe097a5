import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The built API: beside this file once compiled (a bench), in dist from the sources (a test). */
export const MAIN = __filename.endsWith('.js')
  ? join(__dirname, '..', 'main.js')
  : join(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

/** The built API (`npm start`) in a child process, on a port the system chooses. */
export interface RunningApi {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts dist/apps/api/src/main.js with `env` (PORT=0 unless given) and waits until it listens. */
export async function startApi(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningApi> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', ...env } });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /fundsim API listening on (http:\/\/\S+)/.exec(output);
      if (listening && output.includes('API docs')) (clearTimeout(timer), resolve(listening[1].replace('localhost', '127.0.0.1')));
    });
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`exited ${code}:\n${output}`))));
  });
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      // Exited, or killed by a signal (SIGKILL: no exit code).
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
