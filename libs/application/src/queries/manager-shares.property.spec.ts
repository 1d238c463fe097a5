import {
  asCorrected,
  formatCents,
  inDateOrder,
  managersSplit,
  parseCents,
  reversalsIn,
  shareRule,
  type RecordedFundEvent,
  type ShareKind,
  type Stakes,
} from '@fundsim/domain';
import type { MemoryEventStore } from '@fundsim/event-store';
import { FundBooks } from '@fundsim/projections';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { runRandomHistory, withShares } from '../testing/random-fund';

const abs = (x: bigint) => (x < 0n ? -x : x);
const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

const terms = fc.record({
  style: fc.constant('european'),
  preferredReturn: fc.record({ rate: fc.constantFrom('0', '0.08'), compounding: fc.constantFrom('annual', 'none'), dayCount: fc.constant('ACT/365') }),
  catchUp: fc.constantFrom('0', '1'),
  carriedInterest: fc.constantFrom('0.1', '0.2'),
  carryBearing: fc.constant('all'),
  managerShares: fc.constantFrom<{ manager: string; share: string; lpId?: string }[]>(
    [
      { manager: 'us-treasury', share: '0.5', lpId: 'lp-a' },
      { manager: 'jp-mof', share: '0.5', lpId: 'lp-b' },
    ],
    [
      { manager: 'us-treasury', share: '0.6' },
      { manager: 'jp-mof', share: '0.4', lpId: 'lp-b' },
    ],
  ),
});

describe("the managers' shares by the governments' stakes over random histories (property)", () => {
  let byStake = 0;
  let admitted = 0;
  let splits = 0;
  it("each fee's and each distribution's managers' parts are the one split of its amount by the stakes of the latest close before it (fixed before any government is admitted), summing to it to the cent", async () => {
    await fc.assert(
      fc.asyncProperty(withShares(terms), async ({ waterfall, steps }) => {
        let last: { history: RecordedFundEvent[]; store: MemoryEventStore; date: string } | undefined;
        await runRandomHistory(
          steps,
          (history, _command, date, _i, store) => {
            last = { history, store, date };
          },
          { waterfall },
        );
        if (!last) return;
        const { history, store, date } = last;
        const books = new FundBooks(1_000_000);
        await catchUpBooks(store, 'f', books, 0);
        const managers = waterfall.managerShares.map((s) => s.manager);
        const stakeRule = (kind: ShareKind) => shareRule(waterfall, kind) === 'by-stake';
        if (stakeRule('fees') || stakeRule('carry')) byStake++;

        // The books' events as they count them: in date order, corrected.
        const reversals = reversalsIn(history);

        let stakes: Stakes | undefined;
        let reached = false;
        const fees = new Map<string, Map<string, bigint>>();
        const carry = new Map<string, Map<string, bigint>>();
        const add = (by: Map<string, Map<string, bigint>>, q: string, m: string, cents: bigint) => {
          const row = by.get(q) ?? new Map<string, bigint>();
          row.set(m, (row.get(m) ?? 0n) + cents);
          by.set(q, row);
        };
        // Each part is the split function's; under stakes, also within a cent of the amount times the stake's proportion.
        const check = (kind: ShareKind, cents: bigint, parts: Map<string, bigint>, what: string) => {
          expect([what, [...parts.keys()].sort()]).toEqual([what, [...managers].sort()]);
          expect([what, [...parts.values()].reduce((s, p) => s + p, 0n)]).toEqual([what, cents]);
          const expected = managersSplit(waterfall, cents, kind, stakes);
          for (const m of managers) expect([what, m, parts.get(m)]).toEqual([what, m, expected.get(m)]);
          const weights = waterfall.managerShares.map((s) => parseCents(stakes?.[s.lpId!] ?? '0'));
          const total = weights.reduce((s, w) => s + w, 0n);
          if (stakeRule(kind) && total > 0n) {
            if (cents !== 0n) reached = true;
            waterfall.managerShares.forEach((s, i) =>
              expect([what, s.manager, abs(parts.get(s.manager)! * total - cents * weights[i]) < total]).toEqual([what, s.manager, true]),
            );
          }
        };
        for (const recorded of inDateOrder(history)) {
          const e = asCorrected(recorded, reversals);
          if (e === undefined) continue;
          const on = e.metadata.effectiveDate;
          if (e.type === 'CloseHeld') {
            if (stakeRule('fees') || stakeRule('carry'))
              expect(Object.keys(e.data.stakes ?? {}).sort()).toEqual(waterfall.managerShares.map((s) => s.lpId).sort());
            if (e.data.stakes !== undefined) stakes = e.data.stakes;
          } else if (e.type === 'ManagementFeeCharged') {
            const cents = parseCents(e.data.amount);
            const parts = managersSplit(waterfall, cents, 'fees', stakes);
            // Fixed fees are split on the total (the report's own rounding): only by-stake fees are checked fee by fee.
            if (stakeRule('fees')) check('fees', cents, parts, `fee of ${e.data.amount} on ${on}`);
            for (const [m, p] of parts) add(fees, quarterOf(on), m, p);
          } else if (e.type === 'DistributionDeclared' && e.data.waterfall) {
            const split = e.data.waterfall;
            const parts = new Map(Object.entries(split.managers).map(([m, v]) => [m, parseCents(v)]));
            check('carry', parseCents(split.toManagers), parts, `distribution ${e.data.distributionNumber} on ${on}`);
            for (const [m, p] of parts) add(carry, quarterOf(on), m, p);
          }
        }
        if (reached) admitted++;

        // The books' per-manager figures: each quarter's fees (by stake) and carry paid are the sums of those splits.
        const report = books.waterfall('f', { asOf: date });
        for (const m of managers) {
          const revenue = books.revenue('f', m, { to: date });
          for (const q of revenue.quarters) {
            if (stakeRule('fees'))
              expect([m, q.quarter, 'fees', q.usd.managementFees]).toEqual([m, q.quarter, 'fees', formatCents(fees.get(q.quarter)?.get(m) ?? 0n)]);
            expect([m, q.quarter, 'carry', q.usd.carriedInterestPaid]).toEqual([m, q.quarter, 'carry', formatCents(carry.get(q.quarter)?.get(m) ?? 0n)]);
          }
          const account = report.managers.find((a) => a.manager === m)!;
          const sum = (by: Map<string, Map<string, bigint>>) => formatCents([...by.values()].reduce((s, row) => s + (row.get(m) ?? 0n), 0n));
          if (stakeRule('fees')) expect([m, account.managementFees]).toEqual([m, sum(fees)]);
          expect([m, account.carriedInterestPaid]).toEqual([m, sum(carry)]);
        }
        splits++;
      }),
      { numRuns: 500 },
    );
    // Histories with an accepted step; a third share by stake, and enough of those split a fee or carry after a government is admitted.
    expect([splits > 420, byStake > 120, admitted > 15]).toEqual([true, true, true]);
  }, 300_000);
});
