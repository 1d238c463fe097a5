import fc from 'fast-check';
import { formatCents, parseCents } from '../cents';
import { largestRemainder } from '../largest-remainder';
import { Rejection } from '../rejections';
import { WORKED_EXAMPLE_WATERFALL } from '../testing/fund-fixtures';
import {
  accrue,
  accruedCarry,
  clawback,
  liquidation,
  contribute,
  distribute,
  openWaterfall,
  parseWaterfallTerms,
  type WaterfallLedger,
  type WaterfallTerms,
} from './waterfall';
import { managersSplit } from './manager-shares';

const MANAGERS = ['us-treasury', 'jp-mof'];
/** The terms of the hand-worked example in docs/accounting.md, checked as a command's would be. */
const TERMS: WaterfallTerms = parseWaterfallTerms(WORKED_EXAMPLE_WATERFALL, MANAGERS);
const usd = (cents: bigint) => formatCents(cents);

describe('the waterfall: the hand-worked example of docs/accounting.md', () => {
  it('gives each distribution to its tier, and each tier to the LPs by commitment and to the managers by their shares', () => {
    // LP A commits 600.00 and LP B 400.00; both are called in full on 2026-01-01.
    let ledger = contribute(TERMS, openWaterfall('2026-01-01'), parseCents('1000.00'), '2026-01-01');
    const lps = [
      { key: 'lp-a', weight: 60_000n },
      { key: 'lp-b', weight: 40_000n },
    ];
    const rows: string[][] = [];
    const pay = (amount: string, date: string) => {
      const { split, ledger: next } = distribute(TERMS, ledger, parseCents(amount), date);
      ledger = next;
      const toLps = largestRemainder(split.toLps, lps);
      const toManagers = managersSplit(TERMS, split.toManagers);
      rows.push([
        date,
        amount,
        usd(split.returnOfCapital),
        usd(split.preferredReturn),
        usd(split.catchUp.managers),
        usd(split.carriedInterest.lps),
        usd(split.carriedInterest.managers),
        usd(toLps.get('lp-a')!),
        usd(toLps.get('lp-b')!),
        usd(toManagers.get('us-treasury')!),
        usd(toManagers.get('jp-mof')!),
      ]);
    };
    pay('500.00', '2027-01-01'); // return of capital
    pay('500.00', '2028-01-01'); // the rest of the capital
    pay('120.00', '2028-01-01'); // preferred return: 8% of 1,000 for 2026, of 500 for 2027
    pay('30.00', '2028-01-01'); // catch-up: the managers to 20% of 150 of profit
    pay('100.00', '2028-01-01'); // 80/20
    expect(rows).toEqual([
      //  date        amount    capital   pref      catch-up  carry LPs carry mgr  A         B         UST      MoF
      ['2027-01-01', '500.00', '500.00', '0.00', '0.00', '0.00', '0.00', '300.00', '200.00', '0.00', '0.00'],
      ['2028-01-01', '500.00', '500.00', '0.00', '0.00', '0.00', '0.00', '300.00', '200.00', '0.00', '0.00'],
      ['2028-01-01', '120.00', '0.00', '120.00', '0.00', '0.00', '0.00', '72.00', '48.00', '0.00', '0.00'],
      ['2028-01-01', '30.00', '0.00', '0.00', '30.00', '0.00', '0.00', '0.00', '0.00', '15.00', '15.00'],
      ['2028-01-01', '100.00', '0.00', '0.00', '0.00', '80.00', '20.00', '48.00', '32.00', '10.00', '10.00'],
    ]);
    // The managers hold exactly 20% of the 250.00 of profit; nothing to claw back.
    expect(usd(ledger.catchUpToManagers + ledger.carryTierToManagers)).toBe('50.00');
    expect(clawback(TERMS, ledger)).toBe(0n);
  });
});

