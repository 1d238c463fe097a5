import { parseCents } from '@fundsim/domain';
import { ILPA_COLUMNS, ilpaStatementCsv, type IlpaStatement } from '@fundsim/projections';
import { WORKED_EXAMPLE_WATERFALL } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from './fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';
import { commit, handWorkedFund, m } from '../testing/hand-worked-fund';
import { waterfallExample } from '../testing/waterfall-example';

/*
 * The hand-worked fund (docs/accounting.md) carried into 2027: a 20% call on 2027-02-15 due
 * 2027-03-01, a distribution declared 2027-05-15, and the project revalued on 2027-06-30. A's
 * statement on 2027-06-30 for the second quarter, the year and since inception.
 */
async function into2027(options: { yenLp?: boolean } = {}) {
  const fund = await handWorkedFund();
  const { run } = fund;
  if (options.yenLp) {
    await run({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150' }, metadata: m('us-treasury', '2026-10-01') });
    await run(commit('lp-j', '150000', '2026-10-01', 'JPY'));
    await run({ type: 'HoldClose', data: {}, metadata: m('us-treasury', '2026-10-02') });
    await run({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '160' }, metadata: m('us-treasury', '2026-12-01') });
  }
  const total = options.yenLp ? 6000n : 5000n;
  await run({ type: 'CallCapital', data: { percentage: '0.20', dueDate: '2027-03-01' }, metadata: m('us-treasury', '2027-02-15') });
  if (options.yenLp) await run({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '140' }, metadata: m('us-treasury', '2027-03-15') });
  // 100.00 per 1,000 of commitment, and as much again of gain.
  await run({ type: 'DeclareDistribution', data: { amount: `${total / 10n}.00`, paymentDate: '2027-05-31' }, metadata: m('us-treasury', '2027-05-15') });
  await run({ type: 'ValueProject', data: { projectId: 'grid', fairValue: `${2900n + total / 10n}.00` }, metadata: m('us-treasury', '2027-06-30') });
  if (options.yenLp) await run({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '145' }, metadata: m('us-treasury', '2027-06-30') });
  return fund;
}

const row = (period: string, yearToDate: string, inceptionToDate: string) => ({ period, yearToDate, inceptionToDate });

/** beginning + every line = ending, in every column (the lines are signed as they move net assets). */
function expectAddsUp(lines: Record<string, Record<string, string>>, beginning: string, ending: string) {
  for (const c of ILPA_COLUMNS) {
    const moved = Object.entries(lines)
      .filter(([k]) => k !== beginning && k !== ending)
      .reduce((sum, [, cols]) => sum + parseCents(cols[c]), 0n);
    expect(parseCents(lines[beginning][c]) + moved).toBe(parseCents(lines[ending][c]));
  }
}

