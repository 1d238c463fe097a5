import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService, type AnyCommand } from '../commands/fund-commands.service';
import { ScenarioConflictError, ScenarioService } from './scenario';

/**
 * `fundsim apply` on a live store (issue 24, item 5): other writers commit capital for LPs of
 * other funds and for LPs of the scenario's own fund that the scenario does not name while
 * scenarios are decided and written; only a write to what a scenario was decided on (its fund's
 * own stream, an LP it commits for, or any LP of its fund when it holds a close over its own
 * commitments) makes it decide again, and what it finally writes is whole or nothing.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-scenario-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = (name: string) => readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', name), 'utf8');

/** A writer in another process; resolves once it has written `warm` commitments. */
async function startWriter(
  path: string,
  tag: string,
  fundIds: string[],
  warm = 20,
): Promise<{ child: ChildProcess; written: () => number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, '..', 'testing', 'commitments-child.ts'), path, tag, ...fundIds], {
    cwd: join(__dirname, '..', '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let written = 0;
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => (written = Number(chunk.toString().trim().split('\n').pop())));
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (written >= warm) (clearInterval(timer), resolve());
      if (child.exitCode !== null) (clearInterval(timer), reject(new Error(`the writer exited ${child.exitCode}: ${errors}`)));
    }, 20);
  });
  return {
    child,
    written: () => written,
    stop: async () => {
      if (child.exitCode !== null) throw new Error(`the writer stopped on its own: ${errors}`);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A scenario of the bench's shape: an FX rate, commitments for LPs of its own, a milestone. */
const liveScenario = (k: number) =>
  JSON.stringify({
    fundId: 'usjp',
    commands: [
      { type: 'RecordFxRate', effectiveDate: `2026-09-${10 + 2 * k}`, actor: 'market-data', pair: 'USD/JPY', rate: `${148 + k}.50` },
      ...Array.from({ length: 8 }, (_, i) => ({
        type: 'CommitCapital',
        effectiveDate: `2026-09-${10 + 2 * k}`,
        actor: 'retail-platform',
        lpId: `applied-${k}-${i}`,
        kind: 'retail',
        country: 'JP',
        amount: '1500000',
        currency: 'JPY',
      })),
      { type: 'RecordMilestone', effectiveDate: `2026-09-${11 + 2 * k}`, actor: 'jp-mof', milestone: `milestone ${k}`, note: 'applied on a live store' },
    ],
  });

describe('scenario files on a store another process writes to without pause', () => {
  it('applies six scenarios while commitments to other funds and to LPs the scenarios do not name are written', async () => {
    const path = join(dir, 'live.db');
    const store = new SqliteEventStore(path);
    const service = new ScenarioService(store);
    await service.apply(scenario('first-close.json'));
    await new FundCommandService(store).execute('other', establishUsJapanFund({ fundId: 'other' }));
    const writer = await startWriter(path, 'live', ['usjp', 'other']);
    const results = [];
    try {
      for (let k = 0; k < 6; k++) results.push(await service.apply(liveScenario(k)).catch((error: Error) => error));
    } finally {
      await writer.stop();
    }
    expect(results.map((r) => (r instanceof Error ? `${(r as Error & { code?: string }).code}: ${r.message}` : r.eventsWritten))).toEqual([
      10, 10, 10, 10, 10, 10,
    ]);
    // Each scenario's events are in the log once, in one run of positions, and the writer kept writing.
    for (const result of results as { fromPosition: number; toPosition: number }[]) expect(result.toPosition - result.fromPosition).toBe(9);
    const applied = await collect(store.readAll({ streamPrefix: 'fund-usjp.lp-applied-' }));
    expect(applied).toHaveLength(48);
    expect(writer.written()).toBeGreaterThan(20);
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  }, 60_000);

  it('holds a close over its own commitments only if no commitment of its fund came in between: whole and counted right, or CONCURRENCY_CONFLICT and nothing', async () => {
    const path = join(dir, 'live-close.db');
    const store = new SqliteEventStore(path);
    const service = new ScenarioService(store);
    await service.apply(scenario('first-close.json'));
    await new FundCommandService(store).execute('other', establishUsJapanFund({ fundId: 'other' }));
    const writer = await startWriter(path, 'live', ['usjp', 'other']);
    const outcomes: string[] = [];
    try {
      for (let k = 0; k < 2; k++) {
        const file = JSON.stringify({
          fundId: 'usjp',
          commands: [
            // On the writer's date: a close admits the pending commitments up to the first dated after it.
            {
              type: 'CommitCapital',
              effectiveDate: '2026-12-31',
              actor: 'us-treasury',
              lpId: `closing-${k}`,
              kind: 'retail',
              country: 'US',
              amount: '7000.00',
              currency: 'USD',
            },
            { type: 'HoldClose', effectiveDate: '2026-12-31', actor: 'jp-mof' },
          ],
        });
        const headBefore = await store.headPosition();
        const outcome = await service.apply(file).catch((error: Error) => error);
        if (outcome instanceof ScenarioConflictError) {
          outcomes.push(outcome.code);
          expect(await store.streamRevision(`fund-usjp.lp-closing-${k}`)).toBeUndefined();
        } else if (outcome instanceof Error) throw outcome;
        else {
          outcomes.push('written');
          expect(outcome.fromPosition).toBeGreaterThan(headBefore);
        }
      }
    } finally {
      await writer.stop();
    }
    expect(outcomes.every((o) => o === 'written' || o === 'CONCURRENCY_CONFLICT')).toBe(true);
    // Every close counts exactly the commitments recorded between the close before it and itself.
    const closes = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
    const commitments = await collect(store.readAll({ streamPrefix: 'fund-usjp.lp-', eventTypes: ['CapitalCommitted'] }));
    expect(closes).toHaveLength(1 + outcomes.filter((o) => o === 'written').length);
    closes.forEach((close, i) => {
      const from = i === 0 ? 0 : (closes[i - 1].data.throughPosition as number);
      const counted = commitments.filter((e) => e.position > from && e.position <= (close.data.throughPosition as number));
      expect(close.data.pendingCount).toBe(counted.length);
    });
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  }, 60_000);
});

describe('scenario files racing another writer, step by step', () => {
  const commit = (lpId: string, currency = 'USD', amount = '1000.00', country = 'US'): AnyCommand => ({
    type: 'CommitCapital',
    data: { lpId, kind: 'retail', country, amount, currency },
    metadata: { actor: 'us-treasury', effectiveDate: '2026-12-31' },
  });
  const milestone = (n: number): AnyCommand => ({
    type: 'RecordMilestone',
    data: { milestone: `other writer ${n}` },
    metadata: { actor: 'us-treasury', effectiveDate: '2026-09-01' },
  });
  const commitmentsOnly = JSON.stringify({
    fundId: 'usjp',
    commands: ['mine-1', 'mine-2'].map((lpId) => ({
      type: 'CommitCapital',
      effectiveDate: '2026-09-01',
      actor: 'retail-platform',
      lpId,
      kind: 'retail',
      country: 'JP',
      amount: '1500000',
      currency: 'JPY',
    })),
  });

  /** The store with the worked example's fund and another fund; `other` writes to it as a second process would. */
  async function givenTwoWriters(name: string) {
    const path = join(dir, `${name}.db`);
    const store = new SqliteEventStore(path);
    await new ScenarioService(store).apply(scenario('first-close.json'));
    const otherStore = new SqliteEventStore(path);
    const other = new FundCommandService(otherStore);
    await other.execute('other', establishUsJapanFund({ fundId: 'other' }));
    return { store, service: new ScenarioService(store), other, close: async () => (await otherStore.close(), await store.close()) };
  }

  it("goes behind commitments to its fund's other LPs and another fund's events, deciding once", async () => {
    const { store, service, other, close } = await givenTwoWriters('behind');
    let decided = 0;
    const result = await service.apply(liveScenario(0), async (done) => {
      if (done === 1) decided++;
      if (done === 3 && decided === 1)
        for (const fundId of ['usjp', 'other', 'usjp']) await other.execute(fundId, commit(`bystander-${fundId}-${await store.headPosition()}`));
    });
    expect(decided).toBe(1);
    expect(result).toEqual({ fundId: 'usjp', commands: 10, eventsWritten: 10, fromPosition: 14, toPosition: 23 });
    expect((await store.verify()).ok).toBe(true);
    await close();
  });

  it('decides again when another writer commits for an LP the scenario commits for', async () => {
    const { store, service, other, close } = await givenTwoWriters('same-lp');
    let decided = 0;
    const result = await service.apply(commitmentsOnly, async (done) => {
      if (done === 1 && ++decided === 1) await other.execute('usjp', commit('mine-2', 'JPY', '3000000', 'JP'));
    });
    expect(decided).toBe(2);
    expect(result).toMatchObject({ eventsWritten: 2 });
    // The other writer's commitment first, the scenario's decided after it.
    expect((await collect(store.readStream('fund-usjp.lp-mine-2'))).map((e) => e.data.amount)).toEqual(['3000000', '1500000']);
    await close();
  });

  it("decides again when another writer records on the fund's own stream, which the scenario only read", async () => {
    const { service, other, close } = await givenTwoWriters('fund-stream');
    let decided = 0;
    const result = await service.apply(commitmentsOnly, async (done) => {
      if (done === 1 && ++decided === 1) await other.execute('usjp', milestone(1));
    });
    expect(decided).toBe(2);
    expect(result).toMatchObject({ eventsWritten: 2 });
    await close();
  });

  it("gives up with CONCURRENCY_CONFLICT, having written nothing, when the fund's own stream changes under every attempt", async () => {
    const { store, service, other, close } = await givenTwoWriters('gives-up');
    const head = await store.headPosition();
    let decided = 0;
    const failure = service.apply(commitmentsOnly, async (done) => {
      if (done === 1) await other.execute('usjp', milestone(++decided));
    });
    await expect(failure).rejects.toBeInstanceOf(ScenarioConflictError);
    await expect(failure).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(decided).toBe(5);
    // Only the other writer's five milestones.
    expect(await store.headPosition()).toBe(head + 5);
    expect(await store.streamRevision('fund-usjp.lp-mine-1')).toBeUndefined();
    await close();
  });
});
