import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server for the tests: the one FUNDSIM_PG_URL names, or a throwaway cluster of their own. */
export interface PostgresForTests {
  url: string;
  /** Where it came from, for the suite's title. */
  origin: string;
  stop(): Promise<void>;
}

/** A cluster this process started: where it lives, to start a replica of it. */
export interface LocalCluster extends PostgresForTests {
  /** The temporary directory (owned by the server's user): the data directory `data`, the sockets, the log. */
  dir: string;
  port: number;
  bin: string;
  /** Runs one of the server's programs as the server's user (the `postgres` user when this process is root). */
  run(program: string, args: string[]): void;
}

const DEBIAN_BINARIES = '/usr/lib/postgresql';

/** The bin directory of the newest PostgreSQL installed the Debian way (`/usr/lib/postgresql/<v>/bin`), or PG_BIN. */
export function findPostgresBinaries(): string | undefined {
  const candidates = process.env.PG_BIN ? [process.env.PG_BIN] : [];
  if (existsSync(DEBIAN_BINARIES)) {
    const versions = readdirSync(DEBIAN_BINARIES)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(DEBIAN_BINARIES, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts a cluster of its own: initdb into a temporary directory (as the `postgres` OS user when
 * run as root, since initdb refuses root), on a free port, its socket in that directory, without
 * fsync (nothing in it outlives the run) unless `durable` (a benchmark's: commits flushed as a
 * production server's are). `stop()` stops it and removes the directory.
 */
export async function startPostgresCluster(bin: string, options: { durable?: boolean } = {}): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'fundsim-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]): void => {
    const command = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    const result = spawnSync(command[0] as string, command[1] as string[], { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
      throw new Error(`${program} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}${result.stdout}${log}`);
    }
  };
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const stopNow = (): void => {
    try {
      if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test process that ends without its afterAll (a crash, a timeout) does not leave a server running.
  process.once('exit', stopNow);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', stopNow);
    stopNow();
  };
  try {
    run('initdb', ['-D', data, '-U', 'fundsim', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // A port free a moment ago may be taken before the server binds it: try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const durability = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
      const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${durability}`;
      try {
        run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
        return { url: `postgres://fundsim@127.0.0.1:${port}/postgres`, origin: `a throwaway cluster in ${dir}`, stop, dir, port, bin, run };
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The server the PostgreSQL suites run against: FUNDSIM_PG_URL, else a throwaway cluster. Never a
 * silent skip: without either, it fails saying how to get one (CI installs Debian's postgresql).
 */
export async function postgresForTests(): Promise<PostgresForTests> {
  const url = process.env.FUNDSIM_PG_URL;
  if (url) return { url, origin: `FUNDSIM_PG_URL (${url.replace(/\/\/[^@/]*@/, '//***@')})`, stop: async () => undefined };
  const bin = findPostgresBinaries();
  if (!bin) {
    throw new Error(
      'PostgreSQL tests need a server: no initdb under /usr/lib/postgresql/*/bin (or $PG_BIN) and FUNDSIM_PG_URL is not set. ' +
        "Install Debian's postgresql (apt-get install postgresql; .ci/run does) or set FUNDSIM_PG_URL=postgres://user@host/db",
    );
  }
  return startPostgresCluster(bin);
}
