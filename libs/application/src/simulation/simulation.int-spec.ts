import { SqliteEventStore } from '@fundsim/event-store';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundQueryService } from '../queries/fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';
import { FundSimulationService } from './fund-simulation.service';
import { SimulationService } from './simulation.service';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-simulation-'));
const path = join(dir, 'fundsim.db');
let store: SqliteEventStore;
let simulation: SimulationService;
let fundSimulation: FundSimulationService;
const scenario = (name: string) => readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', name), 'utf8');

beforeAll(async () => {
  store = new SqliteEventStore(path);
  const scenarios = new ScenarioService(store);
  await scenarios.apply(scenario('first-close.json'));
  await scenarios.apply(scenario('first-allocation.json'));
  simulation = new SimulationService(new FundQueryService(store));
  fundSimulation = new FundSimulationService(new FundQueryService(store));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('simulating a retail LP commitment', () => {
  it("admits it on a copy of the books by the real rules, follows it on the fund's paths, and never writes to the store", async () => {
    const files = () => [path, `${path}-wal`].map((f) => (existsSync(f) ? readFileSync(f) : Buffer.alloc(0)));
    const before = files();
    const head = await store.headPosition();
    const result = await simulation.simulateCommitment('usjp', { amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 500, seed: 42 });
    // Joining after the first close: 10% already called (due 2026-07-31), so a 1,000.00 catch-up and
    // 10,000 x 10% x 5% x 153/365 = 20.958... -> 20.96 of equalization interest.
    expect(result.admission).toMatchObject({
      closeNumber: 2,
      scaledBack: false,
      admittedUsd: '10000.00',
      afterFirstClose: true,
      catchUpUsd: '1000.00',
      equalizationInterestUsd: '20.96',
      equalizationPaymentUsd: '1020.96',
      ownership: '0.000000050000',
    });
    // Stargate is valued at 26.5B: the look-through exposure is the ownership share of it.
    expect(result.admission.lookThrough.projects).toEqual([{ projectId: 'stargate', name: 'Stargate', sector: 'ai-infrastructure', exposureUsd: '1325.00' }]);
    const usd = result.results.USD;
    // It pays its catch-up and the equalization interest on the day; its capital is the catch-up.
    expect(usd.schedule[0]).toMatchObject({ quarter: 0, date: '2026-12-31', calls: { p50: '1020.96' }, nav: { p50: '1000.00' } });
    expect(result.results.JPY).toBeUndefined();
    expect(result.quarters).toBe(40);
    // Called at the fund's pace: at most 5% of commitments a quarter, 500.00 of its 10,000.00.
    for (const q of usd.schedule.slice(1)) expect(Number(q.calls.p95)).toBeLessThanOrEqual(500);
    // This fund has no waterfall: no figures net of carry.
    expect(usd.netOfCarry).toBeNull();
    expect(await store.headPosition()).toBe(head);
    expect(files().every((bytes, i) => bytes.equals(before[i]))).toBe(true);
  });

  it('reports a yen commitment in yen too, and is reproducible to the byte', async () => {
    const input = { amount: '1500000', currency: 'JPY' as const, date: '2026-12-31', paths: 300, seed: 7, scenario: 'rate-shock' };
    const a = await simulation.simulateCommitment('usjp', input);
    expect(a.admission.commitment).toEqual({ amount: '1500000', currency: 'JPY', amountUsd: '10000.00', fxRate: '150.00' });
    expect(a.parameters.rateShock).toBe(0.03);
    // In yen at the rate of the day: 1,020.96 x 150.
    expect(a.results.JPY!.schedule[0].calls.p50).toBe('153144');
    expect(JSON.stringify(await simulation.simulateCommitment('usjp', input))).toBe(JSON.stringify(a));
  });

  it('is the fund simulation following the commitment: the same outcome, to the cent and the basis point, for the same seed', async () => {
    for (const commitment of [
      { amount: '10000.00', currency: 'USD' as const },
      { amount: '1500000', currency: 'JPY' as const },
    ]) {
      const run = { paths: 400, seed: 11, scenario: 'bear', parameters: { quarters: 24 } };
      const lp = await simulation.simulateCommitment('usjp', { ...commitment, date: '2026-12-31', ...run });
      const fund = await fundSimulation.simulate('usjp', { from: '2026-12-31', commitment, ...run });
      expect(fund.lp!.admission).toEqual(lp.admission);
      expect(fund.lp!.results).toEqual(lp.results);
      expect(lp.results.USD.gross.irr.p50).toBe(fund.lp!.results.USD.gross.irr.p50);
      expect(lp.results.USD.gross.tvpi).toEqual(fund.lp!.results.USD.gross.tvpi);
      expect(lp.results.USD.gross.probabilityOfLoss).toBe(fund.lp!.results.USD.gross.probabilityOfLoss);
    }
  });

  it("runs the fund's own paths whatever the LP's currency: a yen commitment's USD outcome is the dollar one's, scaled", async () => {
    const run = { date: '2026-12-31', paths: 300, seed: 5 };
    const usd = await simulation.simulateCommitment('usjp', { amount: '10000.00', currency: 'USD', ...run });
    const jpy = await simulation.simulateCommitment('usjp', { amount: '1500000', currency: 'JPY', ...run });
    // 1,500,000 JPY at 150.00 is the same 10,000.00 USD: the same paths give the same figures.
    expect(jpy.results.USD).toEqual(usd.results.USD);
    expect(jpy.results.JPY!.gross.irr.p50).not.toBe(usd.results.USD.gross.irr.p50);
  });

  it.each([
    ['a negative amount', { amount: '-10.00' }, 'INVALID_AMOUNT'],
    ['an unknown scenario', { scenario: 'moon' }, 'INVALID_PARAMETER'],
    ['a date before inception', { date: '2025-01-01' }, 'INVALID_DATE'],
    ['no paths', { paths: 0 }, 'INVALID_PARAMETER'],
    ['too many paths', { paths: 1_000_001 }, 'INVALID_PARAMETER'],
    ['a parameter out of bounds', { parameters: { growth: 5 } }, 'INVALID_PARAMETER'],
    ['yen without a rate on the date', { currency: 'JPY' as const, amount: '1500000', date: '2026-02-01' }, 'FX_RATE_MISSING'],
    ['a currency it does not take', { currency: 'EUR' as 'USD' }, 'UNSUPPORTED_CURRENCY'],
    ['a date that is not one', { date: '2026-13-01' }, 'INVALID_DATE'],
  ])('refuses %s with a clear error', async (_name, change, code) => {
    const input = { amount: '10000.00', currency: 'USD' as const, date: '2026-12-31', paths: 10, ...change };
    await expect(simulation.simulateCommitment('usjp', input)).rejects.toMatchObject({ code });
  });
});

describe('the fund simulation with a new commitment', () => {
  it.each([
    ['an LP in the books too', { lpId: 'lp-001' }],
    ['the books as known at another time', { knownAt: '2026-12-31' }],
  ])('refuses it with %s (one LP followed; the books as known now)', async (_name, change) => {
    const input = { from: '2026-12-31', paths: 10, commitment: { amount: '10000.00', currency: 'USD' as const }, ...change };
    await expect(fundSimulation.simulate('usjp', input)).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
