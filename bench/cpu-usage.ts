/**
 * Where a benchmark's CPU goes, from Linux's /proc: a process's own time, a PostgreSQL cluster's
 * (its postmaster, the backends alive and those that ended), and the machine's, so a figure can be
 * read against what the machine had to give (two cores: 200%).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, ...]; field n of proc(5) is at n - 3. */
function statOf(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used; with `children`, those of its children it has waited for too. */
export function cpuSecondsOf(pid: number, children = false): number {
  const f = statOf(pid);
  if (!f) return 0;
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / TICKS;
}

/** A cluster's CPU seconds: the postmaster with the backends it reaped, plus those alive now. */
export function clusterCpuSeconds(postmaster: number): number {
  let total = cpuSecondsOf(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statOf(Number(entry));
    if (f && Number(f[1]) === postmaster) total += cpuSecondsOf(Number(entry));
  }
  return total;
}

/** The postmaster's pid of a data directory, if it runs. */
export function postmasterOf(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

/** The machine's CPU seconds so far: busy (all but idle and iowait) and in all, over every core. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - ticks[3] - ticks[4]) / TICKS, total: total / TICKS };
}

/** CPU as a percentage of one core over `seconds` (two cores busy: 200%). */
export const percentOf = (cpuSeconds: number, seconds: number): string => `${Math.round((cpuSeconds / seconds) * 100)}%`;
