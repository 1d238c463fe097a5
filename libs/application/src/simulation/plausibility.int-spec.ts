import { addMonths } from '@fundsim/domain';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from '../queries/fund-queries.service';
import { DemoService } from '../scenarios/demo/demo.service';
import { ScenarioService } from '../scenarios/scenario';
import { FundSimulationService } from './fund-simulation.service';
import { SimulationService, type LpCommitmentSimulation } from './simulation.service';

/**
 * The plausibility table of docs/simulation.md ("Calibration"), held true on the demo: a levered,
 * concentrated ten-year fund's worst paths return less than the money paid in, a loss is neither
 * rare nor likely, the bands widen with the horizon, and the books' own realised path lies inside
 * the band of a run forked at the last close (the model takes in no new LP: see that test). Fewer paths than the docs
 * (2,000): each bound holds with a wide margin at the docs' 10,000 (the table says by how much).
 */
const PATHS = 2000;
let queries: FundQueryService;
let commitment: LpCommitmentSimulation;

beforeAll(async () => {
  const store = new MemoryEventStore();
  await new DemoService(store, new ScenarioService(store)).load({ retailLps: 3000 });
  queries = new FundQueryService(store);
  commitment = await new SimulationService(queries).simulateCommitment('usjp', {
    amount: '10000',
    currency: 'USD',
    date: '2026-12-01',
    paths: PATHS,
    seed: 42,
  });
}, 120_000);

describe("the fund model's plausibility on the demo (docs/simulation.md, the table)", () => {
  it('$10,000 on 2026-12-01: the p5 TVPI net of carry is below 1.0x, the probability of loss between 10% and 40%', () => {
    const net = commitment.results.USD.netOfCarry!;
    expect(Number(net.tvpi.p5)).toBeLessThan(1);
    expect(Number(net.probabilityOfLoss)).toBeGreaterThan(0.1);
    expect(Number(net.probabilityOfLoss)).toBeLessThan(0.4);
    // And it is still an investment: the median makes money, the best paths several times it.
    expect(Number(net.tvpi.p50)).toBeGreaterThan(1);
    expect(Number(net.tvpi.p95)).toBeGreaterThan(2);
  });

  it("the bands widen with the horizon: p95 over p5 of the LP's net assets, every two years", () => {
    const schedule = commitment.results.USD.schedule;
    const spread = (q: number) => Number(schedule[q].nav.p95) / Number(schedule[q].nav.p5);
    const spreads = [4, 12, 20, 28, 40].map(spread);
    for (let i = 1; i < spreads.length; i++) expect(spreads[i]).toBeGreaterThan(spreads[i - 1]);
  });

  it("the books' realised path lies inside the p5-p95 band of a run forked at the last close, when the fund's capital is complete", async () => {
    // The model takes in no new LP: forked before the last close (2027-07-01), it cannot know the
    // $115B the governments and retail LPs bring to the later closes, and the books' net assets leave
    // its band by that much in 2027, not by a market move. (The first close, 2026-07-01, comes before
    // any project is registered: the model has nothing to run forward from there.)
    const from = '2027-07-01';
    const quarters = 34;
    const run = await new FundSimulationService(queries).simulate('usjp', { from, paths: PATHS, seed: 42, parameters: { quarters } });
    let inside = 0;
    for (let q = 1; q <= quarters; q++) {
      const date = addMonths(from, 3 * q);
      const sheet = await queries.balanceSheet('usjp', { asOf: date });
      const band = run.netAssets[q];
      expect(band.date).toBe(date);
      if (Number(sheet.netAssets) >= Number(band.p5) && Number(sheet.netAssets) <= Number(band.p95)) inside++;
    }
    // A path drawn from the model lies inside its p5-p95 band at a given quarter nine times in ten:
    // the books' own is inside at 33 of the 34 quarters (below the p5 on 2028-07-01, when the demo's
    // valuations had fallen and its year-end 2027 Stargate valuation was cut 6% in the audit).
    expect(inside / quarters).toBeGreaterThanOrEqual(0.9);
    const end = addMonths(from, 3 * quarters);
    const realised = await queries.performance('usjp', { asOf: end });
    const tvpi = run.fund.withLeverageCost.tvpi;
    expect(Number(realised.withFacility.tvpi)).toBeGreaterThan(Number(tvpi.p5));
    expect(Number(realised.withFacility.tvpi)).toBeLessThan(Number(tvpi.p95));
  }, 60_000);
});
