import { postgresForTests, type PostgresForTests } from '@fundsim/event-store/testing/postgres-cluster';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main';

/**
 * `fundsim copy` between SQLite and PostgreSQL through the command line, against a real server
 * (a throwaway cluster, or FUNDSIM_PG_URL): there, its books read from PostgreSQL, and back.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-cli-pg-'));
const demo = `sqlite:${join(dir, 'demo.db')}`;
let server: PostgresForTests;
beforeAll(async () => {
  server = await postgresForTests();
  expect((await cli('demo', '--retail-lps', '40', '--store', demo)).code).toBe(0);
}, 180_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const inSchema = (schema: string): string => {
  const url = new URL(server.url);
  url.searchParams.set('schema', schema);
  return url.toString();
};

describe('fundsim copy between SQLite and PostgreSQL', () => {
  it('copies the demo into PostgreSQL, serves the same books from there, and copies it back with the same head hash', async () => {
    const postgres = inSchema(`cli_${process.pid}`);
    const there = await cli('copy', '--to', postgres, '--store', demo);
    expect([there.code, there.err]).toEqual([0, '']);
    expect(there.out).toMatch(/^Copied \d+ events of \d+ streams from sqlite:.*demo\.db to postgres:\/\/.+ \(schema cli_\d+\)\.\nThe copy verifies/);

    const verified = async (store: string) => JSON.parse((await cli('verify', '--json', '--store', store)).out) as { ok: boolean; headHash: string };
    expect(await verified(postgres)).toEqual(await verified(demo));
    for (const read of [
      ['balance-sheet', '--fund', 'usjp', '--as-of', '2035-12-31'],
      ['register', '--fund', 'usjp', '--as-of', '2030-12-31'],
      ['lp', 'retail-jp-000001', '--fund', 'usjp', '--as-of', '2030-12-31'],
    ]) {
      const [fromPostgres, fromSqlite] = [await cli(...read, '--store', postgres), await cli(...read, '--store', demo)];
      expect(fromPostgres.code).toBe(0);
      expect(fromPostgres.out).toBe(fromSqlite.out);
    }

    const back = `sqlite:${join(dir, 'back.db')}`;
    expect((await cli('copy', '--to', back, '--store', postgres)).code).toBe(0);
    expect(await verified(back)).toEqual(await verified(demo));
    const twice = await cli('copy', '--to', postgres, '--store', demo);
    expect([twice.code, twice.err]).toEqual([2, expect.stringContaining('already holds events: a log is copied only into an empty store')]);
  }, 180_000);

  it('loads the demo straight into PostgreSQL (decided in a sandbox, written in one batch behind the head): the same books', async () => {
    const postgres = inSchema(`cli_demo_${process.pid}`);
    const loaded = await cli('demo', '--retail-lps', '40', '--store', postgres);
    expect(loaded.code).toBe(0);
    for (const read of [
      ['balance-sheet', '--fund', 'usjp', '--as-of', '2035-12-31'],
      ['performance', '--fund', 'usjp', '--as-of', '2035-12-31'],
    ]) {
      expect((await cli(...read, '--store', postgres)).out).toBe((await cli(...read, '--store', demo)).out);
    }
    expect(JSON.parse((await cli('verify', '--json', '--store', postgres)).out)).toMatchObject({ ok: true });
    expect((await cli('demo', '--retail-lps', '40', '--store', postgres)).err).toMatch(/already holds a fund "usjp"/);
  }, 180_000);

  it('says in one line that a PostgreSQL URL is malformed, or that nothing answers there', async () => {
    const malformed = await cli('verify', '--store', 'postgres://fundsim:secret@host:port/db');
    expect([malformed.code, malformed.err]).toEqual([
      2,
      'fundsim: "postgres://fundsim:***@host:port/db" is not a PostgreSQL URL (postgres://user:password@host:5432/database)',
    ]);
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const down = await cli('verify', '--store', `postgresql://127.0.0.1:${port}/fundsim`);
    expect(down.code).toBe(2);
    expect(down.err).toMatch(new RegExp(`^fundsim: PostgreSQL at postgresql://127\\.0\\.0\\.1:${port}/fundsim does not answer \\(.+\\); check that it runs`));
    expect(down.err).not.toContain('\n');
  });
});
