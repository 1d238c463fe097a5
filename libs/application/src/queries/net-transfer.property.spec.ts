import { parseCents } from '@fundsim/domain';
import { FundBooks, OTHER_LPS, type Borne } from '@fundsim/projections';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { runRandomHistory, withShares } from '../testing/random-fund';

const sumCents = (values: string[]) => values.reduce((sum, v) => sum + parseCents(v), 0n);
const abs = (x: bigint) => (x < 0n ? -x : x);
const feesAndCarry = (b: Borne) => b.managementFees + b.carriedInterestPaid + b.carriedInterestAccrued;

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
      { manager: 'us-treasury', share: '0.7', lpId: 'lp-c' },
      { manager: 'jp-mof', share: '0.3', lpId: 'lp-a' },
    ],
    [
      { manager: 'us-treasury', share: '0.6' },
      { manager: 'jp-mof', share: '0.4', lpId: 'lp-b' },
    ],
  ),
});

describe('the net transfer between the governments over random histories (property)', () => {
  let checked = 0;
  let reached = 0;
  let byStake = 0;
  it("what the LPs pay in fees and carry is what the managers receive, to the cent: the governments' nets and the other LPs' payments sum to zero", async () => {
    await fc.assert(
      fc.asyncProperty(withShares(terms), async ({ waterfall, steps }) => {
        let governmentAdmitted = false;
        await runRandomHistory(
          steps,
          async (history, _command, date, _i, store) => {
            checked++;
            if (waterfall.feeShares === 'by-stake' || waterfall.carryShares === 'by-stake')
              governmentAdmitted ||= history.some((e) => e.type === 'CloseHeld' && Object.values(e.data.stakes ?? {}).some((s) => parseCents(s) > 0n));
            const books = new FundBooks(1_000_000);
            await catchUpBooks(store, 'f', books, 0);
            const borne = books.borneByGovernment('f', { asOf: date });
            const report = books.waterfall('f', { asOf: date });
            const groups = [...borne.values()];

            // The groups share each of the fund's lines exactly: the LPs pay what the managers receive.
            const managers = (f: (m: (typeof report.managers)[number]) => string) => sumCents(report.managers.map(f));
            expect(groups.reduce((s, g) => s + g.managementFees, 0n)).toBe(managers((m) => m.managementFees));
            expect(groups.reduce((s, g) => s + g.carriedInterestPaid, 0n)).toBe(managers((m) => m.carriedInterestPaid));
            expect(groups.reduce((s, g) => s + g.carriedInterestAccrued, 0n)).toBe(managers((m) => m.carriedInterestAccrued));

            // Each manager's revenue report: its government's net, by quarter, sums to its total; the
            // governments' nets plus the other LPs' fees and carry are zero, to the cent.
            let nets = 0n;
            for (const { manager, lpId } of waterfall.managerShares) {
              const revenue = books.revenue('f', manager, { to: date });
              if (lpId === undefined) {
                expect(revenue.transfer).toBeNull();
                // A manager with no government LP receives from the other LPs: count its income against them.
                nets += managers((m) => (m.manager === manager ? m.total : '0.00'));
                continue;
              }
              const t = revenue.transfer!;
              expect(sumCents(t.quarters.map((q) => q.usd.net))).toBe(parseCents(t.total.usd.net));
              expect(parseCents(t.total.usd.paidAsLp.feesAndCarry)).toBe(feesAndCarry(borne.get(manager)!));
              expect(parseCents(t.total.usd.receivedAsManager.total)).toBe(managers((m) => (m.manager === manager ? m.total : '0.00')));
              nets += parseCents(t.total.usd.net);
            }
            expect(nets - feesAndCarry(borne.get(OTHER_LPS)!)).toBe(0n);
            if (feesAndCarry(borne.get(OTHER_LPS)!) !== 0n) reached++;

            // Not by construction alone: each group is within a cent a line of its LPs' own statements'
            // lines (the carry paid exactly), the other LPs' group computed from the fund's lines
            // less the governments'.
            const government = new Map(waterfall.managerShares.filter((s) => s.lpId).map((s) => [s.lpId!, s.manager]));
            const register = books.register({ asOf: date }, 0, 1000);
            const fromStatements = new Map<string, Borne>();
            for (const row of register.rows) {
              const r = books.capitalAccount('f', row.lpId, { asOf: date });
              const key = government.get(row.lpId) ?? OTHER_LPS;
              const b = fromStatements.get(key) ?? { managementFees: 0n, expenses: 0n, carriedInterestPaid: 0n, carriedInterestAccrued: 0n };
              b.managementFees += parseCents(r.rollForward.managementFees);
              b.expenses += parseCents(r.rollForward.expenses);
              b.carriedInterestPaid += parseCents(r.rollForward.carriedInterestPaid);
              b.carriedInterestAccrued += parseCents(r.accruedCarry);
              fromStatements.set(key, b);
            }
            for (const [key, b] of borne) {
              const s = fromStatements.get(key) ?? { managementFees: 0n, expenses: 0n, carriedInterestPaid: 0n, carriedInterestAccrued: 0n };
              // A statement's P&L lines carry its NAV's rounding (a few cents), the register's accrual one per LP.
              const lps = BigInt(register.rows.length);
              expect([key, s.carriedInterestPaid]).toEqual([key, b.carriedInterestPaid]);
              expect([key, abs(s.carriedInterestAccrued - b.carriedInterestAccrued) <= lps + 1n]).toEqual([key, true]);
              expect([key, abs(s.managementFees - b.managementFees) <= 3n * lps + 1n]).toEqual([key, true]);
              expect([key, abs(s.expenses - b.expenses) <= 3n * lps + 1n]).toEqual([key, true]);
            }
          },
          { waterfall },
        );
        if (governmentAdmitted) byStake++;
      }),
      { numRuns: 120 },
    );
    // The histories reach fees and carry borne by the other LPs, not only empty funds, and shares by stake with a government admitted
    // (120 runs: about 30 such histories are expected; 60 runs once reached only 8).
    expect([checked > 150, reached > 50, byStake > 8]).toEqual([true, true, true]);
  }, 300_000);
});