describe('The ILPA statement, worked by hand', () => {
  it('gives the period, the year to date and since inception side by side, and rolls the commitment forward', async () => {
    const { queries } = await into2027();
    const a = await queries.ilpaStatement('usjp', 'lp-a', { asOf: '2027-06-30', from: '2027-04-01' });
    expect(a.dates).toEqual({
      period: { from: '2027-04-01', to: '2027-06-30' },
      yearToDate: { from: '2027-01-01', to: '2027-06-30' },
      inceptionToDate: { from: null, to: '2027-06-30' },
    });
    // A: 1,000 of 5,000. Since inception: 500 + 200 called; 100 distributed; its 10 of the 50 fee;
    // 1.25 of C's equalization interest; 400 x 1/4 + 500 x 1/5 + 500 x 1/5 of unrealized gain.
    expect(a.rollForward).toEqual({
      beginningNav: row('891.25', '691.25', '0.00'),
      contributions: row('0.00', '200.00', '700.00'),
      distributions: row('-100.00', '-100.00', '-100.00'),
      transfersIn: row('0.00', '0.00', '0.00'),
      transfersOut: row('0.00', '0.00', '0.00'),
      carriedInterestPaid: row('0.00', '0.00', '0.00'),
      changeInAccruedCarry: row('0.00', '0.00', '0.00'),
      managementFees: row('0.00', '0.00', '-10.00'),
      expenses: row('0.00', '0.00', '0.00'),
      interest: row('0.00', '0.00', '0.00'),
      income: row('0.00', '0.00', '1.25'),
      realizedGain: row('0.00', '0.00', '0.00'),
      changeInUnrealizedGain: row('100.00', '100.00', '300.00'),
      endingNav: row('891.25', '891.25', '891.25'),
    });
    expect(a.commitment).toEqual({
      beginningUnfunded: row('300.00', '500.00', '0.00'),
      commitmentAdmitted: row('0.00', '0.00', '1000.00'),
      unfundedTransferredIn: row('0.00', '0.00', '0.00'),
      unfundedTransferredOut: row('0.00', '0.00', '0.00'),
      contributionsCalled: row('0.00', '-200.00', '-700.00'),
      endingUnfunded: row('300.00', '300.00', '300.00'),
      defaultedInPeriod: row('0.00', '0.00', '0.00'),
    });
    expect(a.yen).toBeNull();
    expectAddsUp(a.rollForward, 'beginningNav', 'endingNav');
    const { defaultedInPeriod: _memo, ...commitment } = a.commitment;
    expectAddsUp(commitment, 'beginningUnfunded', 'endingUnfunded');

    // The inception-to-date column is the statement from inception, signed.
    const itd = await queries.capitalAccount('usjp', 'lp-a', { asOf: '2027-06-30' });
    expect(a.rollForward.endingNav.inceptionToDate).toBe(itd.rollForward.endingNav);
    expect(a.rollForward.distributions.inceptionToDate).toBe(`-${itd.rollForward.distributions}`);
  });

  it('starts the period at the first day of the quarter when no `from` is given, and writes CSV with stable line names', async () => {
    const { queries } = await into2027();
    const a = await queries.ilpaStatement('usjp', 'lp-c', { asOf: '2027-06-30' });
    expect(a.dates.period.from).toBe('2027-04-01');
    const csv = [...ilpaStatementCsv(a)].join('');
    expect(csv.split('\n').slice(0, 4)).toEqual([
      'line,period,year_to_date,inception_to_date',
      'from_date,2027-04-01,2027-01-01,',
      'to_date,2027-06-30,2027-06-30,2027-06-30',
      'beginning_nav,790.00,590.00,0.00',
    ]);
    expect(csv.split('\n').map((l) => l.split(',')[0])).toEqual([
      'line',
      'from_date',
      'to_date',
      'beginning_nav',
      'contributions',
      'distributions',
      'transfers_in',
      'transfers_out',
      'carried_interest_paid',
      'change_in_accrued_carry',
      'management_fees',
      'expenses',
      'interest',
      'income',
      'realized_gain',
      'change_in_unrealized_gain',
      'ending_nav',
      'beginning_unfunded',
      'commitment_admitted',
      'unfunded_transferred_in',
      'unfunded_transferred_out',
      'contributions_called',
      'ending_unfunded',
      'defaulted_in_period',
      '',
    ]);
  });

  it("rolls a yen LP's account forward in yen too: opening NAV at the opening rate, the rest at the closing rate, the difference as currency translation", async () => {
    const { queries } = await into2027({ yenLp: true });
    const j: IlpaStatement = await queries.ilpaStatement('usjp', 'lp-j', { asOf: '2027-06-30', from: '2027-04-01' });
    // J: 1,000.00 admitted on 2026-10-02 (500 catch-up), 200 called in 2027, 100 distributed, 100 of gain.
    expect(j.rollForward.beginningNav).toEqual(row('700.00', '500.00', '0.00'));
    expect(j.rollForward.endingNav).toEqual(row('700.00', '700.00', '700.00'));
    // Rates: 140 on 2027-03-31 (recorded 03-15), 160 on 2026-12-31, 145 on 2027-06-30.
    expect(j.yen!.rates).toEqual({
      period: { opening: '140', closing: '145' },
      yearToDate: { opening: '160', closing: '145' },
      inceptionToDate: { opening: null, closing: '145' },
    });
    expect(j.yen!.rollForward).toMatchObject({
      beginningNav: row('98000', '80000', '0'),
      contributions: row('0', '29000', '101500'),
      distributions: row('-14500', '-14500', '-14500'),
      changeInUnrealizedGain: row('14500', '14500', '14500'),
      // 700 x (145 - 140); 500 x (145 - 160); nothing from inception (every line at the closing rate).
      currencyTranslation: row('3500', '-7500', '0'),
      endingNav: row('101500', '101500', '101500'),
    });
    for (const c of ILPA_COLUMNS) {
      const yen = j.yen!.rollForward;
      const moved = Object.entries(yen)
        .filter(([k]) => k !== 'beginningNav' && k !== 'endingNav')
        .reduce((s, [, v]) => s + BigInt(v[c]), 0n);
      expect(BigInt(yen.beginningNav[c]) + moved).toBe(BigInt(yen.endingNav[c]));
    }
    const csv = [...ilpaStatementCsv(j)].join('');
    expect(csv).toContain('\njpy_rate_opening,140,160,\n');
    expect(csv).toContain('\njpy_currency_translation,3500,-7500,0\n');
  });

  it('shows the carry paid and the change in the carry accrued on separate lines (the waterfall worked by hand)', async () => {
    const store = new MemoryEventStore();
    await new ScenarioService(store).apply(JSON.stringify(waterfallExample(WORKED_EXAMPLE_WATERFALL)));
    const a = await new FundQueryService(store).ilpaStatement('wf', 'lp-a', { asOf: '2028-01-31' });
    // On 2027-12-31 the 750.00 left would give the managers 50.00 (500 of capital, 120 of
    // preferred return, 30 of catch-up, 100 split 80/20), 30.00 of it from A (60%): A's NAV
    // 420.00. In January 2028 A receives 420.00 and the managers are paid their 50.00 (30.00
    // from A): the accrual A bore falls to nil. Since inception A put in 600.00, received
    // 720.00, bore 30.00 of carry, and had 60% of the 250.00 gained on the sale.
    expect(a.rollForward).toEqual({
      beginningNav: row('420.00', '420.00', '0.00'),
      contributions: row('0.00', '0.00', '600.00'),
      distributions: row('-420.00', '-420.00', '-720.00'),
      transfersIn: row('0.00', '0.00', '0.00'),
      transfersOut: row('0.00', '0.00', '0.00'),
      carriedInterestPaid: row('-30.00', '-30.00', '-30.00'),
      changeInAccruedCarry: row('30.00', '30.00', '0.00'),
      managementFees: row('0.00', '0.00', '0.00'),
      expenses: row('0.00', '0.00', '0.00'),
      interest: row('0.00', '0.00', '0.00'),
      income: row('0.00', '0.00', '0.00'),
      realizedGain: row('0.00', '0.00', '150.00'),
      changeInUnrealizedGain: row('0.00', '0.00', '0.00'),
      endingNav: row('0.00', '0.00', '0.00'),
    });
    expectAddsUp(a.rollForward, 'beginningNav', 'endingNav');
  });
});
