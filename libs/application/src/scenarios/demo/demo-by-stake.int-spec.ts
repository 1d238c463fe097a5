import { parseCents } from '@fundsim/domain';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from '../../queries/fund-queries.service';
import { ScenarioService } from '../scenario';
import { DemoService } from './demo.service';
import { DEMO_WATERFALL_ALL_BEARING } from './us-japan-fund';

/**
 * The demo's history under fees and carry shared by the governments' stakes (issue 27 item 2),
 * and with the sovereigns exempt from carry as well (item 1), the demo's own terms unchanged: each
 * government's manager then receives what its LP account pays of the governments' part, and the
 * net transfer between them all but vanishes.
 */
describe('the demo history with fees and carry shared by stake', () => {
  it("each government's net is its stake's part of what the other LPs pay, not 4.75B moved between the governments", async () => {
    const store = new MemoryEventStore();
    await new DemoService(store, new ScenarioService(store)).load({
      waterfall: { ...DEMO_WATERFALL_ALL_BEARING, feeShares: 'by-stake', carryShares: 'by-stake' },
    });
    const queries = new FundQueryService(store);
    const us = (await queries.revenue('usjp', 'us-treasury', { from: '2026-01-01', to: '2035-12-31' })).transfer!.total.usd;
    const jp = (await queries.revenue('usjp', 'jp-mof', { from: '2026-01-01', to: '2035-12-31' })).transfer!.total.usd;
    const figures = {
      us: { paid: us.paidAsLp.feesAndCarry, received: us.receivedAsManager.total, net: us.net },
      jp: { paid: jp.paidAsLp.feesAndCarry, received: jp.receivedAsManager.total, net: jp.net },
    };
    // Under the demo's own 50/50 terms: us-treasury -4,748,287,774.15, jp-mof +4,774,261,704.80 (docs/accounting.md).
    expect(figures).toEqual({
      us: { paid: '49342536615.18', received: '49355977687.40', net: '13441072.22' },
      jp: { paid: '39819987136.24', received: '39832519994.67', net: '12532858.43' },
    });
    // The governments' nets sum to what the other LPs pay (25,973,930.65, as under the 50/50 terms).
    expect(parseCents(us.net) + parseCents(jp.net)).toBe(2_597_393_065n);
  }, 600_000);

  it("under the demo's own terms, the sovereigns exempt from fees and carry: the governments pay nothing as LPs, the managers' income is the other LPs'", async () => {
    const store = new MemoryEventStore();
    // The demo's own terms.
    await new DemoService(store, new ScenarioService(store)).load();
    const queries = new FundQueryService(store);
    const figures = async (manager: string) => {
      const t = (await queries.revenue('usjp', manager, { from: '2026-01-01', to: '2035-12-31' })).transfer!.total.usd;
      return { fees: t.paidAsLp.managementFees, carry: t.paidAsLp.carriedInterest, received: t.receivedAsManager.total, net: t.net };
    };
    const us = await figures('us-treasury');
    const jp = await figures('jp-mof');
    // The governments pay nothing as LPs: no fee (called from the other LPs alone) and no carry; where they bore fees they paid about 27.5B.
    expect({ us, jp }).toEqual({
      us: { fees: '0.00', carry: '0.00', received: us.received, net: us.received },
      jp: { fees: '0.00', carry: '0.00', received: jp.received, net: jp.received },
    });
    // Their nets are the managers' whole income (fees, carry paid and accrued), all of it paid by the other LPs.
    const report = await queries.waterfall('usjp', { asOf: '2035-12-31' });
    expect(parseCents(us.net) + parseCents(jp.net)).toBe(report.managers.reduce((sum, m) => sum + parseCents(m.total), 0n));
    // us-treasury +14.4M, jp-mof +11.7M over ten years; the managers' carry is the retail LPs' alone: 18.1M accrued at the end, against 61.7B with every LP bearing it.
    expect([us.net, jp.net, report.netAssets.managersAccruedCarry]).toEqual(['14441459.29', '11654839.83', '18061820.04']);
    const gov = await queries.capitalAccount('usjp', 'us-gov', { asOf: '2035-12-31' });
    expect([gov.rollForward.managementFees, gov.rollForward.carriedInterest, gov.accruedCarry]).toEqual(['0.00', '0.00', '0.00']);
  }, 600_000);
});
