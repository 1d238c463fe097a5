import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { parseNonNegativeInt, type Command } from '../command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the HTTP API (same as npm start)',
  usage: 'fundsim serve [--port N]',
  needsStore: false,
  options: { port: { type: 'string', value: 'N', description: 'port to listen on (default $PORT or 3000)' } },
  async run(values) {
    const port = parseNonNegativeInt(values.port, 'port');
    const env = port === undefined ? process.env : { ...process.env, PORT: String(port) };
    // The API is an app of its own: started as a process beside this one, never imported (apps do
    // not import each other). It owns its store connection and runs until stopped; a signal to
    // this process is passed on, and its exit code is this command's.
    const api = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'api', 'src', 'main.js')], { stdio: 'inherit', env });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => api.kill(signal));
    return new Promise<number>((resolve) => api.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))));
  },
};
