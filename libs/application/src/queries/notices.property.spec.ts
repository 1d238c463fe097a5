import { parseCents, type CallPurposes } from '@fundsim/domain';
import { FundBooks } from '@fundsim/projections';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { investorStep, runRandomHistory, type Step } from '../testing/random-fund';

/**
 * Notices over random histories (JPY LPs under moving rates, top-ups across closes, defaults,
 * corrections, a waterfall with every LP bearing carry or some exempt): after every accepted event, every notice of every call and
 * distribution ties to the fund and to the LP's statement (issue 25, item 3).
 */
const sumCents = (values: string[]) => values.reduce((sum, v) => sum + parseCents(v), 0n);
const meta = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });

/** Calls that say what they are for, fractions summing to 1; and more distributions. */
const purposes: fc.Arbitrary<CallPurposes> = fc
  .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }))
  .map(([a, b, c]) => {
    const [x, y, z] = [a, b, c].sort((p, q) => p - q);
    const f = (n: number) => (n / 1000).toFixed(3);
    return { investments: f(x), managementFees: f(y - x), expenses: f(z - y), facilityRepayment: f(1000 - z) };
  });
const noticeStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: investorStep, weight: 6 },
  {
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 30 }), purposes).map(([pct, p]): Step => (d) => ({
      type: 'CallCapital',
      data: { percentage: (pct / 100).toFixed(2), dueDate: d, purposes: p },
      metadata: meta('us-treasury', d),
    })),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: 50, max: 2_000 })
      .map((n): Step => (d) => ({ type: 'DeclareDistribution', data: { amount: `${n}.00` }, metadata: meta('us-treasury', d) })),
    weight: 3,
  },
  // Income, so that distributions reach the preferred return, the catch-up and the carry.
  {
    arbitrary: fc.tuple(fc.constantFrom('grid', 'quantum'), fc.integer({ min: 500, max: 5_000 })).map(([projectId, n]): Step => (d) => ({
      type: 'ReceiveProceeds',
      data: { projectId, kind: 'income', amount: `${n}.00` },
      metadata: meta('us-treasury', d),
    })),
    weight: 2,
  },
  // Yen LPs committing and being admitted.
  {
    arbitrary: fc.tuple(fc.constantFrom('lp-j', 'lp-k'), fc.integer({ min: 1_000, max: 300_000 })).map(([lpId, yen]): Step => (d) => ({
      type: 'CommitCapital',
      data: { lpId, kind: 'retail', country: 'JP', amount: String(yen), currency: 'JPY' },
      metadata: meta('platform', d),
    })),
    weight: 2,
  },
  { arbitrary: fc.constant((d: string) => ({ type: 'HoldClose' as const, data: {}, metadata: meta('jp-mof', d) })), weight: 2 },
);

const WATERFALL = {
  style: 'european',
  preferredReturn: { rate: '0.05', compounding: 'none', dayCount: 'ACT/365' },
  catchUp: '1',
  carriedInterest: '0.2',
  carryBearing: 'all',
  managerShares: [
    { manager: 'us-treasury', share: '0.5' },
    { manager: 'jp-mof', share: '0.5' },
  ],
};

/** The same with a retail LP and a yen LP named exempt from carry (carry-exemption.ts): their notices have no tier lines and withhold nothing. */
const EXEMPT = ['lp-b', 'lp-j'];
const WATERFALL_EXEMPT = { ...WATERFALL, carryExempt: EXEMPT };

