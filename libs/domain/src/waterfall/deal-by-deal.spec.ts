import { formatCents, parseCents } from '../cents';
import { Rejection } from '../rejections';
import { WORKED_EXAMPLE_WATERFALL } from '../testing/fund-fixtures';
import { attribute, dealTiers, NOT_A_DEAL, openDeals, returnableCapital, withDistribution, withFunding, withProceeds, ZERO_TIERS } from './deal-by-deal';
import { clawback, contribute, distribute, openWaterfall, parseWaterfallTerms, type WaterfallLedger, type WaterfallTerms } from './waterfall';

const MANAGERS = ['us-treasury', 'jp-mof'];
const american = (extra: object = {}): WaterfallTerms => parseWaterfallTerms({ ...WORKED_EXAMPLE_WATERFALL, style: 'american', ...extra }, MANAGERS);
const c = parseCents;
const usd = formatCents;
const none = { cents: 0n, admittedCents: 0n };

/**
 * The hand-worked American case of docs/accounting.md: 8% simple, full catch-up, 20% carry. The
 * LPs pay 1,000.00 on 2026-01-01; the fund puts 500.00 in deal X and 500.00 in deal Y. X is sold
 * for 900.00 on 2027-01-01 and distributed; Y is written down to 200.00 and sold for it on
 * 2028-01-01, and that is distributed.
 */
function history(terms: WaterfallTerms, yWrittenDownFirst = false): { rows: string[][]; ledger: WaterfallLedger } {
  let ledger = contribute(terms, openWaterfall('2026-01-01'), c('1000.00'), '2026-01-01');
  const rows: string[][] = [];
  const pay = (amount: string, date: string, held: { cost: bigint; fairValue: bigint }[]) => {
    const returnable = terms.style === 'american' ? returnableCapital(ledger.contributed, held, none) : undefined;
    const { split, ledger: next } = distribute(terms, ledger, c(amount), date, returnable);
    ledger = next;
    rows.push([
      date,
      amount,
      usd(returnable ?? ledger.contributed),
      usd(split.returnOfCapital),
      usd(split.preferredReturn),
      usd(split.catchUp.managers),
      usd(split.carriedInterest.lps),
      usd(split.carriedInterest.managers),
    ]);
  };
  // X realised (cost relieved whole); Y held at cost, or already written down to 200.00.
  pay('900.00', '2027-01-01', [{ cost: c('500.00'), fairValue: c(yWrittenDownFirst ? '200.00' : '500.00') }]);
  // Y sold: nothing held.
  pay('200.00', '2028-01-01', []);
  return { rows, ledger };
}

describe('the American waterfall: the hand-worked case of docs/accounting.md', () => {
  it("pays carry on the early winner while the loser's capital is out, and the clawback gives it back at the end", () => {
    const { rows, ledger } = history(american());
    expect(rows).toEqual([
      //  date        amount    returnable capital   pref     catch-up carry LPs  carry mgr
      ['2027-01-01', '900.00', '500.00', '500.00', '80.00', '20.00', '240.00', '60.00'],
      ['2028-01-01', '200.00', '1000.00', '200.00', '0.00', '0.00', '0.00', '0.00'],
    ]);
    // The managers received 80.00; the fund's profit over its life is 1,100 - 1,000 = 100.00.
    expect(usd(ledger.catchUpToManagers + ledger.carryTierToManagers)).toBe('80.00');
    // share-of-profit: 20% of 100.00 is theirs, 60.00 goes back.
    expect(usd(clawback(american(), ledger))).toBe('60.00');
    // rerun: 1,000.00 of capital and 120.00 of preferred return (80.00 on 1,000.00 for 2026, 40.00 on the 500.00 out in 2027) come first: all 80.00 goes back.
    expect(usd(clawback(american({ clawback: { rule: 'rerun' } }), ledger))).toBe('80.00');
    // Capped at what they received net of tax at 40%: 48.00, either way.
    expect(usd(clawback(american({ clawback: { rule: 'share-of-profit', taxRate: '0.4' } }), ledger))).toBe('48.00');
    expect(usd(clawback(american({ clawback: { rule: 'rerun', taxRate: '0.4' } }), ledger))).toBe('48.00');
  });

  it('counts a write-down as capital to return before any carry', () => {
    // Y written down to 200.00 before X's sale: 800.00 of capital comes back first, the managers' catch-up is 20.00 and no more.
    const { rows, ledger } = history(american(), true);
    expect(rows).toEqual([
      ['2027-01-01', '900.00', '800.00', '800.00', '80.00', '20.00', '0.00', '0.00'],
      ['2028-01-01', '200.00', '1000.00', '200.00', '0.00', '0.00', '0.00', '0.00'],
    ]);
    expect(usd(clawback(american(), ledger))).toBe('0.00');
  });

  it('the same history under the European terms pays the managers only a part of their catch-up, at the end', () => {
    const { rows, ledger } = history(parseWaterfallTerms(WORKED_EXAMPLE_WATERFALL, MANAGERS));
    expect(rows.map((r) => r.slice(3))).toEqual([
      ['900.00', '0.00', '0.00', '0.00', '0.00'],
      // 100.00 of capital, 88.00 of preferred return (80.00 + 8% of the 100.00 out in 2027), 12.00 of a 22.00 catch-up.
      ['100.00', '88.00', '12.00', '0.00', '0.00'],
    ]);
    expect(clawback(parseWaterfallTerms(WORKED_EXAMPLE_WATERFALL, MANAGERS), ledger)).toBe(0n);
  });
});

