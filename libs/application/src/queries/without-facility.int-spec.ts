import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore } from '@fundsim/event-store';
import { flowsWithoutFacility } from '@fundsim/projections';
import { FundCommandService, type AnyCommand } from '../commands/fund-commands.service';
import { FundQueryService } from './fund-queries.service';
import { commit, m } from '../testing/hand-worked-fund';

/*
 * One draw, one call that repays it, one distribution (docs/accounting.md, "With and without the
 * facility"): A commits 2,000.00. The fund draws 1,000.00 on 2026-01-20 and invests it; it calls
 * 55% (1,100.00) due 2026-07-01 and that day pays 1,000 x 5% x 162/365 = 22.19 of interest and
 * repays the 1,000.00. The project is valued at 1,200.00, returns 1,000.00 of capital, and the
 * fund distributes 1,000.00 on 2027-01-04, leaving 200.00 invested and 77.81 of cash.
 */
async function oneDrawOneCallOneDistribution() {
  const store = new MemoryEventStore();
  const commands = new FundCommandService(store);
  const run = (command: AnyCommand) => commands.execute('usjp', command);
  await run(establishUsJapanFund());
  await run(commit('lp-a', '2000.00', '2026-01-16'));
  await run({ type: 'HoldClose', data: {}, metadata: m('jp-mof', '2026-01-17') });
  await run({
    type: 'OpenCreditFacility',
    data: { facilityId: 'bank', lender: 'bank', limit: '10000.00', annualRate: '0.05', dayCount: 'ACT/365', maturityDate: '2030-01-01' },
    metadata: m('us-treasury', '2026-01-17'),
  });
  await run({ type: 'DrawLeverage', data: { facilityId: 'bank', amount: '1000.00' }, metadata: m('us-treasury', '2026-01-20') });
  await run({
    type: 'RegisterProject',
    data: { projectId: 'grid', name: 'Grid', sector: 'energy', partners: [], totalProjectSize: '10000.00' },
    metadata: m('us-treasury', '2026-01-21'),
  });
  await run({ type: 'ProposeAllocation', data: { allocationId: 'al-1', projectId: 'grid', amount: '1000.00' }, metadata: m('us-treasury', '2026-01-21') });
  await run({ type: 'ApproveAllocation', data: { allocationId: 'al-1' }, metadata: m('jp-mof', '2026-01-21') });
  await run({ type: 'FundProject', data: { allocationId: 'al-1', amount: '1000.00' }, metadata: m('us-treasury', '2026-01-21') });
  await run({ type: 'CallCapital', data: { percentage: '0.55', dueDate: '2026-07-01' }, metadata: m('us-treasury', '2026-06-15') });
  await run({ type: 'PayInterest', data: { facilityId: 'bank' }, metadata: m('us-treasury', '2026-07-01') });
  await run({ type: 'RepayLeverage', data: { facilityId: 'bank', amount: '1000.00' }, metadata: m('us-treasury', '2026-07-01') });
  await run({ type: 'ValueProject', data: { projectId: 'grid', fairValue: '1200.00' }, metadata: m('us-treasury', '2027-01-01') });
  await run({ type: 'ReceiveProceeds', data: { projectId: 'grid', kind: 'capital', amount: '1000.00' }, metadata: m('us-treasury', '2027-01-02') });
  await run({ type: 'DeclareDistribution', data: { amount: '1000.00', paymentDate: '2027-01-04' }, metadata: m('us-treasury', '2027-01-04') });
  return new FundQueryService(store);
}

describe('the fund with and without its facility, worked by hand', () => {
  it('moves the call that repaid the draw to the draw date, and drops the interest', async () => {
    const queries = await oneDrawOneCallOneDistribution();
    const p = await queries.performance('usjp', { asOf: '2027-01-04' });
    expect([p.interestExpense, p.debt, p.rollForward.netAssets]).toEqual(['22.19', '0.00', '277.81']);
    // As booked: 1,100.00 paid on 2026-07-01; 1,000.00 back and 277.81 left.
    expect(p.withFacility).toMatchObject({ paidIn: '1100.00', distributed: '1000.00', residualValue: '277.81', tvpi: '1.1616', dpi: '0.9091', rvpi: '0.2526' });
    // Without: 1,000.00 called on 2026-01-20 instead of drawn; the July call less what went to the
    // lender (1,100.00 - 1,000.00 - 22.19 = 77.81); the same distribution and residual value.
    expect(p.withoutFacility).toMatchObject({
      paidIn: '1077.81',
      distributed: '1000.00',
      residualValue: '277.81',
      tvpi: '1.1856',
      dpi: '0.9278',
      rvpi: '0.2578',
    });
    // Not ILPA's: the 22.19 added to the residual value, the July timing kept.
    expect(p.interestAddedBack).toMatchObject({ paidIn: '1100.00', distributed: '1000.00', residualValue: '300.00', tvpi: '1.1818' });
    // The facility flatters the IRR: capital out in January instead of July.
    const irr = (x: { xirr: string | null }) => Number(x.xirr);
    expect(irr(p.withoutFacility)).toBeLessThan(irr(p.withFacility));
    expect(irr(p.withFacility)).toBeLessThan(irr(p.interestAddedBack));
    const npv = (rate: number) => -1000 / Math.pow(1 + rate, 0) - 77.81 / Math.pow(1 + rate, 162 / 365) + 1277.81 / Math.pow(1 + rate, 349 / 365);
    expect(npv(irr(p.withoutFacility))).toBeCloseTo(0, 2);
  });

  it('before the repayment: the draw is a call, the debt and the interest accrued are not owed', async () => {
    const queries = await oneDrawOneCallOneDistribution();
    const p = await queries.performance('usjp', { asOf: '2026-03-31' });
    // 1,000 x 5% x 70/365 = 9.589... accrued; no LP has paid anything yet.
    expect([p.debt, p.interestExpense]).toEqual(['1000.00', '9.59']);
    expect(p.withFacility).toMatchObject({ paidIn: '0.00', residualValue: '-9.59' });
    expect(p.withoutFacility).toMatchObject({ paidIn: '1000.00', residualValue: '1000.00', tvpi: '1.0000' });
  });
});

describe('flowsWithoutFacility', () => {
  const flow = (date: string, cents: bigint) => ({ date, cents });
  it('returns what the contributions since the previous payment did not pay as a distribution on the payment date', () => {
    const flows = [flow('2026-02-01', -500n), flow('2026-05-01', -300n), flow('2026-09-01', 1000n)];
    const facility = [
      { date: '2026-01-10', facilityId: 'bank', kind: 'draw' as const, cents: 1000n },
      // Paid by the May contribution (300) and February's (500); 200 from other cash.
      { date: '2026-06-01', facilityId: 'bank', kind: 'repayment' as const, cents: 1000n },
      // After the June payment no contribution is left: all of it from other cash.
      { date: '2026-08-01', facilityId: 'bank', kind: 'interest' as const, cents: 20n },
    ];
    expect(flowsWithoutFacility(flows, facility)).toEqual([
      flow('2026-01-10', -1000n),
      flow('2026-06-01', 200n),
      flow('2026-08-01', 20n),
      flow('2026-09-01', 1000n),
    ]);
  });
});