/** What the runs reached (about 1,200 calls, 800 distributions, 370 yen notices, 140 with carry withheld in 40 runs). */
const checked = { calls: 0, callNotices: 0, payouts: 0, payoutNotices: 0, yen: 0, tiers: 0, carry: 0, exempt: 0 };
function checkNotices(books: FundBooks, exempt: readonly string[]): void {
  const ledger = books.timeline.ledger;
  const closeDates = new Set(ledger.epochs.map((e) => e.date));
  for (const call of ledger.state.calls) {
    const notices = [...books.callNotices('f', call.callNumber)];
    checked.calls++;
    checked.callNotices += notices.length;
    checked.yen += notices.filter((n) => n.yen).length;
    expect([call.callNumber, sumCents(notices.map((n) => n.amount))]).toEqual([call.callNumber, parseCents(call.totalUsd.toString())]);
    const lastOfItsDay = ledger.state.calls.filter((c) => c.date === call.date).pop() === call && !closeDates.has(call.date);
    for (const n of notices) {
      expect(sumCents(Object.values(n.purposes))).toBe(parseCents(n.amount));
      expect(parseCents(n.unfundedBefore) - parseCents(n.unfundedAfter)).toBe(parseCents(n.amount));
      expect(parseCents(n.cumulativeContributions) - parseCents(n.contributionsBefore)).toBe(parseCents(n.amount));
      if (n.yen) {
        expect(Object.values(n.yen.purposes).reduce((s, v) => s + BigInt(v), 0n)).toBe(BigInt(n.yen.amount));
        expect(BigInt(n.yen.unfundedBefore) - BigInt(n.yen.unfundedAfter)).toBe(BigInt(n.yen.amount));
      }
      if (!lastOfItsDay) continue;
      const statement = books.capitalAccount('f', n.lpId, { asOf: call.date });
      expect([n.lpId, call.callNumber, n.cumulativeContributions, n.unfundedAfter]).toEqual([
        n.lpId,
        call.callNumber,
        statement.rollForward.contributions,
        statement.unfunded,
      ]);
    }
  }
  for (const payout of ledger.payouts) {
    const notices = [...books.distributionNotices('f', payout.distributionNumber)];
    checked.payouts++;
    checked.payoutNotices += notices.length;
    checked.tiers += notices.filter((n) => n.tiers).length;
    checked.carry += notices.filter((n) => n.carryWithheld !== '0.00').length;
    expect(sumCents(notices.map((n) => n.amount))).toBe(payout.cents);
    expect(sumCents(notices.map((n) => n.carryWithheld))).toBe(parseCents(payout.split?.toManagers ?? '0.00'));
    const lastOfItsDay = ledger.payouts.filter((p) => p.date === payout.date).pop() === payout;
    for (const n of notices) {
      if (n.tiers) expect(sumCents(Object.values(n.tiers))).toBe(parseCents(n.amount));
      if (exempt.includes(n.lpId)) {
        checked.exempt++;
        expect([n.lpId, n.carryExempt, n.tiers, n.carryWithheld]).toEqual([n.lpId, true, null, '0.00']);
      } else expect([n.lpId, n.carryExempt]).toEqual([n.lpId, false]);
      expect(parseCents(n.grossAmount)).toBe(parseCents(n.amount) + parseCents(n.carryWithheld));
      if (!lastOfItsDay) continue;
      const statement = books.capitalAccount('f', n.lpId, { asOf: payout.date });
      expect([n.lpId, payout.distributionNumber, n.cumulativeDistributions]).toEqual([n.lpId, payout.distributionNumber, statement.rollForward.distributions]);
    }
  }
}

describe('notices over random histories (property)', () => {
  it("after every event: each call's notices sum to it and tie to the statements; each distribution's to what the LPs and managers receive", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(noticeStep, { minLength: 10, maxLength: 40 }), fc.constantFrom('none', 'all bearing', 'some exempt'), async (steps, terms) => {
        const books = new FundBooks(3);
        let position = 0;
        await runRandomHistory(
          steps,
          async (_history, _command, _date, _i, store) => {
            position = (await catchUpBooks(store, 'f', books, position)).position;
            checkNotices(books, terms === 'some exempt' ? EXEMPT : []);
          },
          terms === 'none' ? {} : { waterfall: terms === 'some exempt' ? WATERFALL_EXEMPT : WATERFALL },
        );
      }),
      { numRuns: 40 },
    );
    // The histories reach the cases: notices of calls and distributions, yen LPs, tiers, exempt LPs' distributions.
    expect([checked.calls > 0, checked.payouts > 0, checked.yen > 0, checked.tiers > 0, checked.exempt > 0]).toEqual([true, true, true, true, true]);
  }, 300_000);
});
