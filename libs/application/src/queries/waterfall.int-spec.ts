import { WORKED_EXAMPLE_WATERFALL } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService } from '../commands/fund-commands.service';
import { FundQueryService } from './fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';
import { at, waterfallExample } from '../testing/waterfall-example';

/**
 * The hand-worked waterfall of docs/accounting.md through the fund's own deciders and books: each
 * distribution records its split by tier, and the LPs' statements and the register carry it.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-waterfall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fund = waterfallExample;
const TERMS = WORKED_EXAMPLE_WATERFALL;

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
    // Net of carry A's 600.00 became 720.00; gross, with its 30.00 of carry added back, 750.00.
    expect([a.performance[0].tvpi, a.grossPerformance[0].tvpi, a.grossPerformance[0].distributed]).toEqual(['1.2000', '1.2500', '750.00']);
    expect(Number(a.grossPerformance[0].xirr)).toBeGreaterThan(Number(a.performance[0].xirr));
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
    // Gross, the carry accrued on A's account is added back to its net assets.
    expect([heldA.performance[0].residualValue, heldA.grossPerformance[0].residualValue, heldA.grossPerformance[0].tvpi]).toEqual([
      '720.00',
      '750.00',
      '1.2500',
    ]);

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
    expect(a.grossPerformance).toEqual([]);
    await store.close();
  });

  it('refuses terms that are not a waterfall, writing nothing', async () => {
    const store = new SqliteEventStore(join(dir, 'bad.db'));
    await expect(new ScenarioService(store).apply(JSON.stringify(fund({ ...TERMS, carriedInterest: '0.9' })))).rejects.toThrow(
      /carriedInterest must be at most 0.5/,
    );
    await expect(new ScenarioService(store).apply(JSON.stringify(fund({ ...TERMS, carryExempt: ['lp-a', 'lp-a'] })))).rejects.toThrow(
      /carryExempt names an LP twice/,
    );
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });

  it('gives a sovereign exempt from carry its share of each distribution whole, and the tiers the rest (worked by hand in docs/accounting.md)', async () => {
    const store = new SqliteEventStore(join(dir, 'exempt.db'));
    // The example with lp-a a sovereign LP (committed by a manager) and the sovereigns exempt.
    const scenario = fund({ ...TERMS, carryBearing: 'non-sovereign' });
    scenario.commands[1] = { ...scenario.commands[1], actor: 'us-treasury', kind: 'sovereign' } as never;
    await new ScenarioService(store).apply(JSON.stringify(scenario));
    const events = await collect(store.readAll({ eventTypes: ['CloseHeld', 'CapitalCalled', 'DistributionDeclared'] }));
    expect(events[0].data.carryExempt).toEqual({ admitted: { 'lp-a': '600.00' }, catchUpUsd: '0.00' });
    expect(events[1].data.carryExemptUsd).toBe('600.00');
    const splits = events.slice(2).map((e) => e.data.waterfall as Record<string, unknown>);
    // A's 60% of each distribution whole; B's 40% through the tiers on B's 400.00 of capital:
    // 200.00 + 200.00 of capital, 48.00 of preferred return (8% of 400.00 for 2026, of 200.00 for
    // 2027), a catch-up of 12.00 (20% of 60.00 of profit), then 40.00 split 32.00 / 8.00.
    expect(
      splits.map((s) => [s.exempt, s.returnOfCapital, s.preferredReturn, s.catchUpToManagers, s.carriedInterestToLps, s.carriedInterestToManagers]),
    ).toEqual([
      ['300.00', '200.00', '0.00', '0.00', '0.00', '0.00'],
      ['300.00', '200.00', '0.00', '0.00', '0.00', '0.00'],
      ['72.00', '0.00', '48.00', '0.00', '0.00', '0.00'],
      ['18.00', '0.00', '0.00', '12.00', '0.00', '0.00'],
      ['60.00', '0.00', '0.00', '0.00', '32.00', '8.00'],
    ]);

    const queries = new FundQueryService(store);
    const asOf = '2028-01-31';
    const a = await queries.capitalAccount('wf', 'lp-a', { asOf });
    const b = await queries.capitalAccount('wf', 'lp-b', { asOf });
    // A received 750.00 and bears no carry; B 480.00 and the managers' 20.00 (20% of B's 100.00 of profit).
    expect([a.rollForward.distributions, a.rollForward.carriedInterest, a.rollForward.endingNav]).toEqual(['750.00', '0.00', '0.00']);
    expect([b.rollForward.distributions, b.rollForward.carriedInterest, b.rollForward.endingNav]).toEqual(['480.00', '20.00', '0.00']);
    expect([a.performance[0].tvpi, a.grossPerformance[0].tvpi]).toEqual(['1.2500', '1.2500']);
    expect([b.performance[0].tvpi, b.grossPerformance[0].tvpi]).toEqual(['1.2000', '1.2500']);
    const report = await queries.waterfall('wf', { asOf });
    expect(report.managers.map((m) => [m.manager, m.carriedInterestPaid])).toEqual([
      ['us-treasury', '10.00'],
      ['jp-mof', '10.00'],
    ]);

    // A's notice of the fourth distribution: 18.00 paid whole, no tier lines; B's: its tiers sum to its cash.
    const noticeA = await queries.distributionNotice('wf', 4, 'lp-a');
    expect([noticeA.amount, noticeA.carryExempt, noticeA.tiers, noticeA.carryWithheld]).toEqual(['18.00', true, null, '0.00']);
    const noticeB = await queries.distributionNotice('wf', 5, 'lp-b');
    expect([noticeB.amount, noticeB.carryExempt, noticeB.tiers?.gain, noticeB.carryWithheld]).toEqual(['32.00', false, '32.00', '8.00']);

    // Before the sale, the project held at 1,250.00: A's net assets are 600.00 + 60% of 250.00 =
    // 750.00; B's 500.00 liquidated (364 days: 31.91 of preferred return, a catch-up of 7.98, then
    // 60.11 split 48.09 / 12.02) leave the managers 20.00, borne by B alone.
    const before = { asOf: '2026-12-31' };
    const held = await queries.balanceSheet('wf', before);
    expect([held.netAssets, held.partners.lps, held.partners.managersAccruedCarry]).toEqual(['1250.00', '1230.00', '20.00']);
    const heldRegister = await queries.register('wf', before);
    expect([heldRegister.netAssets, ...heldRegister.rows.map((r) => r.netAssets)]).toEqual(['1230.00', '750.00', '480.00']);
    const liquidation = (await queries.waterfall('wf', before)).liquidation;
    expect([
      liquidation.exempt,
      liquidation.liquidated,
      liquidation.preferredReturn,
      liquidation.catchUpToManagers,
      liquidation.carriedInterestToManagers,
    ]).toEqual(['750.00', '500.00', '31.91', '7.98', '12.02']);
    const heldA = await queries.capitalAccount('wf', 'lp-a', before);
    const heldB = await queries.capitalAccount('wf', 'lp-b', before);
    expect([heldA.rollForward.carriedInterest, heldA.rollForward.endingNav, heldB.rollForward.carriedInterest, heldB.rollForward.endingNav]).toEqual([
      '0.00',
      '750.00',
      '20.00',
      '480.00',
    ]);
    await store.close();
  });

  it('accrues the preferred return from the due date, with a sovereign exempt and the carry shared 25/75 (issue 27, worked by hand in docs/accounting.md)', async () => {
    const store = new SqliteEventStore(join(dir, 'due-date.db'));
    const carryShares = [
      { manager: 'us-treasury', share: '0.25' },
      { manager: 'jp-mof', share: '0.75' },
    ];
    const scenario = fund({ ...TERMS, carryBearing: 'non-sovereign', carryShares });
    scenario.commands[1] = { ...scenario.commands[1], actor: 'us-treasury', kind: 'sovereign' } as never;
    // The call is due 17 days after it is made: B's 400.00 earns its 8% from 2026-01-18.
    scenario.commands[4] = { ...scenario.commands[4], dueDate: '2026-01-18' } as never;
    // The project is funded when the cash comes in.
    scenario.commands[8] = { ...scenario.commands[8], effectiveDate: '2026-01-18' } as never;
    await new ScenarioService(store).apply(JSON.stringify(scenario));
    const established = (await collect(store.readAll({ eventTypes: ['FundEstablished'] })))[0].data.waterfall as { preferredReturn: object };
    expect(established.preferredReturn).toEqual({ rate: '0.08', compounding: 'none', dayCount: 'ACT/365', accruesFrom: 'due-date' });
    const splits = (await collect(store.readAll({ eventTypes: ['DistributionDeclared'] }))).map((e) => e.data.waterfall as Record<string, unknown>);
    // 2026: 348 days of 8% on 400.00 (30.51), 2027: 16.00; the catch-up reaches 20% of the profit over two distributions.
    expect(
      splits.map((s) => [s.exempt, s.returnOfCapital, s.preferredReturn, s.catchUpToManagers, s.carriedInterestToLps, s.carriedInterestToManagers]),
    ).toEqual([
      ['300.00', '200.00', '0.00', '0.00', '0.00', '0.00'],
      ['300.00', '200.00', '0.00', '0.00', '0.00', '0.00'],
      ['72.00', '0.00', '46.51', '1.49', '0.00', '0.00'],
      ['18.00', '0.00', '0.00', '10.14', '1.49', '0.37'],
      ['60.00', '0.00', '0.00', '0.00', '32.00', '8.00'],
    ]);
    // Each distribution's carry split 25/75 by largest remainder: 1.49 as 0.37 / 1.12, 10.51 as 2.63 / 7.88, 8.00 as 2.00 / 6.00.
    expect(splits.slice(2).map((s) => s.managers)).toEqual([
      { 'us-treasury': '0.37', 'jp-mof': '1.12' },
      { 'us-treasury': '2.63', 'jp-mof': '7.88' },
      { 'us-treasury': '2.00', 'jp-mof': '6.00' },
    ]);
    const queries = new FundQueryService(store);
    const report = await queries.waterfall('wf', { asOf: '2028-01-31' });
    expect(report.managers.map((m) => [m.manager, m.carriedInterestPaid])).toEqual([
      ['us-treasury', '5.00'],
      ['jp-mof', '15.00'],
    ]);
    const b = await queries.capitalAccount('wf', 'lp-b', { asOf: '2028-01-31' });
    expect([b.rollForward.distributions, b.rollForward.carriedInterest]).toEqual(['480.00', '20.00']);
    // Before the sale: 347 days of preferred return on B's 400.00 (30.42), a catch-up of 7.61, then 61.97 split 49.58 / 12.39.
    const liquidation = (await queries.waterfall('wf', { asOf: '2026-12-31' })).liquidation;
    expect([liquidation.preferredReturn, liquidation.catchUpToManagers, liquidation.carriedInterestToLps, liquidation.carriedInterestToManagers]).toEqual([
      '30.42',
      '7.61',
      '49.58',
      '12.39',
    ]);
    expect(liquidation.managers).toEqual({ 'us-treasury': '5.00', 'jp-mof': '15.00' });
    await store.close();
  });

  it("reports the waterfall and each manager's revenue by quarter: fees, carry paid and accrued, and its government's returns as an LP", async () => {
    const store = new SqliteEventStore(join(dir, 'revenue.db'));
    // The example with a 10.00 fee in the first quarter of 2027 and without its last distribution;
    // the U.S. Treasury's own LP account is lp-a (for the test: any admitted LP).
    const terms = { ...TERMS, managerShares: [{ manager: 'us-treasury', share: '0.5', lpId: 'lp-a' }, TERMS.managerShares[1]] };
    const scenario = fund(terms);
    scenario.commands.splice(scenario.commands.length - 1, 1);
    scenario.commands.splice(scenario.commands.length - 3, 0, {
      type: 'ChargeManagementFee',
      ...at('us-treasury', '2027-03-31'),
      amount: '10.00',
      period: '2027-Q1',
    } as never);
    await new ScenarioService(store).apply(JSON.stringify(scenario));
    const queries = new FundQueryService(store);

    // 1,240.00 of cash less 1,150.00 distributed leaves 90.00: liquidated, 18.00 to the managers (carry tier, 20%).
    const report = await queries.waterfall('wf', { asOf: '2028-03-31' });
    expect(report.netAssets).toEqual({ fund: '90.00', lps: '72.00', managersAccruedCarry: '18.00' });
    expect([
      report.account.contributed,
      report.account.returned,
      report.account.preferredReturnAccrued,
      report.account.preferredReturnPaid,
      report.account.catchUpToManagers,
    ]).toEqual(['1000.00', '1000.00', '120.00', '120.00', '30.00']);
    expect([report.liquidation.toManagers, report.liquidation.clawback, report.liquidation.carriedInterestToManagers]).toEqual(['18.00', '0.00', '18.00']);
    expect(report.distributions.map((d) => [d.amount, d.split.toManagers])).toEqual([
      ['500.00', '0.00'],
      ['500.00', '0.00'],
      ['120.00', '0.00'],
      ['30.00', '30.00'],
    ]);
    expect(report.managers).toEqual([
      {
        manager: 'us-treasury',
        share: '0.5',
        feeShare: '0.5',
        lpId: 'lp-a',
        managementFees: '5.00',
        carriedInterestPaid: '15.00',
        carriedInterestAccrued: '9.00',
        total: '29.00',
      },
      {
        manager: 'jp-mof',
        share: '0.5',
        feeShare: '0.5',
        lpId: null,
        managementFees: '5.00',
        carriedInterestPaid: '15.00',
        carriedInterestAccrued: '9.00',
        total: '29.00',
      },
    ]);
    // The LPs' register and the managers' accrued carry make the fund's net assets.
    const register = await queries.register('wf', { asOf: '2028-03-31' });
    expect([register.netAssets, ...register.rows.map((r) => r.netAssets)]).toEqual(['72.00', '43.20', '28.80']);

    const revenue = await queries.revenue('wf', 'us-treasury', { to: '2028-03-31' });
    // The fund starts on 2025-12-01: its first quarter is only part of one, and marked so.
    expect(revenue.quarters.filter((q) => q.partial).map((q) => [q.quarter, q.from, q.to])).toEqual([['2025-Q4', '2025-12-01', '2025-12-31']]);
    expect(revenue.quarters.map((q) => q.quarter)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
      '2028-Q1',
    ]);
    const by = Object.fromEntries(revenue.quarters.map((q) => [q.quarter, q.usd]));
    // Valued at 1,250.00 at the end of 2026: 50.00 of carry accrued, half of it the Treasury's;
    // in 2027-Q1 500.00 returned and the fee paid: the managers' 20% of 240.00 of profit, 48.00.
    expect([by['2026-Q4'].carriedInterestAccrued, by['2027-Q1'].carriedInterestAccrued, by['2027-Q1'].managementFees]).toEqual(['25.00', '-1.00', '5.00']);
    expect([by['2028-Q1'].carriedInterestPaid, by['2028-Q1'].asLp!.distributions]).toEqual(['15.00', '372.00']);
    // Over the whole period: 5.00 + 15.00 + 9.00, and lp-a's profit net of carry (60% of 240 - 48), 115.20.
    expect(revenue.total.usd).toEqual({
      managementFees: '5.00',
      carriedInterestPaid: '15.00',
      carriedInterestAccrued: '9.00',
      asLp: { contributions: '600.00', distributions: '672.00', profit: '115.20', netAssets: '43.20' },
      income: '144.20',
    });
    expect(revenue.total.jpy).toBeNull();

    await expect(queries.revenue('wf', 'nobody', { to: '2028-03-31' })).rejects.toMatchObject({ code: 'UNKNOWN_MANAGER' });
    // A period that starts before the fund starts at its inception; a date before it has no waterfall yet.
    expect((await queries.revenue('wf', 'us-treasury', { from: '2020-01-01', to: '2026-03-31' })).quarters.map((q) => q.from)).toEqual([
      '2025-12-01',
      '2026-01-01',
    ]);
    await expect(queries.waterfall('wf', { asOf: '2025-01-01' })).rejects.toMatchObject({
      code: 'INVALID_DATE',
      message: expect.stringContaining('not yet established'),
    });
    await store.close();
  });

  it("shares the carry accrued by each LP's own profit: an LP that joins later and loses is credited none (issue 25, worked by hand in docs/accounting.md)", async () => {
    const store = new SqliteEventStore(join(dir, 'later-lp.db'));
    const later = {
      fundId: 'wf',
      commands: [
        { ...fund().commands[0], hardCap: '2000.00', targetSize: '2000.00', waterfall: { ...TERMS, preferredReturn: { ...TERMS.preferredReturn, rate: '0' } } },
        ...fund().commands.slice(1, 4),
        { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '0.5', dueDate: '2026-01-01' },
        fund().commands[5],
        { type: 'ProposeAllocation', ...at('us-treasury', '2026-01-01'), allocationId: 'al-grid', projectId: 'grid', amount: '500.00' },
        fund().commands[7],
        { type: 'FundProject', ...at('us-treasury', '2026-01-01'), allocationId: 'al-grid', amount: '500.00' },
        { type: 'ValueProject', ...at('us-treasury', '2026-06-30'), projectId: 'grid', fairValue: '1000.00' },
        { type: 'CommitCapital', ...at('retail-platform', '2026-06-30'), lpId: 'lp-c', kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
        { type: 'HoldClose', ...at('us-treasury', '2026-07-01') },
        { type: 'ValueProject', ...at('us-treasury', '2026-12-31'), projectId: 'grid', fairValue: '500.00' },
        { type: 'ValueProject', ...at('us-treasury', '2027-06-30'), projectId: 'grid', fairValue: '1500.00' },
      ],
    };
    await new ScenarioService(store).apply(JSON.stringify(later));
    const queries = new FundQueryService(store);
    const figures = async (asOf: string, lps = ['lp-a', 'lp-b', 'lp-c']) =>
      Promise.all(
        lps.map(async (lpId) => {
          const a = await queries.capitalAccount('wf', lpId, { asOf });
          return [lpId, a.rollForward.carriedInterest, a.accruedCarry, a.rollForward.endingNav, a.grossNav, a.performance[0].tvpi, a.grossPerformance[0].tvpi];
        }),
      );
    // 2026-06-30: A and B paid in 300.00 and 200.00 and the project gained 500.00; liquidated, the
    // managers' 20% is 100.00, borne 60/40 by A's and B's profit (300.00 and 200.00).
    expect((await queries.balanceSheet('wf', { asOf: '2026-06-30' })).partners.managersAccruedCarry).toBe('100.00');
    expect(await figures('2026-06-30', ['lp-a', 'lp-b'])).toEqual([
      ['lp-a', '60.00', '60.00', '540.00', '600.00', '1.8000', '2.0000'],
      ['lp-b', '40.00', '40.00', '360.00', '400.00', '1.8000', '2.0000'],
    ]);
    // C joins (catch-up 500.00) and the project falls back to 500.00: 500.00 of loss shared
    // 30/20/50, no profit left in the fund, no carry. A's profit is 150.00, B's 100.00, C's -250.00.
    // Shared by close epoch, the accrual's fall would have credited C 50.00 of carry it never bore.
    expect((await queries.balanceSheet('wf', { asOf: '2026-12-31' })).partners.managersAccruedCarry).toBe('0.00');
    expect(await figures('2026-12-31')).toEqual([
      ['lp-a', '0.00', '0.00', '450.00', '450.00', '1.5000', '1.5000'],
      ['lp-b', '0.00', '0.00', '300.00', '300.00', '1.5000', '1.5000'],
      ['lp-c', '0.00', '0.00', '250.00', '250.00', '0.5000', '0.5000'],
    ]);
    const cHalf = await queries.capitalAccount('wf', 'lp-c', { asOf: '2026-12-31', from: '2026-07-01' });
    expect([cHalf.rollForward.carriedInterest, cHalf.rollForward.changeInUnrealizedGain]).toEqual(['0.00', '-250.00']);
    // 2027-06-30, valued 1,500.00: 1,000.00 of profit, the managers' 200.00 shared by the LPs'
    // profits before carry, 450.00 : 300.00 : 250.00 -> 90.00, 60.00, 50.00.
    expect((await queries.balanceSheet('wf', { asOf: '2027-06-30' })).partners.managersAccruedCarry).toBe('200.00');
    expect(await figures('2027-06-30')).toEqual([
      ['lp-a', '90.00', '90.00', '660.00', '750.00', '2.2000', '2.5000'],
      ['lp-b', '60.00', '60.00', '440.00', '500.00', '2.2000', '2.5000'],
      ['lp-c', '50.00', '50.00', '700.00', '750.00', '1.4000', '1.5000'],
    ]);
    await store.close();
  });

  it('counts no carry on a defaulted contribution still owed: a receivable, not profit', async () => {
    const store = new SqliteEventStore(join(dir, 'default.db'));
    // Half called; B defaults on its 200.00: 300.00 of cash and 200.00 owed, 300.00 contributed.
    const scenario = fund(TERMS);
    scenario.commands.splice(
      4,
      scenario.commands.length - 4,
      { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '0.5', dueDate: '2026-01-01' } as never,
      { type: 'RecordContributionDefault', ...at('jp-mof', '2026-01-02'), callNumber: 1, lpId: 'lp-b' } as never,
    );
    await new ScenarioService(store).apply(JSON.stringify(scenario));
    const queries = new FundQueryService(store);
    const sheet = await queries.balanceSheet('wf', { asOf: '2026-01-31' });
    expect([sheet.netAssets, sheet.partners.managersAccruedCarry]).toEqual(['500.00', '0.00']);
    const report = await queries.waterfall('wf', { asOf: '2026-01-31' });
    expect([report.account.contributed, report.liquidation.liquidated, report.liquidation.toManagers]).toEqual(['300.00', '300.00', '0.00']);
    await store.close();
  });
});
