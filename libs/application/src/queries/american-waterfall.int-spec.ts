import { WORKED_EXAMPLE_WATERFALL } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundQueryService } from './fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';
import { americanExample, waterfallExample } from '../testing/waterfall-example';

/**
 * The hand-worked American (deal-by-deal) waterfall of docs/accounting.md through the fund's own
 * deciders and books: the early winner pays carry while the loser's capital is out, the loser's
 * write-down turns the carry accrued negative, and at the end the managers owe the clawback, which
 * each LP receives in proportion to the carry it paid.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-american-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AMERICAN = { ...WORKED_EXAMPLE_WATERFALL, style: 'american' };

async function booksOf(name: string, terms: object) {
  const store = new SqliteEventStore(join(dir, `${name}.db`));
  await new ScenarioService(store).apply(JSON.stringify(americanExample(terms)));
  return { store, queries: new FundQueryService(store) };
}

describe('an American waterfall, through its deciders and books (worked by hand in docs/accounting.md)', () => {
  it('records each distribution by tier with the deals it came from, and the clawback at the end is what each LP gets back', async () => {
    const { store, queries } = await booksOf('share-of-profit', AMERICAN);
    const splits = (await collect(store.readAll({ eventTypes: ['DistributionDeclared'] }))).map((e) => e.data.waterfall as Record<string, unknown>);
    // grid's 900.00: the capital of the realised deal (500.00; chips' is still held at cost), 80.00 of preferred
    // return on all 1,000.00, a catch-up of 20.00, then 300.00 split 240.00 / 60.00. chips' 200.00: capital.
    expect(
      splits.map((s) => [
        s.capitalReturnable,
        s.returnOfCapital,
        s.preferredReturn,
        s.catchUpToManagers,
        s.carriedInterestToLps,
        s.carriedInterestToManagers,
        s.deals,
      ]),
    ).toEqual([
      ['500.00', '500.00', '80.00', '20.00', '240.00', '60.00', [{ projectId: 'grid', amount: '900.00' }]],
      ['1000.00', '200.00', '0.00', '0.00', '0.00', '0.00', [{ projectId: 'chips', amount: '200.00' }]],
    ]);

    // Before the sale of grid (held at 900.00, chips at cost): a liquidation realises every deal, as the European one.
    const first = await queries.balanceSheet('us', { asOf: '2026-12-31' });
    expect([first.netAssets, first.partners.lps, first.partners.managersAccruedCarry]).toEqual(['1400.00', '1320.00', '80.00']);
    // After it: the managers hold 80.00 paid, nothing more accrues (chips' 500.00 would come back as capital).
    const paid = await queries.balanceSheet('us', { asOf: '2027-01-01' });
    expect([paid.netAssets, paid.partners.lps, paid.partners.managersAccruedCarry]).toEqual(['500.00', '500.00', '0.00']);
    // chips written down to 200.00: the fund's profit over its life would be 100.00, of which 20% is the managers':
    // they would owe 60.00 back, borne back to A and B by the carry each paid (48.00 / 32.00).
    const down = { asOf: '2027-12-31' };
    const sheet = await queries.balanceSheet('us', down);
    expect([sheet.netAssets, sheet.partners.lps, sheet.partners.managersAccruedCarry]).toEqual(['200.00', '260.00', '-60.00']);
    const register = await queries.register('us', down);
    expect([register.netAssets, ...register.rows.map((r) => r.netAssets)]).toEqual(['260.00', '156.00', '104.00']);

    // The fund's end: everything distributed, the managers owe 60.00 (30.00 each); A receives 36.00 and B 24.00.
    const end = { asOf: '2028-01-31' };
    const report = await queries.waterfall('us', end);
    expect([report.netAssets.fund, report.netAssets.lps, report.netAssets.managersAccruedCarry]).toEqual(['0.00', '60.00', '-60.00']);
    expect([report.liquidation.clawback, report.liquidation.accruedCarry]).toEqual(['60.00', '-60.00']);
    expect(report.managers.map((m) => [m.manager, m.carriedInterestPaid, m.carriedInterestAccrued])).toEqual([
      ['us-treasury', '40.00', '-30.00'],
      ['jp-mof', '40.00', '-30.00'],
    ]);
    const endRegister = await queries.register('us', end);
    expect(endRegister.rows.map((r) => [r.lpId, r.netAssets])).toEqual([
      ['lp-a', '36.00'],
      ['lp-b', '24.00'],
    ]);
    const a = await queries.capitalAccount('us', 'lp-a', end);
    // A: 60% of 1,020.00 received; carry 48.00 paid less 36.00 owed back.
    expect([a.rollForward.distributions, a.rollForward.carriedInterest, a.rollForward.endingNav]).toEqual(['612.00', '12.00', '36.00']);

    // The per-deal ledger: what each deal put in and paid out, tier by tier.
    expect(
      report.deals!.map((d) => [
        d.projectId,
        d.funded,
        d.proceeds,
        d.distributed,
        d.returnOfCapital,
        d.preferredReturn,
        d.catchUpToManagers,
        d.carriedInterestToManagers,
      ]),
    ).toEqual([
      ['grid', '500.00', '900.00', '900.00', '500.00', '80.00', '20.00', '60.00'],
      ['chips', '500.00', '200.00', '200.00', '200.00', '0.00', '0.00', '0.00'],
      [null, '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00'],
    ]);
    const downReport = await queries.waterfall('us', down);
    // What the next distribution would return first: the 1,000.00 less chips held at 200.00.
    expect([downReport.account.returned, downReport.account.capitalReturnable]).toEqual(['500.00', '800.00']);
    expect(downReport.deals!.map((d) => [d.projectId, d.cost, d.fairValue, d.writtenDown, d.undistributed])).toEqual([
      ['grid', '0.00', '0.00', '0.00', '0.00'],
      ['chips', '500.00', '200.00', '300.00', '0.00'],
      [null, '0.00', '0.00', '0.00', '0.00'],
    ]);
    await store.close();
  });

  it('re-runs the preferred return over the life under the rerun rule, capped by the tax rate', async () => {
    const rerun = await booksOf('rerun', { ...AMERICAN, clawback: { rule: 'rerun' } });
    const report = await rerun.queries.waterfall('us', { asOf: '2028-01-31' });
    // 1,000.00 of capital and 120.00 of preferred return before any carry: all 80.00 goes back, 48.00 to A and 32.00 to B.
    expect([report.liquidation.clawback, report.netAssets.lps]).toEqual(['80.00', '80.00']);
    expect((await rerun.queries.register('us', { asOf: '2028-01-31' })).rows.map((r) => r.netAssets)).toEqual(['48.00', '32.00']);
    await rerun.store.close();
    const capped = await booksOf('capped', { ...AMERICAN, clawback: { rule: 'rerun', taxRate: '0.4' } });
    expect((await capped.queries.waterfall('us', { asOf: '2028-01-31' })).liquidation.clawback).toBe('48.00');
    await capped.store.close();
  });

  it('leaves a European fund as it was: no deals recorded, no deal ledger', async () => {
    const store = new SqliteEventStore(join(dir, 'european.db'));
    await new ScenarioService(store).apply(JSON.stringify(waterfallExample(WORKED_EXAMPLE_WATERFALL)));
    const [first] = await collect(store.readAll({ eventTypes: ['DistributionDeclared'] }));
    expect(Object.keys(first.data.waterfall as object)).not.toContain('deals');
    expect((await new FundQueryService(store).waterfall('wf', { asOf: '2028-01-31' })).deals).toBeUndefined();
    await store.close();
  });
});
