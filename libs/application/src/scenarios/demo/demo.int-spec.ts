import { Dec, formatCents, parseCents } from '@fundsim/domain';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from '../../queries/fund-queries.service';
import { ScenarioService } from '../scenario';
import { DemoExistsError, DemoService } from './demo.service';

async function loadDemo(retailLps: number) {
  const store = new MemoryEventStore();
  const demo = new DemoService(store, new ScenarioService(store));
  const result = await demo.load({ retailLps });
  return { store, demo, result, queries: new FundQueryService(store) };
}

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const quarterEnds = () => {
  const out: string[] = [];
  for (let y = 2026; y <= 2035; y++) for (const md of ['03-31', '06-30', '09-30', '12-31']) out.push(`${y}-${md}`);
  return out;
};

describe('the U.S.-Japan demo fund', () => {
  it("applies cleanly; at every quarter end the balance sheet balances and the register plus the managers' accrued carry is net assets", async () => {
    const { result, queries } = await loadDemo(300);
    expect(result).toMatchObject({ fundId: 'usjp', retailLps: 300 });
    expect(result.eventsWritten).toBeGreaterThan(1300);
    for (const asOf of quarterEnds()) {
      const sheet = await queries.balanceSheet('usjp', { asOf });
      expect(parseCents(sheet.assets.total)).toBe(parseCents(sheet.liabilities.total) + parseCents(sheet.netAssets));
      const register = await queries.register('usjp', { asOf }, 0, 1000);
      expect(register.rows.reduce((sum, r) => sum + parseCents(r.netAssets), 0n)).toBe(parseCents(sheet.partners.lps));
      expect(parseCents(sheet.partners.lps) + parseCents(sheet.partners.managersAccruedCarry)).toBe(parseCents(sheet.netAssets));
      if (asOf >= '2030-12-31') expect(parseCents(sheet.partners.managersAccruedCarry)).toBeGreaterThan(0n);
      expect(parseCents(sheet.leverage.debt)).toBeLessThanOrEqual(parseCents(sheet.leverage.cap));
    }
  }, 120_000);

  it("every LP's figures are its own (issue 25): cash lines tie, carry never negative, net never above gross, on every quarter end and over each quarter", async () => {
    // 120 retail LPs in the suite; DEMO_CHECK_LPS=3000 checks the whole demo (about 120,000 statements and ledgers).
    const { queries } = await loadDemo(Number(process.env.DEMO_CHECK_LPS ?? 120));
    let checked = 0;
    let previous: string | undefined;
    for (const asOf of quarterEnds()) {
      const sheet = await queries.balanceSheet('usjp', { asOf });
      let grossNavs = 0n;
      let accruedCarry = 0n;
      // Every admitted LP (the register's rows, all of them: a page holds at most 1,000).
      for (const { lpId } of [...(await queries.registerRows('usjp', { asOf }))]) {
        const account = await queries.capitalAccount('usjp', lpId, { asOf });
        const usd = account.performance.find((p) => p.currency === 'USD')!;
        const gross = account.grossPerformance.find((p) => p.currency === 'USD')!;
        const at = (figure: unknown) => [lpId, asOf, figure];
        // The distributions line is the cash paid plus payable; the contributions line the cash paid
        // in (less the equalization interest, shown apart) plus what it owes (called, not yet paid);
        // a transfer's price, received or paid, is the LP's cash but not the fund's.
        expect(at(formatCents(parseCents(account.rollForward.distributions) + parseCents(account.transfers.priceReceived)))).toEqual(
          at(formatCents(parseCents(usd.distributed) + parseCents(usd.distributionsPayable))),
        );
        expect(
          at(
            formatCents(parseCents(account.rollForward.contributions) + parseCents(account.equalizationInterestPaid) + parseCents(account.transfers.pricePaid)),
          ),
        ).toEqual(at(formatCents(parseCents(usd.paidIn) + parseCents(usd.contributionsOwed))));
        // Carry: paid plus accrued is never below zero while the managers owe no clawback, and
        // the LP's performance net of it is never above its gross.
        if (parseCents(sheet.partners.managersAccruedCarry) >= 0n) expect(at(account.rollForward.carriedInterest)).not.toEqual(at(expect.stringMatching(/^-/)));
        expect(at(account.accruedCarry)).not.toEqual(at(expect.stringMatching(/^-/)));
        expect([lpId, asOf, new Dec(usd.tvpi ?? 0).lte(gross.tvpi ?? 0)]).toEqual([lpId, asOf, true]);
        expect(parseCents(account.grossNav)).toBe(parseCents(account.rollForward.endingNav) + parseCents(account.accruedCarry));
        // The LP's transaction ledger ties to the statement, line by line, to the cent.
        const ledger = await queries.transactions('usjp', lpId, { asOf });
        const sum = (pick: (t: (typeof ledger.transactions)[number]) => boolean, field: 'amount' | 'cash' = 'amount') =>
          formatCents(ledger.transactions.filter(pick).reduce((total, t) => total + parseCents(t[field]), 0n));
        const r = account.rollForward;
        expect(at(ledger.closing)).toEqual(
          at({
            commitment: account.commitment.usd,
            pending: ledger.closing.pending,
            unfunded: account.unfunded,
            contributions: r.contributions,
            distributions: r.distributions,
            carriedInterest: r.carriedInterest,
            nav: r.endingNav,
            paidIn: usd.paidIn,
            received: usd.distributed,
          }),
        );
        for (const line of ['managementFees', 'expenses', 'interest', 'income', 'realizedGain', 'changeInUnrealizedGain', 'changeInAccruedCarry'] as const) {
          const cost = line === 'managementFees' || line === 'expenses' || line === 'interest' || line === 'changeInAccruedCarry';
          expect(at(formatCents((cost ? -1n : 1n) * parseCents(sum((t) => t.line === line))))).toEqual(at(r[line]));
        }
        expect(at(sum((t) => t.kind === 'carried-interest'))).toEqual(at(formatCents(-parseCents(r.carriedInterestPaid))));
        grossNavs += parseCents(account.grossNav);
        accruedCarry += parseCents(account.accruedCarry);
        if (previous && asOf >= '2029-06-30') {
          // A quarter's lines are the differences of the two inception-to-date lines, which are cash.
          const before = await queries.capitalAccount('usjp', lpId, { asOf: previous });
          const quarter = await queries.capitalAccount('usjp', lpId, { asOf, from: dayAfter(previous) });
          for (const line of ['distributions', 'contributions', 'carriedInterest', 'carriedInterestPaid', 'changeInAccruedCarry'] as const) {
            expect(at(quarter.rollForward[line])).toEqual(at(formatCents(parseCents(account.rollForward[line]) - parseCents(before.rollForward[line]))));
          }
          expect(quarter.rollForward.endingNav).toBe(account.rollForward.endingNav);
        }
        checked++;
      }
      // Each LP's share of the carry accrued sums to the managers'; the gross NAVs to the fund's net assets.
      expect([asOf, accruedCarry]).toEqual([asOf, parseCents(sheet.partners.managersAccruedCarry)]);
      expect([asOf, grossNavs]).toEqual([asOf, parseCents(sheet.netAssets)]);
      previous = asOf;
    }
    expect(checked).toBeGreaterThan(3000);
  }, 3_600_000);

  it('holds what the brief asks for: three closes (the last scaled back), Stargate approved across governments, a rejection, a late correction', async () => {
    const { store, queries } = await loadDemo(60);
    const types = new Map<string, number>();
    const fund: { type: string; data: Record<string, unknown>; actor: string; recordedAt: string; effectiveDate: string }[] = [];
    for await (const e of store.readStream('fund-usjp')) {
      types.set(e.type, (types.get(e.type) ?? 0) + 1);
      fund.push({ type: e.type, data: e.data, actor: e.metadata.actor, recordedAt: e.metadata.recordedAt, effectiveDate: e.metadata.effectiveDate });
    }
    const closes = fund.filter((e) => e.type === 'CloseHeld');
    expect(closes.map((c) => [c.effectiveDate, c.data.scaledBack])).toEqual([
      ['2026-07-01', false],
      ['2027-01-15', false],
      ['2027-07-01', true],
    ]);
    expect(Number(closes[1].data.equalizationInterestUsd)).toBeGreaterThan(0);
    const proposed = fund.find((e) => e.type === 'AllocationProposed' && e.data.allocationId === 'al-stargate-1')!;
    const committed = fund.find((e) => e.type === 'AllocationCommitted' && e.data.allocationId === 'al-stargate-1')!;
    expect([proposed.actor, committed.actor]).toEqual(['us-treasury', 'jp-mof']);
    expect(fund.some((e) => e.type === 'AllocationRejected' && e.data.allocationId === 'al-5g-networks')).toBe(true);
    for (const type of [
      'MilestoneRecorded',
      'FxRateRecorded',
      'CreditFacilityOpened',
      'LeverageDrawn',
      'InterestPaid',
      'LeverageRepaid',
      'ProjectValued',
      'ProceedsReceived',
      'DistributionDeclared',
      'ManagementFeeCharged',
      'ExpenseRecorded',
    ]) {
      expect([type, types.get(type) ?? 0]).not.toEqual([type, 0]);
    }
    // The correction: recorded in February 2028, in the books from 31 December 2027.
    const [reversal] = fund.filter((e) => e.type === 'EventReversed');
    expect([reversal.effectiveDate, reversal.recordedAt.slice(0, 10)]).toEqual(['2027-12-31', '2028-02-15']);
    const stargate = async (knownAt?: string) =>
      (await queries.balanceSheet('usjp', { asOf: '2027-12-31', knownAt })).investments.find((i) => i.projectId === 'stargate')!.fairValue;
    expect(await stargate('2028-02-14')).not.toBe(await stargate());
    expect(await stargate('2028-02-16')).toBe(await stargate());
  }, 120_000);

  it("gives both governments' revenue over 2026-2035, quarter by quarter, the MoF's in yen too", async () => {
    const { queries } = await loadDemo(60);
    for (const [manager, lpId] of [
      ['us-treasury', 'us-gov'],
      ['jp-mof', 'jp-gov'],
    ] as const) {
      const revenue = await queries.revenue('usjp', manager, { from: '2026-01-01', to: '2035-12-31' });
      expect([revenue.lpId, revenue.quarters.length, revenue.quarters[0].quarter, revenue.quarters[39].quarter]).toEqual([lpId, 40, '2026-Q1', '2035-Q4']);
      // Fees every quarter from the first close; their sum is the manager's account, and so is the carry.
      expect(revenue.quarters.filter((q) => q.to >= '2026-09-30').every((q) => parseCents(q.usd.managementFees) > 0n)).toBe(true);
      const account = (await queries.waterfall('usjp', { asOf: '2035-12-31' })).managers.find((m) => m.manager === manager)!;
      expect([revenue.total.usd.managementFees, revenue.total.usd.carriedInterestPaid, revenue.total.usd.carriedInterestAccrued]).toEqual([
        account.managementFees,
        account.carriedInterestPaid,
        account.carriedInterestAccrued,
      ]);
      // Its returns as an LP: the distributions its statement says it received or is owed, exactly, and
      // its net assets to a cent (rounded from its exact share; the register may give it a cent more or less).
      const statement = await queries.capitalAccount('usjp', lpId, { asOf: '2035-12-31' });
      const received = statement.performance[0];
      expect(parseCents(revenue.total.usd.asLp!.distributions)).toBe(parseCents(received.distributed) + parseCents(received.distributionsPayable));
      const gap = parseCents(revenue.total.usd.asLp!.netAssets) - parseCents(statement.rollForward.endingNav);
      expect(gap >= -1n && gap <= 1n).toBe(true);
      expect(revenue.total.jpy === null).toBe(manager === 'us-treasury');
    }
  }, 120_000);

  it('is the same history on every machine, and refuses a store that already holds it', async () => {
    const a = await loadDemo(20);
    const b = await loadDemo(20);
    const headA = await a.store.verify();
    expect(headA).toEqual(await b.store.verify());
    await expect(a.demo.load({ retailLps: 20 })).rejects.toBeInstanceOf(DemoExistsError);
    expect(await a.store.headPosition()).toBe(headA.count);
    await expect(a.demo.load({ retailLps: -1 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  }, 120_000);
});
