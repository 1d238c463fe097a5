import { MemoryEventStore } from '@fundsim/event-store';
import { FundCommandService } from '../commands/fund-commands.service';
import { FundQueryService } from '../queries/fund-queries.service';
import { DemoService } from '../scenarios/demo/demo.service';
import { ScenarioService } from '../scenarios/scenario';
import { lpStream } from '../streams';
import { admitCommitment, PendingCommitments, SIMULATED_LP } from './commitment-admission';
import { SimulationService } from './simulation.service';

const SIMULATED = { lpId: SIMULATED_LP, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD', amountUsd: '1000.00' } as const;

describe('the commitments pending on a date, kept for the next simulation on it', () => {
  it('gives the same set for the same log, date and close; a caller adds to its own; a log that grew is read anew', async () => {
    const store = new MemoryEventStore();
    await new DemoService(store, new ScenarioService(store)).load({ retailLps: 200, until: '2026-12-31' });
    const books = await new FundQueryService(store).books('usjp');
    const date = '2026-12-01';
    const state = books.timeline.asOf({ asOf: date }).state;
    const pending = new PendingCommitments();
    const read = await pending.on(store, 'usjp', state, date);
    const summary = read.summary;
    // Between the first close (2026-07-01) and the second (2027-01-15): the second wave is pending.
    expect(summary.count).toBeGreaterThan(0);
    // A caller adds its commitment to a set of its own: the one kept does not see it.
    const entry = { ...SIMULATED, close: 0, cents: 0, local: 0 };
    const { set } = read.withCommitment(entry, 100_000, 100_000, 1e9);
    expect(set.summary).toEqual({ count: summary.count + 1, cents: summary.cents + 100_000n, throughPosition: 1e9 });
    expect(set.lps.length).toBe(read.lps.length + 1);
    const kept = await pending.on(store, 'usjp', state, date);
    expect(kept).toBe(read);
    expect(kept.summary).toEqual(summary);
    expect(kept.lps.length).toBe(set.lps.length - 1);
    // One more commitment in the log, dated on the date: read anew, it is pending too.
    await store.append(lpStream('usjp', 'retail-us-late'), [
      {
        type: 'CapitalCommitted',
        data: { fundId: 'usjp', lpId: 'retail-us-late', kind: 'retail', country: 'US', amount: '5000.00', currency: 'USD', amountUsd: '5000.00' },
        metadata: { actor: 'retail-platform', effectiveDate: date },
      },
    ]);
    const grown = await pending.on(store, 'usjp', state, date);
    expect(grown.summary.count).toBe(summary.count + 1);
    expect(grown.summary.cents).toBe(summary.cents + 500_000n);
  }, 60_000);
});

/**
 * One policy, one implementation: the simulated admission decides the close with the fund's own
 * decider over the pending set with the commitment added; held for real (the commitment recorded,
 * then the close), the books must show the same, to the cent.
 */
describe('a simulated commitment is admitted as a real close admits it', () => {
  it.each([
    // Between the first two closes: the second wave pending, 15% called (catch-up and interest).
    ['2026-12-01', '10000.00', 'USD'],
    ['2026-12-01', '1500000', 'JPY'],
    // The eve of the last close: the governments' second commitments pending, the close scales back at the hard cap.
    ['2027-06-30', '12345.67', 'USD'],
    ['2027-06-30', '1500000', 'JPY'],
  ] as const)(
    'on %s, %s %s',
    async (date, amount, currency) => {
      const store = new MemoryEventStore();
      await new DemoService(store, new ScenarioService(store)).load({ retailLps: 200, until: date });
      const queries = new FundQueryService(store);
      const before = (await queries.books('usjp')).timeline.asOf({ asOf: date }).state;
      const simulated = await admitCommitment(store, 'usjp', before, date, { amount, currency });

      const commands = new FundCommandService(store);
      const country = currency === 'JPY' ? 'JP' : 'US';
      await commands.execute('usjp', {
        type: 'CommitCapital',
        data: { lpId: SIMULATED_LP, kind: 'retail', country, amount, currency },
        metadata: { actor: 'retail-platform', effectiveDate: date },
      });
      await commands.execute('usjp', { type: 'HoldClose', data: {}, metadata: { actor: before.config!.managers[0], effectiveDate: date } });
      const real = (await queries.books('usjp')).timeline.asOf({ asOf: date }).state;
      const account = await queries.capitalAccount('usjp', SIMULATED_LP, { asOf: date });

      // The LP: what the close admits of it, its catch-up and its equalization interest, as its capital account shows them.
      expect(simulated.admission).toMatchObject({
        closeNumber: real.closes.length,
        scaledBack: account.commitment.scaledBack,
        admittedUsd: account.commitment.usd,
        catchUpUsd: account.rollForward.contributions,
        equalizationInterestUsd: account.equalizationInterestPaid,
      });
      expect(simulated.admission.commitment.amountUsd).toBe(account.commitment.subscribedUsd);
      if (date === '2027-06-30') expect(simulated.admission.scaledBack).toBe(true);
      // The fund after the close: the same close recorded, the same cash, commitments and exemptions.
      const figures = (s: typeof real) => ({
        close: s.closes[s.closes.length - 1],
        admitted: s.admittedUsd.toString(),
        cash: s.bookedCash.toString(),
        carryExempt: s.carryExempt,
        feeExempt: s.feeExempt,
        stakes: s.stakes,
        waterfall: s.waterfall,
      });
      expect(figures(simulated.state)).toEqual(figures(real));
    },
    120_000,
  );
});

describe('whether the fund takes commitments on its latest date', () => {
  it("says so in the funds list by the close's own check: the demo at its hard cap is closed since its last close, open the day before", async () => {
    const store = new MemoryEventStore();
    await new DemoService(store, new ScenarioService(store)).load({ retailLps: 200 });
    const queries = new FundQueryService(store);
    const [fund] = await queries.fundsFor({ role: 'auditor', subject: 'auditor' });
    expect(fund.takesCommitments).toEqual({
      open: false,
      code: 'HARD_CAP_REACHED',
      reason: 'Admitted commitments 300,000,000,000.00 USD already reach the hard cap 300,000,000,000.00 USD',
      lastOpenDate: '2027-06-30',
    });
    // What the list says is what a simulated commitment gets: refused on the latest date, admitted on the last date open.
    const simulation = new SimulationService(queries);
    const commit = { amount: '10000.00', currency: 'USD' as const, paths: 10, seed: 1 };
    await expect(simulation.simulateCommitment('usjp', { ...commit, date: fund.latestDate })).rejects.toMatchObject({ code: 'HARD_CAP_REACHED' });
    await expect(simulation.simulateCommitment('usjp', { ...commit, date: '2027-07-01' })).rejects.toMatchObject({ code: 'HARD_CAP_REACHED' });
    const open = await simulation.simulateCommitment('usjp', { ...commit, date: fund.takesCommitments.lastOpenDate! });
    expect(open.admission.scaledBack).toBe(true);
  }, 120_000);
});
