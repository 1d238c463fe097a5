import {
  availableCash,
  Dec,
  foldFundHistory,
  Money,
  Rejection,
  totalDebt,
} from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore } from '@fundsim/event-store';
import fc from 'fast-check';
import { asRecorded, FundCommandService, type AnyCommand } from './fund-commands.service';
import { fundStream } from './streams';

/**
 * Random command sequences, valid or not: whatever the deciders accept, the fund's state never
 * breaks a rule. Rejected commands must write nothing; accepted ones keep every invariant.
 */
const managers = ['us-treasury', 'jp-mof'] as const;
const amount = fc.integer({ min: 1, max: 2_000 }).map((n) => `${n}.00`);
const smallAmount = fc.integer({ min: 1, max: 400 }).map((n) => `${n}.00`);
const manager = fc.constantFrom(...managers);
const lp = fc.constantFrom('lp-a', 'lp-b', 'lp-c', 'lp-d');
const project = fc.constantFrom('grid', 'quantum');
const allocation = fc.constantFrom('al-1', 'al-2', 'al-3');

type Step = (date: string) => AnyCommand;
const meta = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(lp, amount).map(([lpId, a]): Step => (d) => ({ type: 'CommitCapital', data: { lpId, kind: 'retail', country: 'US', amount: a, currency: 'USD' }, metadata: meta('platform', d) })),
  manager.map((m): Step => (d) => ({ type: 'HoldClose', data: {}, metadata: meta(m, d) })),
  fc.integer({ min: 1, max: 60 }).map((pct): Step => (d) => ({ type: 'CallCapital', data: { percentage: (pct / 100).toFixed(2) }, metadata: meta('us-treasury', d) })),
  amount.map((a): Step => (d) => ({ type: 'DrawLeverage', data: { facilityId: 'bank', amount: a }, metadata: meta('jp-mof', d) })),
  amount.map((a): Step => (d) => ({ type: 'RepayLeverage', data: { facilityId: 'bank', amount: a }, metadata: meta('jp-mof', d) })),
  fc.constant((d: string): AnyCommand => ({ type: 'PayInterest', data: { facilityId: 'bank' }, metadata: meta('us-treasury', d) })),
  project.map((projectId): Step => (d) => ({ type: 'RegisterProject', data: { projectId, name: projectId, sector: 'energy', partners: [], totalProjectSize: '100000.00' }, metadata: meta('us-treasury', d) })),
  { arbitrary: fc.tuple(allocation, project, smallAmount, manager).map(([allocationId, projectId, a, m]): Step => (d) => ({ type: 'ProposeAllocation', data: { allocationId, projectId, amount: a }, metadata: meta(m, d) })), weight: 3 },
  { arbitrary: fc.tuple(allocation, manager).map(([allocationId, m]): Step => (d) => ({ type: 'ApproveAllocation', data: { allocationId }, metadata: meta(m, d) })), weight: 4 },
  fc.tuple(allocation, manager).map(([allocationId, m]): Step => (d) => ({ type: 'RejectAllocation', data: { allocationId, reason: 'no' }, metadata: meta(m, d) })),
  { arbitrary: fc.tuple(allocation, smallAmount).map(([allocationId, a]): Step => (d) => ({ type: 'FundProject', data: { allocationId, amount: a }, metadata: meta('us-treasury', d) })), weight: 4 },
  fc.tuple(project, amount).map(([projectId, a]): Step => (d) => ({ type: 'ValueProject', data: { projectId, fairValue: a }, metadata: meta('us-treasury', d) })),
  fc.tuple(project, amount, fc.constantFrom('income', 'capital')).map(([projectId, a, kind]): Step => (d) => ({ type: 'ReceiveProceeds', data: { projectId, kind: kind as 'income' | 'capital', amount: a }, metadata: meta('us-treasury', d) })),
  amount.map((a): Step => (d) => ({ type: 'DeclareDistribution', data: { amount: a }, metadata: meta('us-treasury', d) })),
  amount.map((a): Step => (d) => ({ type: 'ChargeManagementFee', data: { amount: a, period: 'q' }, metadata: meta('us-treasury', d) })),
);

const dateAfter = (days: number) => new Date(Date.UTC(2026, 1, 1) + days * 86_400_000).toISOString().slice(0, 10);

describe('fund rules over random command sequences (property)', () => {
  it('never leave a state that breaks a rule, and rejected commands write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 50 }), async (steps) => {
        const store = new MemoryEventStore();
        const service = new FundCommandService(store);
        await service.execute('f', establishUsJapanFund({ concentrationLimit: '0.5', leveragePolicy: { maxRatio: '1.5', basis: 'commitments' } }, meta('us-treasury', '2026-01-15')));
        await service.execute('f', { type: 'OpenCreditFacility', data: { facilityId: 'bank', lender: 'bank', limit: '3000.00', annualRate: '0.05', dayCount: 'ACT/365', maturityDate: '2030-01-01' }, metadata: meta('us-treasury', '2026-01-15') });
        // A fund with LPs, cash and projects, so that most random steps have something to act on.
        for (const lpId of ['lp-a', 'lp-b']) await service.execute('f', { type: 'CommitCapital', data: { lpId, kind: 'retail', country: 'US', amount: '1500.00', currency: 'USD' }, metadata: meta('platform', '2026-01-20') });
        await service.execute('f', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-01-25') });
        await service.execute('f', { type: 'CallCapital', data: { percentage: '0.40' }, metadata: meta('us-treasury', '2026-01-26') });
        for (const projectId of ['grid', 'quantum']) await service.execute('f', { type: 'RegisterProject', data: { projectId, name: projectId, sector: 'energy', partners: [], totalProjectSize: '100000.00' }, metadata: meta('us-treasury', '2026-01-27') });
        await service.execute('f', { type: 'ProposeAllocation', data: { allocationId: 'al-1', projectId: 'grid', amount: '300.00' }, metadata: meta('us-treasury', '2026-01-28') });
        await service.execute('f', { type: 'ApproveAllocation', data: { allocationId: 'al-1' }, metadata: meta('jp-mof', '2026-01-29') });
        for (const [i, make] of steps.entries()) {
          const date = dateAfter(i * 7);
          const head = await store.headPosition();
          try {
            await service.execute('f', make(date));
          } catch (error) {
            if (!(error instanceof Rejection)) throw error;
            expect(await store.headPosition()).toBe(head);
            continue;
          }
          const history = [];
          for await (const e of store.readStream(fundStream('f'))) history.push(asRecorded(e));
          const state = foldFundHistory(history);
          const config = state.config!;
          expect(state.calledFraction.lte(1)).toBe(true);
          expect(availableCash(state, date).amount.isNegative()).toBe(false);
          expect(totalDebt(state).gt(state.admittedUsd.times(config.leveragePolicy.maxRatio))).toBe(false);
          for (const f of state.facilities.values()) expect(f.principal.gt(f.limit)).toBe(false);
          const limit = state.admittedUsd.times(new Dec(config.concentrationLimit));
          for (const p of state.projects.values()) expect(p.committed.gt(limit)).toBe(false);
          for (const a of state.allocations.values()) {
            expect(a.funded.gt(a.amount)).toBe(false);
            if (a.status !== 'committed') expect(a.funded.isZero()).toBe(true);
          }
          expect(Money.zero('USD').gt(state.admittedUsd)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
