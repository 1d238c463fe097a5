import { parseCents } from '@fundsim/domain';
import { WORKED_EXAMPLE_WATERFALL } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore } from '@fundsim/event-store';
import { ScenarioService } from '../scenarios/scenario';
import { fundStream } from '../streams';
import { waterfallExample } from '../testing/waterfall-example';
import { FundQueryService } from './fund-queries.service';

/**
 * The net transfer on the hand-worked waterfall of docs/accounting.md, with LP A named as
 * us-treasury's government and B as jp-mof's: A bears 60% of the carry, its manager receives 50%.
 */
describe("the net transfer on the waterfall example (A is us-treasury's government, B jp-mof's)", () => {
  const terms = {
    ...WORKED_EXAMPLE_WATERFALL,
    managerShares: [
      { manager: 'us-treasury', share: '0.5', lpId: 'lp-a' },
      { manager: 'jp-mof', share: '0.5', lpId: 'lp-b' },
    ],
  };
  let queries: FundQueryService;
  beforeAll(async () => {
    const store = new MemoryEventStore();
    await new ScenarioService(store).apply(JSON.stringify(waterfallExample(terms)));
    queries = new FundQueryService(store);
  });

  it('A pays 30.00 of carry (18.00 of the catch-up, 12.00 of the 80/20 tier) and us-treasury receives 25.00: 5.00 goes to the other government', async () => {
    const us = (await queries.revenue('wf', 'us-treasury', { to: '2028-03-31' })).transfer!;
    const jp = (await queries.revenue('wf', 'jp-mof', { to: '2028-03-31' })).transfer!;
    expect(us.lps).toEqual(['lp-a']);
    expect(us.total.usd).toEqual({
      paidAsLp: {
        managementFees: '0.00',
        carriedInterestPaid: '30.00',
        carriedInterestAccrued: '0.00',
        carriedInterest: '30.00',
        expenses: '0.00',
        feesAndCarry: '30.00',
      },
      receivedAsManager: { managementFees: '0.00', carriedInterestPaid: '25.00', carriedInterestAccrued: '0.00', total: '25.00' },
      net: '-5.00',
    });
    expect(jp.total.usd.paidAsLp.feesAndCarry).toBe('20.00');
    expect(jp.total.usd.net).toBe('5.00');
    // Before the sale, the carry accrued (50.00) is borne 30.00 / 20.00 by profit and received 25.00 / 25.00.
    const q4 = us.quarters.find((q) => q.quarter === '2026-Q4')!;
    expect([q4.usd.paidAsLp.carriedInterestAccrued, q4.usd.receivedAsManager.carriedInterestAccrued, q4.usd.net]).toEqual(['30.00', '25.00', '-5.00']);
    // The 2028 distributions pay the carry accrued: what was accrued becomes paid, the net is unchanged in total.
    const q1 = us.quarters.find((q) => q.quarter === '2028-Q1')!;
    expect(q1.usd.paidAsLp.carriedInterestPaid).toBe('30.00');
    // In yen at the rate of each quarter's last day: none recorded in this fund.
    expect(us.total.jpy).toBeNull();
  });

  it('a manager whose government the terms do not name has no transfer', async () => {
    const store = new MemoryEventStore();
    await new ScenarioService(store).apply(JSON.stringify(waterfallExample(WORKED_EXAMPLE_WATERFALL)));
    expect((await new FundQueryService(store).revenue('wf', 'us-treasury', { to: '2028-03-31' })).transfer).toBeNull();
  });

  it('with fees and carry shared by stake (A 600.00, B 400.00: 60/40), each manager receives what its government pays: nets 0.00', async () => {
    const store = new MemoryEventStore();
    await new ScenarioService(store).apply(JSON.stringify(waterfallExample({ ...terms, feeShares: 'by-stake', carryShares: 'by-stake' })));
    const byStake = new FundQueryService(store);
    const closes = [];
    for await (const e of store.readStream(fundStream('wf'))) if (e.type === 'CloseHeld') closes.push(e.data as { stakes?: unknown });
    expect(closes[0].stakes).toEqual({ 'lp-a': '600.00', 'lp-b': '400.00' });
    const us = (await byStake.revenue('wf', 'us-treasury', { to: '2028-03-31' })).transfer!;
    const jp = (await byStake.revenue('wf', 'jp-mof', { to: '2028-03-31' })).transfer!;
    expect([us.total.usd.paidAsLp.feesAndCarry, us.total.usd.receivedAsManager.total, us.total.usd.net]).toEqual(['30.00', '30.00', '0.00']);
    expect([jp.total.usd.paidAsLp.feesAndCarry, jp.total.usd.receivedAsManager.total, jp.total.usd.net]).toEqual(['20.00', '20.00', '0.00']);
    // The carry accrued before the sale (50.00) is received 30.00 / 20.00, as the LPs bear it.
    const q4 = us.quarters.find((q) => q.quarter === '2026-Q4')!;
    expect([q4.usd.receivedAsManager.carriedInterestAccrued, q4.usd.net]).toEqual(['30.00', '0.00']);
    // The distributions record the managers' 50.00 split by stake: 30.00 / 20.00.
    const report = await byStake.waterfall('wf', { asOf: '2028-03-31' });
    const recorded = (m: string) => report.distributions.reduce((sum, d) => sum + parseCents(d.split.managers[m] ?? '0'), 0n);
    expect([recorded('us-treasury'), recorded('jp-mof')]).toEqual([3000n, 2000n]);
  });
});
