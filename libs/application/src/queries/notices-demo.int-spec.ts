import { parseCents } from '@fundsim/domain';
import { MemoryEventStore } from '@fundsim/event-store';
import { DemoService } from '../scenarios/demo/demo.service';
import { FundQueryService } from './fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';

/**
 * Every notice of the demo fund (120 retail LPs, the two sovereigns; yen LPs, three closes, a
 * waterfall) against the fund's own figures and each LP's statement (issue 25, item 3).
 */
describe("the demo's notices", () => {
  let queries: FundQueryService;
  beforeAll(async () => {
    const store = new MemoryEventStore();
    await new DemoService(store, new ScenarioService(store)).load({ retailLps: 120 });
    queries = new FundQueryService(store);
  }, 120_000);

  it("of each call sum to the call's total, each by purpose to its amount, and tie to the LP's statement on the call's date", async () => {
    const books = await queries.books('usjp');
    const calls = books.timeline.ledger.state.calls;
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      const notices = [...(await queries.callNotices('usjp', call.callNumber))];
      expect(notices.length).toBeGreaterThan(0);
      const total = notices.reduce((sum, n) => sum + parseCents(n.amount), 0n);
      expect([call.callNumber, total]).toEqual([call.callNumber, parseCents(call.totalUsd.toString())]);
      const sameDay = calls.filter((c) => c.date === call.date);
      for (const n of notices) {
        expect(Object.values(n.purposes).reduce((sum, v) => sum + parseCents(v), 0n)).toBe(parseCents(n.amount));
        expect(parseCents(n.unfundedBefore) - parseCents(n.unfundedAfter)).toBe(parseCents(n.amount));
        if (n.yen) expect(Object.values(n.yen.purposes).reduce((sum, v) => sum + BigInt(v), 0n)).toBe(BigInt(n.yen.amount));
        if (sameDay[sameDay.length - 1] !== call) continue;
        const statement = await queries.capitalAccount('usjp', n.lpId, { asOf: call.date });
        expect([n.lpId, call.callNumber, n.cumulativeContributions, n.unfundedAfter]).toEqual([
          n.lpId,
          call.callNumber,
          statement.rollForward.contributions,
          statement.unfunded,
        ]);
      }
    }
  }, 300_000);

  it('of each distribution sum to what the LPs receive and the carry to what the managers do, each by tier to its cash', async () => {
    const books = await queries.books('usjp');
    const payouts = books.timeline.ledger.payouts;
    expect(payouts.length).toBeGreaterThan(3);
    let yen = 0;
    for (const payout of payouts) {
      const notices = [...(await queries.distributionNotices('usjp', payout.distributionNumber))];
      expect(notices.reduce((sum, n) => sum + parseCents(n.amount), 0n)).toBe(payout.cents);
      expect(notices.reduce((sum, n) => sum + parseCents(n.carryWithheld), 0n)).toBe(parseCents(payout.split?.toManagers ?? '0.00'));
      const sameDay = payouts.filter((p) => p.date === payout.date);
      for (const n of notices) {
        if (n.tiers) expect(Object.values(n.tiers).reduce((sum, v) => sum + parseCents(v), 0n)).toBe(parseCents(n.amount));
        expect(parseCents(n.grossAmount)).toBe(parseCents(n.amount) + parseCents(n.carryWithheld));
        if (n.yen) yen++;
        if (sameDay[sameDay.length - 1] !== payout) continue;
        const statement = await queries.capitalAccount('usjp', n.lpId, { asOf: payout.date });
        expect([n.lpId, payout.distributionNumber, n.cumulativeDistributions]).toEqual([
          n.lpId,
          payout.distributionNumber,
          statement.rollForward.distributions,
        ]);
      }
    }
    expect(yen).toBeGreaterThan(0);
  }, 300_000);
});
