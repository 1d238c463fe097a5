import { SqliteEventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService } from './fund-commands.service';
import { FundQueryService } from './fund-queries.service';
import { ScenarioService } from './scenario';

/**
 * The hand-worked waterfall of docs/accounting.md through the fund's own deciders and books: each
 * distribution records its split by tier, and the LPs' statements and the register carry it.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-waterfall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
const fund = (waterfall?: object) => ({
  fundId: 'wf',
  commands: [
    {
      type: 'EstablishFund',
      ...at('us-treasury', '2025-12-01'),
      name: 'Waterfall example',
      targetSize: '1000.00',
      hardCap: '1000.00',
      managers: ['us-treasury', 'jp-mof'],
      approvalsRequired: ['us-treasury', 'jp-mof'],
      leveragePolicy: { maxRatio: '0', basis: 'commitments' },
      concentrationLimit: '1',
      equalizationRate: '0',
      ...(waterfall ? { waterfall } : {}),
    },
    { type: 'CommitCapital', ...at('retail-platform', '2025-12-10'), lpId: 'lp-a', kind: 'retail', country: 'US', amount: '600.00', currency: 'USD' },
    { type: 'CommitCapital', ...at('retail-platform', '2025-12-10'), lpId: 'lp-b', kind: 'retail', country: 'US', amount: '400.00', currency: 'USD' },
    { type: 'HoldClose', ...at('us-treasury', '2025-12-31') },
    { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '1', dueDate: '2026-01-01' },
    { type: 'RegisterProject', ...at('us-treasury', '2026-01-01'), projectId: 'grid', name: 'Grid', sector: 'energy-grids', partners: ['X'], totalProjectSize: '5000.00' },
    { type: 'ProposeAllocation', ...at('us-treasury', '2026-01-01'), allocationId: 'al-grid', projectId: 'grid', amount: '1000.00' },
    { type: 'ApproveAllocation', ...at('jp-mof', '2026-01-01'), allocationId: 'al-grid' },
    { type: 'FundProject', ...at('us-treasury', '2026-01-01'), allocationId: 'al-grid', amount: '1000.00' },
    // The project is sold back whole for 1,250.00: 250.00 of realized gain.
    { type: 'ValueProject', ...at('us-treasury', '2026-12-31'), projectId: 'grid', fairValue: '1250.00' },
    { type: 'ReceiveProceeds', ...at('us-treasury', '2027-01-01'), projectId: 'grid', kind: 'capital', amount: '1250.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2027-01-01'), amount: '500.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '500.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '120.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '30.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '100.00' },
  ],
});
const TERMS = {
  style: 'european',
  preferredReturn: { rate: '0.08', compounding: 'none', dayCount: 'ACT/365' },
  catchUp: '1',
  carriedInterest: '0.20',
  carryBearing: 'all',
  managerShares: [
    { manager: 'us-treasury', share: '0.5' },
    { manager: 'jp-mof', share: '0.5' },
  ],
};

describe('a fund with a waterfall, through its deciders and books', () => {
  it('records each distribution by tier, and the LPs receive their part and bear the carry by commitment', async () => {
    const store = new SqliteEventStore(join(dir, 'wf.db'));
    await new ScenarioService(store).apply(JSON.stringify(fund(TERMS)));
    const splits = (await collect(store.readAll({ eventTypes: ['DistributionDeclared'] }))).map((e) => e.data.waterfall as Record<string, unknown>);
    expect(splits.map((s) => [s.returnOfCapital, s.preferredReturn, s.catchUpToManagers, s.carriedInterestToLps, s.carriedInterestToManagers])).toEqual([
      ['500.00', '0.00', '0.00', '0.00', '0.00'],
      ['500.00', '0.00', '0.00', '0.00', '0.00'],
      ['0.00', '120.00', '0.00', '0.00', '0.00'],
      ['0.00', '0.00', '30.00', '0.00', '0.00'],
      ['0.00', '0.00', '0.00', '80.00', '20.00'],
    ]);
    expect(splits[3].managers).toEqual({ 'us-treasury': '15.00', 'jp-mof': '15.00' });

    const queries = new FundQueryService(store);
    const asOf = '2028-01-31';
    const a = await queries.capitalAccount('wf', 'lp-a', { asOf });
    const b = await queries.capitalAccount('wf', 'lp-b', { asOf });
    // A: 300 + 300 + 72 + 48 = 720 received; B: 480; the managers' 50.00 borne 60/40.
    expect([a.rollForward.distributions, a.rollForward.carriedInterest, a.rollForward.endingNav]).toEqual(['720.00', '30.00', '0.00']);
    expect([b.rollForward.distributions, b.rollForward.carriedInterest, b.rollForward.endingNav]).toEqual(['480.00', '20.00', '0.00']);
    const sheet = await queries.balanceSheet('wf', { asOf });
    const register = await queries.register('wf', { asOf });
    expect(register.netAssets).toBe(sheet.netAssets);
    expect([sheet.netAssets, sheet.partners.managersAccruedCarry]).toEqual(['0.00', '0.00']);

    // Before the sale, the project held at 1,250.00: liquidated that day, the managers would get
    // 19.95 of catch-up and 30.05 of carry (docs/accounting.md), accrued to them and borne 60/40.
    const before = { asOf: '2026-12-31' };
    const held = await queries.balanceSheet('wf', before);
    expect([held.netAssets, held.partners.lps, held.partners.managersAccruedCarry]).toEqual(['1250.00', '1200.00', '50.00']);
    const heldRegister = await queries.register('wf', before);
    expect([heldRegister.netAssets, ...heldRegister.rows.map((r) => r.netAssets)]).toEqual(['1200.00', '720.00', '480.00']);
    const heldA = await queries.capitalAccount('wf', 'lp-a', before);
    expect([heldA.rollForward.carriedInterest, heldA.rollForward.endingNav]).toEqual(['30.00', '720.00']);

    // A distribution's split is the deciders': it is reversed and declared anew, never replaced.
    const [last] = await collect(store.readStream('fund-wf', { direction: 'backwards', maxCount: 1 }));
    const replace = new FundCommandService(store).execute('wf', {
      type: 'ReverseEvent',
      data: { eventId: last.id, reason: 'wrong amount', replacement: { type: 'DistributionDeclared', data: { ...last.data, amount: '90.00' } } },
      metadata: { actor: 'us-treasury', effectiveDate: '' },
    });
    await expect(replace).rejects.toMatchObject({ code: 'EVENT_NOT_REVERSIBLE' });
    await store.close();
  });

  it('leaves a fund without terms as it was: distributions go to the LPs whole', async () => {
    const store = new SqliteEventStore(join(dir, 'plain.db'));
    await new ScenarioService(store).apply(JSON.stringify(fund()));
    const [first] = await collect(store.readAll({ eventTypes: ['DistributionDeclared'] }));
    expect(first.data.waterfall).toBeUndefined();
    const a = await new FundQueryService(store).capitalAccount('wf', 'lp-a', { asOf: '2028-01-31' });
    expect([a.rollForward.distributions, a.rollForward.carriedInterest]).toEqual(['750.00', '0.00']);
    await store.close();
  });

  it('refuses terms that are not a waterfall, and sovereigns exempt for now, writing nothing', async () => {
    const store = new SqliteEventStore(join(dir, 'bad.db'));
    await expect(new ScenarioService(store).apply(JSON.stringify(fund({ ...TERMS, carriedInterest: '0.9' })))).rejects.toThrow(/carriedInterest must be at most 0.5/);
    await expect(new ScenarioService(store).apply(JSON.stringify(fund({ ...TERMS, carryBearing: 'non-sovereign' })))).rejects.toThrow(/non-sovereign" is not supported yet/);
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });
});
