import { formatCents, Rejection } from '@fundsim/domain';
import { MemoryEventStore, SqliteEventStore } from '@fundsim/event-store';
import fc from 'fast-check';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoService } from '../scenarios/demo/demo.service';
import { FundCommandService, type AnyCommand } from '../commands/fund-commands.service';
import { FundQueryService } from '../queries/fund-queries.service';
import { FundSimulationService } from './fund-simulation.service';
import { ScenarioService } from '../scenarios/scenario';

const FROM = '2028-12-31';
/** Cents, rounded down: what the books can record of a model's figure without spending more than it had. */
const cents = (x: number) => formatCents(BigInt(Math.floor(x * 100)));

/** The demo fund's history up to the fork only, so that a path's quarters can be recorded after it. */
async function demo(store: MemoryEventStore | SqliteEventStore) {
  await new DemoService(store, new ScenarioService(store)).load({ retailLps: 40, until: FROM });
  return new FundSimulationService(new FundQueryService(store));
}

describe('the fund simulation', () => {
  it("never breaks a rule the deciders enforce: a path's quarters, recorded as commands on the books, are all accepted (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          scenario: fc.constantFrom('base', 'bear', 'tariff-delay', 'rate-shock'),
          callPace: fc.constantFrom(0.002, 0.01, 0.05),
          targetLeverage: fc.constantFrom(0.2, 0.9, 1),
          correlation: fc.constantFrom(0, 0.5, 1),
        }),
        async ({ seed, scenario, callPace, targetLeverage, correlation }) => {
          const store = new MemoryEventStore();
          const simulation = await demo(store);
          const { actions } = await simulation.trace('usjp', {
            from: FROM,
            seed,
            scenario,
            parameters: { quarters: 24, callPace, targetLeverage, correlation },
          });
          const commands = new FundCommandService(store);
          let count = 0;
          let draws = 0;
          for (const q of actions) {
            const at = (actor: string) => ({ actor, effectiveDate: q.date });
            const run: AnyCommand[] = [
              ...q.valuations.map((v): AnyCommand => ({
                type: 'ValueProject',
                data: { projectId: v.projectId, fairValue: cents(v.fairValue) },
                metadata: at('us-treasury'),
              })),
              ...q.proceeds
                .filter((p) => p.amount >= 0.01)
                .map((p): AnyCommand => ({
                  type: 'ReceiveProceeds',
                  data: { projectId: p.projectId, kind: p.kind, amount: cents(p.amount) },
                  metadata: at('us-treasury'),
                })),
              ...(q.call > 0
                ? [{ type: 'CallCapital', data: { percentage: String(q.call), dueDate: q.date }, metadata: at('us-treasury') } as AnyCommand]
                : []),
              ...q.draws
                .filter((d) => d.amount >= 0.01)
                .map((d): AnyCommand => ({ type: 'DrawLeverage', data: { facilityId: d.facilityId, amount: cents(d.amount) }, metadata: at('jp-mof') })),
              ...q.interest.map((facilityId): AnyCommand => ({ type: 'PayInterest', data: { facilityId }, metadata: at('jp-mof') })),
              ...(q.fee >= 0.01
                ? [{ type: 'ChargeManagementFee', data: { amount: cents(q.fee), period: q.date.slice(0, 7) }, metadata: at('us-treasury') } as AnyCommand]
                : []),
              ...(q.expense >= 0.01
                ? [{ type: 'RecordExpense', data: { amount: cents(q.expense), description: 'simulated' }, metadata: at('us-treasury') } as AnyCommand]
                : []),
              ...q.fundings
                .filter((f) => f.amount >= 0.01)
                .map((f): AnyCommand => ({
                  type: 'FundProject',
                  data: { allocationId: f.allocationId, amount: cents(f.amount) },
                  metadata: at('us-treasury'),
                })),
              ...q.repayments
                .filter((r) => r.amount >= 0.01)
                .map((r): AnyCommand => ({ type: 'RepayLeverage', data: { facilityId: r.facilityId, amount: cents(r.amount) }, metadata: at('jp-mof') })),
              ...(q.distribution >= 0.01
                ? [{ type: 'DeclareDistribution', data: { amount: cents(q.distribution), paymentDate: q.date }, metadata: at('us-treasury') } as AnyCommand]
                : []),
            ];
            for (const command of run) {
              try {
                await commands.execute('usjp', command);
              } catch (error) {
                if (error instanceof Rejection)
                  throw new Error(`Quarter ${q.quarter} (${q.date}): ${command.type} ${JSON.stringify(command.data)} refused: ${error.code} ${error.message}`);
                throw error;
              }
              count++;
              if (command.type === 'DrawLeverage') draws++;
            }
          }
          expect(count).toBeGreaterThan(24 * 10);
          // A slow call pace makes the fund borrow: the draws are part of what the books accepted.
          if (callPace === 0.002 && targetLeverage > 0.2) expect(draws).toBeGreaterThan(0);
        },
      ),
      // The first example borrows (a slow call pace): its draws, and later repayments, go through the deciders too.
      { numRuns: 6, examples: [[{ seed: 1, scenario: 'base', callPace: 0.002, targetLeverage: 1, correlation: 0.5 }]] },
    );
  }, 300_000);

  it('writes nothing: the store files are byte-identical after a simulation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fundsim-fund-simulation-'));
    try {
      const path = join(dir, 'fundsim.db');
      const store = new SqliteEventStore(path);
      await demo(store);
      await store.close();
      const before = readFileSync(path);
      const reopened = new SqliteEventStore(path);
      const again = new FundSimulationService(new FundQueryService(reopened));
      const result = await again.simulate('usjp', { from: FROM, paths: 200, lpId: 'us-gov', parameters: { quarters: 12 } });
      expect(result.netAssets).toHaveLength(13);
      expect(result.lp!.lpId).toBe('us-gov');
      await expect(again.simulate('usjp', { from: FROM, paths: 10, parameters: { nope: 1 } })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
      await expect(again.simulate('usjp', { from: '2025-01-01', paths: 10 })).rejects.toMatchObject({ code: 'INVALID_DATE' });
      // At the first close the fund holds no project yet: nothing to run forward, said so.
      await expect(again.simulate('usjp', { from: '2026-07-01', paths: 10 })).rejects.toMatchObject({
        code: 'INVALID_DATE',
        message: expect.stringContaining('held no project'),
      });
      await expect(again.simulate('usjp', { from: FROM, paths: 10, lpId: 'nobody' })).rejects.toMatchObject({ code: 'UNKNOWN_LP' });
      await reopened.close();
      expect(readFileSync(path).equals(before)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
