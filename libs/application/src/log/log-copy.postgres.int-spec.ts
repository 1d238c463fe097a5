import { SqliteEventStore, type EventStore } from '@fundsim/event-store';
import { PostgresEventStore } from '@fundsim/event-store/postgres.event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { postgresForTests, type PostgresForTests } from '@fundsim/event-store/testing/postgres-cluster';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FundQueryService } from '../queries/fund-queries.service';
import { DemoService } from '../scenarios/demo/demo.service';
import { ScenarioService } from '../scenarios/scenario';
import { copyLog, CopyTargetNotEmptyError } from './log-copy';

/**
 * Moving a log between SQLite and PostgreSQL (issue 29, item 7), against a real server (a
 * throwaway cluster, or FUNDSIM_PG_URL). Both stores number positions densely and chain the whole
 * log, so a copy there and back has the source's head hash: the chain itself says nothing moved.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-copy-pg-'));
let server: PostgresForTests;
let source: SqliteEventStore;
const schemas: string[] = [];
const freshPostgres = (): PostgresEventStore => {
  const schema = `copy_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  schemas.push(schema);
  return new PostgresEventStore(server.url, { schema });
};

beforeAll(async () => {
  server = await postgresForTests();
  source = new SqliteEventStore(join(dir, 'source.db'));
  await new DemoService(source, new ScenarioService(source)).load({ retailLps: 60 });
  const file = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', 'first-close.json'), 'utf8')) as { fundId: string };
  await new ScenarioService(source).apply(JSON.stringify({ ...file, fundId: 'second' }), undefined, { importedBy: 'os:alice' });
}, 180_000);
afterAll(async () => {
  await source?.close();
  if (server && process.env.FUNDSIM_PG_URL) {
    const client = new Client(server.url);
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const sheets = (store: EventStore) =>
  Promise.all(['2026-12-31', '2030-12-31', '2035-12-31'].map((asOf) => new FundQueryService(store).balanceSheet('usjp', { asOf })));

describe('copying a log between SQLite and PostgreSQL', () => {
  it('copies SQLite into PostgreSQL and back, with the same head hash, the same events and the same books', async () => {
    const before = await source.verify();
    expect(before.ok).toBe(true);
    const postgres = freshPostgres();
    const there = await copyLog(source, postgres);
    expect(before.ok && there.headHash).toBe(before.ok && before.headHash);
    expect(await sheets(postgres)).toEqual(await sheets(source));
    await expect(copyLog(source, postgres)).rejects.toBeInstanceOf(CopyTargetNotEmptyError);

    const back = new SqliteEventStore(join(dir, 'back.db'));
    const returned = await copyLog(postgres, back);
    expect(returned).toEqual(there);
    expect(await collect(back.readAll())).toEqual(await collect(source.readAll()));
    expect(await sheets(back)).toEqual(await sheets(source));
    await Promise.all([postgres.close(), back.close()]);
  }, 180_000);
});
