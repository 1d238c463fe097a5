import { MemoryEventStore } from '@fundsim/event-store';
import { applyTo, eventCount, scenarioFund } from '../testing/scenario-fund';
import { at, establishExample, gridFunded } from '../testing/waterfall-example';

/**
 * Fee-exempt LPs, worked by hand (docs/accounting.md, "Fee-exempt LPs"; issue 27). A is a
 * sovereign (60%), exempt from fees and carry; B is retail (40%) and bears both. A fee of 40.00 is
 * called from B alone as it is paid, beside B's commitment: the fund's cash does not move, B's
 * contributions and management fees are 40.00 each, and the 40.00 is capital B contributed for
 * the waterfall. The project is sold for 1,250.00 (cost 900.00) and the 1,350.00 of cash is
 * distributed: A receives its 60% whole, 810.00; B's 540.00 goes through the tiers (no preferred
 * return): 440.00 of capital back, then 20% of the 100.00 of profit to the managers, 80.00 to B.
 */
const terms = {
  style: 'european',
  preferredReturn: { rate: '0', compounding: 'none', dayCount: 'ACT/365' },
  catchUp: '0',
  carriedInterest: '0.2',
  carryBearing: 'non-sovereign',
  feeBearing: 'non-sovereign',
  managerShares: [
    { manager: 'us-treasury', share: '0.5' },
    { manager: 'jp-mof', share: '0.5' },
  ],
};
const commit = (actor: string, lpId: string, kind: string, amount: string) => ({
  type: 'CommitCapital',
  ...at(actor, '2025-12-10'),
  lpId,
  kind,
  country: 'US',
  amount,
  currency: 'USD',
});
const history = (fee: object, ...after: object[]) => [
  establishExample('Fee-exempt example', '1000.00', terms),
  commit('us-treasury', 'lp-a', 'sovereign', '600.00'),
  commit('retail-platform', 'lp-b', 'retail', '400.00'),
  { type: 'HoldClose', ...at('us-treasury', '2025-12-31') },
  { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '1', dueDate: '2026-01-01' },
  ...gridFunded('al', '900.00', '5000.00'),
  fee,
  { type: 'ValueProject', ...at('us-treasury', '2026-06-30'), projectId: 'grid', fairValue: '1250.00' },
  ...after,
];
const fee = (amount: string) => ({ type: 'ChargeManagementFee', ...at('us-treasury', '2026-03-31'), amount, period: '2026-Q1' });
const sale = [
  { type: 'ReceiveProceeds', ...at('us-treasury', '2027-01-01'), projectId: 'grid', kind: 'capital', amount: '1250.00' },
  { type: 'DeclareDistribution', ...at('us-treasury', '2027-01-01'), amount: '1350.00' },
];

describe('fee-exempt LPs (hand-worked)', () => {
  it('calls the fee from the fee-bearing LP alone, beside its commitment: no cash moves, and its fee is its own', async () => {
    const { queries } = await scenarioFund(history(fee('40.00')));
    const sheet = await queries.balanceSheet('f', { asOf: '2026-03-31' });
    // 1,000.00 called, 900.00 funded: the fee did not leave the fund's cash.
    expect([sheet.assets.cash, sheet.netAssets]).toEqual(['100.00', '1000.00']);
    const a = await queries.capitalAccount('f', 'lp-a', { asOf: '2026-03-31' });
    const b = await queries.capitalAccount('f', 'lp-b', { asOf: '2026-03-31' });
    expect([a.rollForward.contributions, a.rollForward.managementFees, a.rollForward.endingNav, a.unfunded]).toEqual(['600.00', '0.00', '600.00', '0.00']);
    expect([b.rollForward.contributions, b.rollForward.managementFees, b.rollForward.endingNav, b.unfunded]).toEqual(['440.00', '40.00', '400.00', '0.00']);
    // B paid it in: its paid-in counts it.
    expect(b.performance[0].paidIn).toBe('440.00');
  });

  it('before the sale the register and the carry accrued hold; after it A is paid 810.00 whole and B 520.00 net of 20.00 of carry', async () => {
    const { queries } = await scenarioFund(history(fee('40.00'), ...sale));
    const before = await queries.balanceSheet('f', { asOf: '2026-12-31' });
    expect([before.netAssets, before.partners.lps, before.partners.managersAccruedCarry]).toEqual(['1350.00', '1330.00', '20.00']);
    const register = await queries.register('f', { asOf: '2026-12-31' }, 0, 10);
    expect(register.rows.map((r) => [r.lpId, r.contributions, r.netAssets])).toEqual([
      ['lp-a', '600.00', '810.00'],
      ['lp-b', '440.00', '520.00'],
    ]);
    const line = async (lpId: string) => {
      const s = await queries.capitalAccount('f', lpId, { asOf: '2027-01-01' });
      const r = s.rollForward;
      return [lpId, r.contributions, r.managementFees, r.realizedGain, r.distributions, r.carriedInterest, r.endingNav];
    };
    expect([await line('lp-a'), await line('lp-b')]).toEqual([
      ['lp-a', '600.00', '0.00', '210.00', '810.00', '0.00', '0.00'],
      ['lp-b', '440.00', '40.00', '140.00', '520.00', '20.00', '0.00'],
    ]);
    // Each distribution notice ties to the cash; B's counts the fee in its contributions, not in its unfunded commitment.
    const notice = await queries.distributionNotice('f', 1, 'lp-b');
    expect([notice.amount, notice.carryWithheld, notice.cumulativeContributions, notice.unfunded]).toEqual(['520.00', '20.00', '440.00', '0.00']);
    // B's ledger has the fee call as its own entry, paid in and borne, and closes on the statement.
    const ledger = await queries.transactions('f', 'lp-b', { asOf: '2027-01-01' });
    const feeCall = ledger.transactions.find((t) => t.kind === 'fee-call');
    expect([feeCall?.date, feeCall?.amount, feeCall?.cash]).toEqual(['2026-03-31', '40.00', '-40.00']);
    expect([ledger.closing.contributions, ledger.closing.unfunded, ledger.closing.paidIn, ledger.closing.nav]).toEqual(['440.00', '0.00', '440.00', '0.00']);
  });

  it("refuses a fee above the fee-bearing LPs' commitments, or with none admitted, and writes nothing", async () => {
    const { store } = await scenarioFund(history(fee('400.00')));
    const before = await eventCount(store);
    expect(before).toBeGreaterThan(10);
    await expect(applyTo(store, fee('400.01'))).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
    expect(await eventCount(store)).toBe(before);
    const [establish, sovereign] = history(fee('1.00'));
    const alone = [establish, sovereign, { type: 'HoldClose', ...at('us-treasury', '2025-12-31') }, fee('1.00')];
    const empty = new MemoryEventStore();
    await expect(applyTo(empty, ...alone)).rejects.toMatchObject({ code: 'NO_FEE_BEARING_LP' });
    expect(await eventCount(empty)).toBe(0);
  });
});