describe('the deals of an American waterfall', () => {
  it('attributes a distribution to the proceeds not yet distributed, oldest first, and the rest to no deal', () => {
    let book = withFunding(withFunding(openDeals(), 'x', c('500.00')), 'y', c('500.00'));
    book = withProceeds(withProceeds(withProceeds(book, 'x', c('100.00')), 'y', c('50.00')), 'x', c('30.00'));
    expect(attribute(book, c('120.00'))).toEqual([
      { projectId: 'x', cents: c('100.00') },
      { projectId: 'y', cents: c('20.00') },
    ]);
    book = withDistribution(book, attribute(book, c('120.00')));
    expect(attribute(book, c('100.00'))).toEqual([
      { projectId: 'y', cents: c('30.00') },
      { projectId: 'x', cents: c('30.00') },
    ]);
    expect([book.deals.get('x')!.distributed, book.deals.get('y')!.distributed]).toEqual([c('100.00'), c('20.00')]);
  });

  it('keeps each version of the book its own when an earlier one grows (a fold resumed from a snapshot)', () => {
    const base = withProceeds(openDeals(), 'x', c('10.00'));
    const one = withProceeds(base, 'x', c('5.00'));
    const other = withProceeds(base, 'y', c('7.00'));
    expect(attribute(one, c('100.00'))).toEqual([{ projectId: 'x', cents: c('15.00') }]);
    expect(attribute(other, c('100.00'))).toEqual([
      { projectId: 'x', cents: c('10.00') },
      { projectId: 'y', cents: c('7.00') },
    ]);
    expect(attribute(base, c('100.00'))).toEqual([{ projectId: 'x', cents: c('10.00') }]);
  });

  it("shares each tier over a distribution's deals by what each funded, to the cent", () => {
    const tiers = { ...ZERO_TIERS, returnOfCapital: c('0.01'), carriedInterestToManagers: c('9.99') };
    const parts = dealTiers(c('10.00'), tiers, [
      { projectId: 'x', cents: c('5.00') },
      { projectId: 'y', cents: c('3.00') },
    ]);
    expect(Object.fromEntries([...parts].map(([k, t]) => [k, [usd(t.returnOfCapital), usd(t.carriedInterestToManagers)]]))).toEqual({
      x: ['0.01', '4.99'],
      y: ['0.00', '3.00'],
      [NOT_A_DEAL]: ['0.00', '2.00'],
    });
  });

  it('returns the capital of deals held at most at their fair value, never below zero, less the carry-exempt share', () => {
    const held = [
      { cost: c('500.00'), fairValue: c('800.00') },
      { cost: c('300.00'), fairValue: c('100.00') },
      { cost: 0n, fairValue: c('50.00') },
    ];
    expect(usd(returnableCapital(c('1000.00'), held, none))).toBe('400.00');
    expect(returnableCapital(c('100.00'), held, none)).toBe(0n);
    // A carry-exempt LP with 60% of the commitments: the bearing LPs' capital held is 40% of 600.00.
    expect(usd(returnableCapital(c('400.00'), held, { cents: c('600.00'), admittedCents: c('1000.00') }))).toBe('160.00');
  });

  it('is a choice of terms, named in the rejection when the style is neither', () => {
    expect(american().style).toBe('american');
    expect(() => parseWaterfallTerms({ ...WORKED_EXAMPLE_WATERFALL, style: 'deal-by-deal' }, MANAGERS)).toThrow(Rejection);
    expect(() => parseWaterfallTerms({ ...WORKED_EXAMPLE_WATERFALL, style: 'deal-by-deal' }, MANAGERS)).toThrow(/style must be "european" or "american"/);
  });
});
