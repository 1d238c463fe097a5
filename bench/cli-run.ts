import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

const cli = join(__dirname, '..', 'apps', 'cli', 'src', 'main.js');
const rssReporter = join(__dirname, 'report-rss.js');

export interface CliRun {
  ms: number;
  rssMiB: number;
  bytes: number;
}

/** Runs the built CLI on the SQLite store at `store` in a child process, stdout to `output`; returns its time, peak RSS and output size. */
export function runCli(store: string, args: string[], output: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const fd = openSync(output, 'w');
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', rssReporter, cli, ...args, '--store', `sqlite:${store}`], {
      stdio: ['ignore', fd, 'pipe'],
      env: { ...process.env, FUNDSIM_CLI_MAIN: '1' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      closeSync(fd);
      const rss = /peak-rss-kib (\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`fundsim ${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ ms: performance.now() - started, rssMiB: Number(rss[1]) / 1024, bytes: statSync(output).size });
    });
  });
}
