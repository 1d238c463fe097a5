import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { FundCommandService } from '../commands/fund-commands.service';
import { FundQueryService } from './fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';
import { CALLS_FUND, DISTRIBUTION_FUND } from '../testing/notices-fixtures';

/**
 * Investor notices (issue 25, item 3) over a real store, worked by hand: what each call asks of each
 * LP and what it is for, and what each distribution pays it by tier with the carry withheld.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-notices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('capital call notices', () => {
  let store: SqliteEventStore;
  let queries: FundQueryService;
  beforeAll(async () => {
    store = new SqliteEventStore(join(dir, 'calls.db'));
    await new ScenarioService(store).apply(JSON.stringify(CALLS_FUND));
    queries = new FundQueryService(store);
  });
  afterAll(() => store.close());

  it('tells each LP its amount, what it is for, its contributions and unfunded before and after', async () => {
    // A: 10.5% of 1,000.00 = 105.00: 94.50 for investments, 7.875 for fees and 2.625 for expenses,
    // each rounded down (7.87, 2.62) and the cent left to the largest remainder; the two are tied
    // (half a cent each), so by name: expenses 2.63. Unfunded 1,000.00 before, 895.00 after.
    const a1 = await queries.callNotice('nt', 1, 'lp-a');
    expect(a1).toMatchObject({
      notice: 'capital-call',
      callNumber: 1,
      noticeDate: '2026-07-01',
      dueDate: '2026-07-31',
      commitment: '1000.00',
      amount: '105.00',
      purposes: { investments: '94.50', managementFees: '7.87', expenses: '2.63', facilityRepayment: '0.00' },
      purposesRecorded: true,
      contributionsBefore: '0.00',
      cumulativeContributions: '105.00',
      unfundedBefore: '1000.00',
      unfundedAfter: '895.00',
      callTotal: '245.00',
      yen: null,
    });
    // B: 10.5% of 333.33 = 34.99965 -> 35.00: 31.50, 2.625 -> 2.62, 0.875 -> 0.87, the cent to
    // expenses again (tied halves): 0.88. Unfunded 333.33 -> 298.33.
    const b1 = await queries.callNotice('nt', 1, 'lp-b');
    expect([b1.amount, b1.purposes, b1.unfundedBefore, b1.unfundedAfter]).toEqual([
      '35.00',
      { investments: '31.50', managementFees: '2.62', expenses: '0.88', facilityRepayment: '0.00' },
      '333.33',
      '298.33',
    ]);
    // The second call records no purposes: all investments. A: 20% = 200.00, 105.00 before.
    const a2 = await queries.callNotice('nt', 2, 'lp-a');
    expect([
      a2.amount,
      a2.purposes.investments,
      a2.purposesRecorded,
      a2.contributionsBefore,
      a2.cumulativeContributions,
      a2.unfundedBefore,
      a2.unfundedAfter,
      a2.callTotal,
    ]).toEqual(['200.00', '200.00', false, '105.00', '305.00', '895.00', '695.00', '466.67']);
  });

  it("gives a yen LP every figure in yen at the rate in force on the notice's date", async () => {
    // Call 1 at 150.00: 105.00 USD = ¥15,750, split 14,175 / 1,180.5 / 394.5 over the USD lines
    // (94.50, 7.87, 2.63); the yen left to the tied halves by name: expenses ¥395, fees ¥1,180.
    const j1 = await queries.callNotice('nt', 1, 'lp-j');
    expect(j1.currency).toBe('JPY');
    expect(j1.yen).toEqual({
      rate: { pair: 'USD/JPY', rate: '150.00', recordedFor: '2026-03-31' },
      commitment: '150000',
      amount: '15750',
      purposes: { investments: '14175', managementFees: '1180', expenses: '395', facilityRepayment: '0' },
      contributionsBefore: '0',
      cumulativeContributions: '15750',
      unfundedBefore: '150000',
      unfundedAfter: '134250',
      callTotal: '36750',
    });
    // Call 2 at 160.00 (recorded 2026-09-01): 200.00 = ¥32,000; 305.00 to date = ¥48,800, so
    // ¥16,800 before; the commitment at 160.00 is ¥160,000: unfunded ¥143,200 -> ¥111,200.
    const j2 = await queries.callNotice('nt', 2, 'lp-j');
    expect(j2.yen).toMatchObject({
      rate: { rate: '160.00', recordedFor: '2026-09-01' },
      amount: '32000',
      contributionsBefore: '16800',
      cumulativeContributions: '48800',
      unfundedBefore: '143200',
      unfundedAfter: '111200',
    });
    expect(j2.yen!.purposes.investments).toBe('32000');
  });

  it("sums over all LPs to the call's total, and ties to each LP's statement", async () => {
    for (const callNumber of [1, 2]) {
      const notices = [...(await queries.callNotices('nt', callNumber))];
      expect(notices.map((n) => n.lpId)).toEqual(['lp-a', 'lp-b', 'lp-j']);
      const sum = notices.reduce((s, n) => s + BigInt(n.amount.replace('.', '')), 0n);
      expect(sum.toString()).toBe(notices[0].callTotal.replace('.', ''));
      for (const n of notices) {
        const lines = Object.values(n.purposes).reduce((s, v) => s + BigInt(v.replace('.', '')), 0n);
        expect(lines.toString()).toBe(n.amount.replace('.', ''));
      }
    }
    for (const lpId of ['lp-a', 'lp-b', 'lp-j']) {
      const last = await queries.callNotice('nt', 2, lpId);
      const statement = await queries.capitalAccount('nt', lpId, { asOf: '2026-12-31' });
      expect(last.cumulativeContributions).toBe(statement.rollForward.contributions);
      expect(last.unfundedAfter).toBe(statement.unfunded);
    }
  });

  it('reads a reversed call as known before its reversal, and not as known now', async () => {
    const [second] = (await collect(store.readAll({ eventTypes: ['CapitalCalled'] }))).slice(1);
    const fund = new FundQueryService(store);
    await fund.callNotice('nt', 2, 'lp-a');
    await new FundCommandService(store).execute('nt', {
      type: 'ReverseEvent',
      data: { eventId: second.id, reason: 'called in error' },
      metadata: { actor: 'us-treasury', effectiveDate: '2026-09-20' },
    });
    await expect(fund.callNotice('nt', 2, 'lp-a')).rejects.toMatchObject({ code: 'UNKNOWN_CALL' });
    const asKnown = await fund.callNotice('nt', 2, 'lp-a', { knownAt: second.metadata.recordedAt as string });
    expect([asKnown.amount, asKnown.cumulativeContributions, asKnown.knownAt]).toEqual(['200.00', '305.00', second.metadata.recordedAt]);
    // The next call takes a new number, never the reversed one's: a notice or a default naming
    // call 2 names one call only (it was numbered 2 again).
    const next = await new FundCommandService(store).execute('nt', {
      type: 'CallCapital',
      data: { percentage: '0.1', dueDate: '2026-10-31' },
      metadata: { actor: 'us-treasury', effectiveDate: '2026-09-21' },
    });
    expect(next.events[0].data).toMatchObject({ callNumber: 3 });
    await expect(fund.callNotice('nt', 2, 'lp-a')).rejects.toMatchObject({ code: 'UNKNOWN_CALL' });
    expect((await fund.callNotice('nt', 3, 'lp-a')).callNumber).toBe(3);
    // Also for a call decided in place, before a later fact: call 3 reversed (the reversal dated at
    // its date, 09-21), a rate recorded on 09-30, then a call dated 09-20 (before the reversal) is number 4, not 3 again.
    const commands = new FundCommandService(store);
    const third = (await collect(store.readAll({ eventTypes: ['CapitalCalled'] }))).find((e) => e.data.callNumber === 3)!;
    await commands.execute('nt', {
      type: 'ReverseEvent',
      data: { eventId: third.id, reason: 'called in error' },
      metadata: { actor: 'us-treasury', effectiveDate: '2026-09-22' },
    });
    await commands.execute('nt', {
      type: 'RecordFxRate',
      data: { pair: 'USD/JPY', rate: '151.00' },
      metadata: { actor: 'us-treasury', effectiveDate: '2026-09-30' },
    });
    const backdated = await commands.execute('nt', {
      type: 'CallCapital',
      data: { percentage: '0.01', dueDate: '2026-10-31' },
      metadata: { actor: 'us-treasury', effectiveDate: '2026-09-20' },
    });
    expect(backdated.events[0].data).toMatchObject({ callNumber: 4 });
  });

  it('refuses an unknown call or LP with a not-found code', async () => {
    await expect(queries.callNotice('nt', 7, 'lp-a')).rejects.toMatchObject({ code: 'UNKNOWN_CALL' });
    await expect(queries.callNotice('nt', 1, 'nobody')).rejects.toMatchObject({ code: 'UNKNOWN_LP' });
    await expect(queries.callNotices('nt', 9)).rejects.toMatchObject({ code: 'UNKNOWN_CALL' });
    await expect(queries.distributionNotice('nt', 1, 'lp-a')).rejects.toMatchObject({ code: 'UNKNOWN_DISTRIBUTION' });
  });
});

describe('distribution notices', () => {
  it('splits the LP cash by tier and tells the carry withheld, summing to the distribution', async () => {
    const store = new SqliteEventStore(join(dir, 'wf.db'));
    await new ScenarioService(store).apply(JSON.stringify(DISTRIBUTION_FUND));
    const queries = new FundQueryService(store);
    // A holds 60%: 700.00 x 0.6 = 420.00 = 300.00 of capital + 72.00 of preferred return + 48.00
    // of gain; the managers' 50.00 x 0.6 = 30.00 withheld, 450.00 gross. A's first 500.00
    // distribution paid it 300.00, so 720.00 to date.
    const a = await queries.distributionNotice('wf', 2, 'lp-a');
    expect(a).toMatchObject({
      notice: 'distribution',
      distributionNumber: 2,
      noticeDate: '2028-01-01',
      paymentDate: '2028-01-15',
      amount: '420.00',
      tiers: { returnOfCapital: '300.00', preferredReturn: '72.00', catchUp: '0.00', gain: '48.00' },
      carryWithheld: '30.00',
      grossAmount: '450.00',
      cumulativeDistributions: '720.00',
      cumulativeContributions: '600.00',
      unfunded: '0.00',
      distributionToLps: '700.00',
      distributionToManagers: '50.00',
      yen: null,
    });
    const all = [...(await queries.distributionNotices('wf', 2))];
    expect(all.map((n) => [n.lpId, n.amount, n.carryWithheld])).toEqual([
      ['lp-a', '420.00', '30.00'],
      ['lp-b', '280.00', '20.00'],
    ]);
    // The first: all return of capital, no carry.
    const b1 = await queries.distributionNotice('wf', 1, 'lp-b');
    expect([b1.amount, b1.tiers, b1.carryWithheld]).toEqual([
      '200.00',
      { returnOfCapital: '200.00', preferredReturn: '0.00', catchUp: '0.00', gain: '0.00' },
      '0.00',
    ]);
    // The statement's distributions line is the notices' cash.
    const statement = await queries.capitalAccount('wf', 'lp-a', { asOf: '2028-01-31' });
    expect(statement.rollForward.distributions).toBe(a.cumulativeDistributions);
    await expect(queries.distributionNotice('wf', 3, 'lp-a')).rejects.toMatchObject({ code: 'UNKNOWN_DISTRIBUTION' });
    await store.close();
  });
});