describe('the liquidation', () => {
  it('gives the managers, on random histories, the carry paid plus the carry accrued: what they would hold if the net assets were distributed', () => {
    fc.assert(
      fc.property(histories, fc.bigInt({ min: 0n, max: 200_000_000n }), (h, nav) => {
        const terms = termsOf(h);
        const { ledger, date } = fold(terms, h.steps);
        const paid = ledger.catchUpToManagers + ledger.carryTierToManagers;
        const end = distribute(terms, ledger, nav, date).ledger;
        const heldAtEnd = end.catchUpToManagers + end.carryTierToManagers - clawback(terms, end);
        expect(heldAtEnd).toBe(paid + accruedCarry(terms, ledger, nav, date));
        // Held at the end: never more than their carry of the whole profit (to a cent per distribution), never negative.
        const profit = end.returned + end.prefPaid + end.catchUpToLps + end.catchUpToManagers + end.carryTierToLps + end.carryTierToManagers - end.contributed;
        expect(Number(heldAtEnd)).toBeLessThanOrEqual(Math.max(0, Number(terms.carriedInterest) * Number(profit)) + h.steps.length + 1);
        expect(heldAtEnd >= 0n).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('accrues a negative carry when the managers would owe a clawback', () => {
    let ledger = contribute(TERMS, openWaterfall('2026-01-01'), parseCents('1000.00'), '2026-01-01');
    ledger = distribute(TERMS, ledger, parseCents('1400.00'), '2027-01-01').ledger;
    ledger = contribute(TERMS, ledger, parseCents('500.00'), '2027-06-30');
    // Nothing left: the 80.00 the managers received is owed back whole.
    expect(liquidation(TERMS, ledger, 0n, '2027-06-30')).toMatchObject({ clawback: 8000n, accruedCarry: -8000n });
    // Ties by name: the odd cent is jp-mof's.
    expect(Object.fromEntries(managersSplit(TERMS, -8001n))).toEqual({ 'jp-mof': -4001n, 'us-treasury': -4000n });
  });
});

describe('the clawback', () => {
  it('is what the managers received above their carry of the whole profit, when later capital turned profit into loss', () => {
    let ledger = contribute(TERMS, openWaterfall('2026-01-01'), parseCents('1000.00'), '2026-01-01');
    // 1,400 back a year later: capital, 80.00 of preferred return, 20.00 of catch-up, 300.00 split 240/60.
    const first = distribute(TERMS, ledger, parseCents('1400.00'), '2027-01-01');
    expect(usd(first.split.toManagers)).toBe('80.00');
    ledger = first.ledger;
    expect(clawback(TERMS, ledger)).toBe(0n);
    // Then 500.00 more is called and lost: the fund's profit over its life is 1,400 - 1,500 = -100.
    ledger = contribute(TERMS, ledger, parseCents('500.00'), '2027-06-30');
    expect(usd(clawback(TERMS, ledger))).toBe('80.00');
  });
});

describe('the waterfall terms', () => {
  it('refuses terms that do not make a waterfall, naming the field', () => {
    const good = {
      style: 'european',
      preferredReturn: { rate: '0.08', compounding: 'annual', dayCount: 'ACT/365' },
      catchUp: '1',
      carriedInterest: '0.2',
      carryBearing: 'all',
      managerShares: [
        { manager: 'us-treasury', share: '0.6' },
        { manager: 'jp-mof', share: '0.4' },
      ],
    };
    expect(parseWaterfallTerms(good, MANAGERS).carriedInterest).toBe('0.2');
    const cases: [object, RegExp][] = [
      [{ ...good, style: 'deal-by-deal' }, /style/],
      [{ ...good, carriedInterest: '0.6' }, /carriedInterest must be at most 0.5/],
      [{ ...good, catchUp: '0.1' }, /catchUp must be 0 or above carriedInterest/],
      [{ ...good, preferredReturn: { ...good.preferredReturn, rate: '-0.01' } }, /preferredReturn.rate/],
      [
        {
          ...good,
          managerShares: [
            { manager: 'us-treasury', share: '0.6' },
            { manager: 'jp-mof', share: '0.5' },
          ],
        },
        /sum to 1, got 1.1/,
      ],
      [{ ...good, managerShares: [{ manager: 'us-treasury', share: '1' }] }, /each manager once/],
    ];
    for (const [terms, reason] of cases) {
      expect(() => parseWaterfallTerms(terms, MANAGERS)).toThrow(Rejection);
      expect(() => parseWaterfallTerms(terms, MANAGERS)).toThrow(reason);
    }
  });

  it('accrues the preferred return simply or compounding yearly, to the cent', () => {
    const simple = contribute(TERMS, openWaterfall('2026-01-01'), parseCents('1000.00'), '2026-01-01');
    expect(usd(accrue(TERMS, simple, '2028-01-01').prefAccrued)).toBe('160.00');
    const annual = { ...TERMS, preferredReturn: { ...TERMS.preferredReturn, compounding: 'annual' as const } };
    const compounded = accrue(annual, contribute(annual, openWaterfall('2026-01-01'), parseCents('1000.00'), '2026-01-01'), '2028-01-01');
    // 1,000 x (1.08^(730/365) - 1) = 166.40
    expect(usd(compounded.prefAccrued)).toBe('166.40');
  });
});

/** Random histories: contributions and distributions on growing dates, any terms. */
const histories = fc.record({
  carry: fc.constantFrom('0', '0.1', '0.2', '0.25'),
  catchUp: fc.constantFrom('0', '0.5', '0.8', '1'),
  rate: fc.constantFrom('0', '0.06', '0.08'),
  compounding: fc.constantFrom('annual' as const, 'none' as const),
  steps: fc.array(fc.record({ days: fc.integer({ min: 0, max: 400 }), contribution: fc.boolean(), cents: fc.bigInt({ min: 1n, max: 50_000_000n }) }), {
    minLength: 1,
    maxLength: 25,
  }),
});

function termsOf(h: { carry: string; catchUp: string; rate: string; compounding: 'annual' | 'none' }): WaterfallTerms {
  const catchUp = h.catchUp !== '0' && Number(h.catchUp) <= Number(h.carry) ? '1' : h.catchUp;
  return { ...TERMS, carriedInterest: h.carry, catchUp, preferredReturn: { rate: h.rate, compounding: h.compounding, dayCount: 'ACT/365' } };
}

/** A history's contributions and distributions through the waterfall, and the date of its last step. */
function fold(terms: WaterfallTerms, steps: readonly { days: number; contribution: boolean; cents: bigint }[]): { ledger: WaterfallLedger; date: string } {
  let ledger = openWaterfall('2026-01-01');
  let date = '2026-01-01';
  for (const step of steps) {
    date = dateAfter(date, step.days);
    ledger = step.contribution ? contribute(terms, ledger, step.cents, date) : distribute(terms, ledger, step.cents, date).ledger;
  }
  return { ledger, date };
}

const dateAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('the waterfall on random histories', () => {
  it("sums each distribution's tiers to it, pays the managers nothing before the LPs have their capital and preferred return, and never more than their carry of the profit once caught up", () => {
    fc.assert(
      fc.property(histories, (h) => {
        const terms = termsOf(h);
        const k = Number(terms.carriedInterest);
        let ledger: WaterfallLedger = openWaterfall('2026-01-01');
        let date = '2026-01-01';
        for (const step of h.steps) {
          date = dateAfter(date, step.days);
          if (step.contribution) {
            ledger = contribute(terms, ledger, step.cents, date);
            continue;
          }
          const before = accrue(terms, ledger, date);
          const { split, ledger: after } = distribute(terms, ledger, step.cents, date);
          expect(split.toLps + split.toManagers).toBe(step.cents);
          expect(
            split.returnOfCapital +
              split.preferredReturn +
              split.catchUp.lps +
              split.catchUp.managers +
              split.carriedInterest.lps +
              split.carriedInterest.managers,
          ).toBe(step.cents);
          if (split.toManagers > 0n) {
            expect(after.returned).toBe(before.contributed);
            expect(after.prefPaid).toBe(before.prefAccrued);
          }
          const profit = after.prefPaid + after.catchUpToLps + after.catchUpToManagers + after.carryTierToLps + after.carryTierToManagers;
          const managers = after.catchUpToManagers + after.carryTierToManagers;
          // Within a cent per distribution of rounding.
          expect(Number(managers)).toBeLessThanOrEqual(k * Number(profit) + h.steps.length + 1);
          // A distribution that reached the carried-interest tier leaves the managers at their share of all the profit.
          if (
            split.carriedInterest.lps + split.carriedInterest.managers > 0n &&
            terms.catchUp === '1' &&
            before.prefPaid + before.catchUpToLps + before.catchUpToManagers + before.carryTierToLps + before.carryTierToManagers + split.preferredReturn > 0n
          ) {
            expect(Math.abs(Number(managers) - k * Number(profit))).toBeLessThanOrEqual(h.steps.length + 1);
          }
          // No LP profit above the preferred return before the managers' catch-up: with a full
          // catch-up none at all; with a partial one, the LPs' part of each catch-up cent only.
          const c = Number(terms.catchUp);
          if (c === 1) expect(after.catchUpToLps).toBe(0n);
          if (c > 0) expect(Number(after.catchUpToLps)).toBeLessThanOrEqual((Number(after.catchUpToManagers) * (1 - c)) / c + h.steps.length + 1);
          if (split.carriedInterest.lps > 0n && c > 0 && after.prefPaid > 0n)
            expect(Number(managers)).toBeGreaterThanOrEqual(k * Number(profit) - h.steps.length - 1);
          ledger = after;
        }
        expect(managersSplit(terms, 12_345n).get('us-treasury')! + managersSplit(terms, 12_345n).get('jp-mof')!).toBe(12_345n);
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same carry for the net assets liquidated at once or in two parts on a date (the accrued carry is what liquidation pays)', () => {
    fc.assert(
      fc.property(histories, fc.bigInt({ min: 0n, max: 100_000_000n }), fc.bigInt({ min: 0n, max: 100_000_000n }), (h, a, b) => {
        const terms = termsOf(h);
        const { ledger, date } = fold(terms, h.steps);
        const atOnce = liquidation(terms, ledger, a + b, date).split.toManagers;
        const first = distribute(terms, ledger, a, date);
        const inTwo = first.split.toManagers + distribute(terms, first.ledger, b, date).split.toManagers;
        // Each cut rounds each tier once: at most a cent per tier apart.
        expect(Number(atOnce - inTwo) ** 2).toBeLessThanOrEqual(9);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the preferred return from the due date (issue 27)', () => {
  const open = openWaterfall('2026-01-01');
  it('accrues on a contribution from its due date, or from the call under terms that say so (and terms recorded before the term)', () => {
    const dueDate = '2026-01-18';
    const byDue = accrue(TERMS, contribute(TERMS, open, parseCents('1000.00'), '2026-01-01', dueDate), '2027-01-01');
    // 348 days of 8% on 1,000.00, half to even.
    expect(usd(byDue.prefAccrued)).toBe('76.27');
    expect(byDue.notYetDue).toBeUndefined();
    const callDate = { ...TERMS, preferredReturn: { ...TERMS.preferredReturn, accruesFrom: 'call-date' as const } };
    expect(usd(accrue(callDate, contribute(callDate, open, parseCents('1000.00'), '2026-01-01', dueDate), '2027-01-01').prefAccrued)).toBe('80.00');
    const { accruesFrom: _absent, ...before } = TERMS.preferredReturn;
    const recordedBefore = { ...TERMS, preferredReturn: before };
    expect(usd(accrue(recordedBefore, contribute(recordedBefore, open, parseCents('1000.00'), '2026-01-01', dueDate), '2027-01-01').prefAccrued)).toBe('80.00');
  });

  it('returns a contribution not yet due as capital, and rounds once per stretch between due dates', () => {
    let ledger = contribute(TERMS, open, parseCents('1000.00'), '2026-01-01', '2026-03-01');
    ledger = contribute(TERMS, ledger, parseCents('500.00'), '2026-02-01', '2026-02-15');
    // Before either is due, a liquidation returns both as capital, with no preferred return.
    const early = distribute(TERMS, ledger, parseCents('1600.00'), '2026-02-10').split;
    expect([usd(early.returnOfCapital), usd(early.preferredReturn)]).toEqual(['1500.00', '0.00']);
    // 500.00 from 2026-02-15 (14 days to 2026-03-01: 1.53), then 1,500.00 from 2026-03-01 (306 days: 100.60).
    expect(usd(accrue(TERMS, ledger, '2027-01-01').prefAccrued)).toBe('102.13');
    const paid = { ...WORKED_EXAMPLE_WATERFALL, preferredReturn: { ...WORKED_EXAMPLE_WATERFALL.preferredReturn, accruesFrom: 'paid' } };
    expect(() => parseWaterfallTerms(paid, MANAGERS)).toThrow(/accruesFrom must be "due-date" or "call-date"/);
  });
});

describe('the preferred return from the due date: a default, and capital returned before it falls due', () => {
  const open = openWaterfall('2026-01-01');
  it('takes a default recorded before the due date out of what was to accrue, as one recorded on it', () => {
    // 1,000.00 paid in; 1,000.00 called on 2026-07-01 due 2026-09-01, of which 200.00 defaulted.
    const called = contribute(TERMS, contribute(TERMS, open, parseCents('1000.00'), '2026-01-01'), parseCents('1000.00'), '2026-07-01', '2026-09-01');
    const before = contribute(TERMS, called, -parseCents('200.00'), '2026-07-15', '2026-09-01');
    const onIt = contribute(TERMS, called, -parseCents('200.00'), '2026-09-01', '2026-09-01');
    expect(usd(accrue(TERMS, before, '2026-12-31').prefAccrued)).toBe(usd(accrue(TERMS, onIt, '2026-12-31').prefAccrued));
  });

  it('keeps compounding the preferred return owed when capital is returned before it falls due', () => {
    const annual = { ...TERMS, preferredReturn: { ...TERMS.preferredReturn, compounding: 'annual' as const } };
    let ledger = contribute(annual, open, parseCents('1000.00'), '2026-01-01');
    ledger = contribute(annual, ledger, parseCents('1000.00'), '2027-01-01', '2027-03-01');
    ledger = distribute(annual, ledger, parseCents('1500.00'), '2027-01-15').ledger;
    const owed = (l: WaterfallLedger) => l.prefAccrued - l.prefPaid;
    expect(owed(accrue(annual, ledger, '2027-03-01')) > owed(ledger)).toBe(true);
  });
});

describe('the clawback rules (issue 27)', () => {
  // Carry paid early, then a second call lost: 1,200.00 in, 1,300.00 out, below the hurdle over the life.
  const history = (terms: WaterfallTerms) => {
    let ledger = contribute(terms, openWaterfall('2026-01-01'), parseCents('1000.00'), '2026-01-01');
    const first = distribute(terms, ledger, parseCents('1300.00'), '2027-01-01');
    ledger = contribute(terms, first.ledger, parseCents('200.00'), '2027-01-01');
    return { paid: first.split, end: liquidation(terms, ledger, 0n, '2028-01-01') };
  };
  const withClawback = (clawback: WaterfallTerms['clawback']) => parseWaterfallTerms({ ...WORKED_EXAMPLE_WATERFALL, clawback }, MANAGERS);

  it('gives back what the managers received above their share of the profit, or above a re-run of the tiers over the life, capped by tax', () => {
    const { paid, end } = history(TERMS);
    // 1,000.00 back, 80.00 of preferred return, a catch-up of 20.00, then 200.00 split 160.00 / 40.00: 60.00 to the managers.
    expect([usd(paid.preferredReturn), usd(paid.catchUp.managers), usd(paid.carriedInterest.managers)]).toEqual(['80.00', '20.00', '40.00']);
    // Share of profit (the default): 20% of the 100.00 of profit is theirs, 40.00 goes back.
    expect(usd(end.clawback)).toBe('40.00');
    expect(usd(history(withClawback({ rule: 'share-of-profit' })).end.clawback)).toBe('40.00');
    // Re-run: the LPs first get 1,200.00 and 96.00 of preferred return (80.00, then 8% of 200.00 in 2027); the 4.00 left
    // is all catch-up: 4.00 is theirs, 56.00 goes back.
    expect(usd(history(withClawback({ rule: 'rerun' })).end.clawback)).toBe('56.00');
    // Capped by tax at 40%: at most the 36.00 they kept of the 60.00.
    expect(usd(history(withClawback({ rule: 'rerun', taxRate: '0.4' })).end.clawback)).toBe('36.00');
    expect(usd(history(withClawback({ rule: 'share-of-profit', taxRate: '0.4' })).end.clawback)).toBe('36.00');
    // The carry a liquidation leaves the managers: what they received less what they give back.
    expect(usd(history(withClawback({ rule: 'rerun' })).end.accruedCarry)).toBe('-56.00');
  });

  it('refuses a rule it does not know and a tax rate outside [0, 1)', () => {
    expect(() => withClawback({ rule: 'full' } as never)).toThrow(/clawback.rule must be "share-of-profit" or "rerun"/);
    expect(() => withClawback({ rule: 'rerun', taxRate: '1' })).toThrow(/clawback.taxRate must be a decimal from 0 to below 1/);
  });
});
