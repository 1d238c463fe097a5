/**
 * npm run bench:waterfall — the distribution waterfall at a million retail LPs (issue 17).
 *
 * Writes the replay benchmark's generated log twice, to two fresh SQLite stores: once for a fund
 * without waterfall terms (the baseline) and once for the same fund with the demo's terms (each
 * distribution's split by tier recorded, as the deciders record it). Then, for each, in the same
 * run: the full replay to a balance sheet (median of 2), as-of balance sheets on 20 random dates
 * (the carry accrued on each), the register's first pass on a date and 1,000 LP statements; and
 * with terms only: the waterfall report, and a government's revenue by quarter over the fund's
 * ten years (40 quarters, its LP account's statement for each: a register rounding pass a
 * quarter); then the write path, distributions decided (each split by tier with terms) and written.
 * Prints each figure and the ratio with terms / without; then the same terms with the sovereigns
 * exempt from carry, and deal by deal (American), each against the European terms. Peak RSS at the end.
 *
 *   BENCH_LPS=1000000 npm run bench:waterfall
 */
import { DEMO_WATERFALL_ALL_BEARING, FundCommandService, FundFollower, FundQueryService } from '@fundsim/application';
import { parseWaterfallTerms } from '@fundsim/domain';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-waterfall-'));
// The demo's terms with every LP bearing carry and fixed shares (the generated log records no stakes).
const TERMS = parseWaterfallTerms(DEMO_WATERFALL_ALL_BEARING, ['us-treasury', 'jp-mof']);

let seed = 11;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const ms = (start: number) => performance.now() - start;
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const fmt = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

interface Figures {
  replay: number;
  asOfP50: number;
  asOfP95: number;
  registerPass: number;
  statementP99: number;
  /** The write path: the first command (it folds the fund's stream), then p50 of 20 distributions decided (split by tier, with terms) and written. */
  firstCommand: number;
  distributionP50: number;
  /** An LP's transaction ledger from inception (40 quarters of P&L allocations): the first (each quarter's basis built) and p99 of 100 after. */
  ledgerFirst: number;
  ledgerP99: number;
  /** A capital call decided over every LP (its total and its largest-remainder split) and written. */
  call: number;
}

async function measure(label: string, waterfall: boolean, terms = TERMS): Promise<Figures> {
  const path = join(dir, `${label}.db`);
  let started = performance.now();
  const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
  const { fundEvents, lpEvents } = await writeFundLog(writer, LPS, waterfall ? terms : undefined);
  await writer.close();
  console.log(
    `${label}: ${fundEvents.toLocaleString('en-US')} fund events + ${lpEvents.toLocaleString('en-US')} commitments written in ${(ms(started) / 1000).toFixed(1)} s`,
  );

  const replays: number[] = [];
  let store!: SqliteEventStore;
  let queries!: FundQueryService;
  let follower!: FundFollower;
  for (let round = 0; round < 2; round++) {
    await store?.close();
    rmSync(`${path}.snapshots`, { recursive: true, force: true });
    store = new SqliteEventStore(path);
    follower = new FundFollower(store);
    queries = new FundQueryService(store, follower);
    started = performance.now();
    const sheet = await queries.balanceSheet(FUND, { asOf: '2036-12-31' });
    replays.push(ms(started));
    if (round === 0)
      console.log(`  net assets 2036-12-31 ${sheet.netAssets} = LPs ${sheet.partners.lps} + managers' accrued carry ${sheet.partners.managersAccruedCarry}`);
  }
  const asOf: number[] = [];
  seed = 11;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await queries.balanceSheet(FUND, { asOf: addDays('2027-02-01', Math.floor(random() * 3600)) });
    asOf.push(ms(t));
  }
  const date = '2034-06-30';
  started = performance.now();
  const gov = await queries.capitalAccount(FUND, 'us-gov', { asOf: date });
  const registerPass = ms(started);
  const retail = await queries.capitalAccount(FUND, 'retail-0000001', { asOf: date });
  console.log(`  carried interest borne to ${date}: us-gov ${gov.rollForward.carriedInterest}, retail-0000001 ${retail.rollForward.carriedInterest}`);
  const statements: number[] = [];
  for (let i = 0; i < 1020; i++) {
    const t = performance.now();
    await queries.capitalAccount(FUND, `retail-${String(Math.floor(random() * LPS)).padStart(7, '0')}`, { asOf: date });
    if (i >= 20) statements.push(ms(t));
  }
  started = performance.now();
  await queries.transactions(FUND, 'retail-0000001', { asOf: date });
  const ledgerFirst = ms(started);
  const ledgers: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    const ledger = await queries.transactions(FUND, `retail-${String(Math.floor(random() * LPS)).padStart(7, '0')}`, { asOf: date });
    ledgers.push(ms(t));
    if (i === 0) console.log(`  a ledger: ${ledger.transactions.length} entries, closing NAV ${ledger.closing.nav}`);
  }
  // The write path: distributions decided through the deciders (with terms, each split by tier) and
  // written, by a command service sharing the readers' follower of the fund, as the API's does.
  const commands = new FundCommandService(store, follower);
  // Cash to distribute (the generated log does not keep its cash positive): income from the flagship, decided like any command.
  const cash = Number((await queries.balanceSheet(FUND, { asOf: '2037-01-14' })).assets.cash);
  started = performance.now();
  await commands.execute(FUND, {
    type: 'ReceiveProceeds',
    data: { projectId: 'stargate', kind: 'income', amount: `${Math.ceil(Math.max(0, -cash) / 1e9 + 1)}000000000.00` },
    metadata: { actor: 'us-treasury', effectiveDate: '2037-01-14' },
  });
  const distribution = (i: number) =>
    commands.execute(FUND, {
      type: 'DeclareDistribution',
      data: { amount: '1000000.00' },
      metadata: { actor: 'us-treasury', effectiveDate: addDays('2037-01-15', i) },
    });
  const firstCommand = ms(started);
  await distribution(0);
  const writes: number[] = [];
  for (let i = 1; i <= 20; i++) {
    const t = performance.now();
    await distribution(i);
    writes.push(ms(t));
  }
  started = performance.now();
  const called = await commands.execute(FUND, {
    type: 'CallCapital',
    data: { percentage: '0.0123', dueDate: '2037-03-15' },
    metadata: { actor: 'us-treasury', effectiveDate: '2037-02-15' },
  });
  const call = ms(started);
  console.log(`  a call decided over every LP and written: ${fmt(call)} (${JSON.stringify(called.events[0]?.data ?? called).slice(0, 200)})`);
  const figures = {
    replay: pct(replays, 50),
    asOfP50: pct(asOf, 50),
    asOfP95: pct(asOf, 95),
    registerPass,
    statementP99: pct(statements, 99),
    firstCommand,
    distributionP50: pct(writes, 50),
    ledgerFirst,
    ledgerP99: pct(ledgers, 99),
    call,
  };
  console.log(
    `  replay ${(figures.replay / 1000).toFixed(2)} s (rounds ${replays.map((r) => (r / 1000).toFixed(2)).join(', ')}); as-of balance sheet p50 ${fmt(figures.asOfP50)}, p95 ${fmt(figures.asOfP95)}; register pass ${fmt(registerPass)}; statement p99 ${fmt(figures.statementP99)}`,
  );
  console.log(
    `  write path: the first command ${fmt(firstCommand)} (it folds the fund's stream), then distributions decided and written, p50 ${fmt(figures.distributionP50)}`,
  );
  console.log(`  transaction ledger: first ${fmt(ledgerFirst)}, then p99 ${fmt(figures.ledgerP99)}`);

  if (waterfall) {
    started = performance.now();
    const report = await queries.waterfall(FUND, { asOf: '2036-12-31' });
    const reportMs = ms(started);
    started = performance.now();
    await queries.waterfall(FUND, { asOf: '2036-12-31' });
    console.log(
      `  waterfall report: ${fmt(reportMs)} (${report.distributions.length} distributions), again ${fmt(ms(started))}; accrued carry ${report.netAssets.managersAccruedCarry}`,
    );
    const paid = report.managers.map((m) => `${m.manager} ${m.carriedInterestPaid}`).join(', ');
    console.log(`  carry paid ${paid}${report.deals ? `; ${report.deals.length - 1} deals, stargate's tiers: ${JSON.stringify(report.deals[0])}` : ''}`);
    for (const manager of ['jp-mof', 'us-treasury']) {
      started = performance.now();
      const revenue = await queries.revenue(FUND, manager, { from: '2027-01-01', to: '2036-12-31' });
      console.log(
        `  revenue of ${manager}, ${revenue.quarters.length} quarters (its LP account included): ${(ms(started) / 1000).toFixed(2)} s; income ${revenue.total.usd.income} USD${revenue.total.jpy ? `, ${revenue.total.jpy.income} JPY` : ''}`,
      );
    }
  }
  await store.close();
  rmSync(path, { force: true });
  rmSync(`${path}.snapshots`, { recursive: true, force: true });
  return figures;
}

async function main() {
  console.log(`The waterfall at ${LPS.toLocaleString('en-US')} retail LPs: the same log without terms (baseline) and with them`);
  const without = await measure('without-terms', false);
  const withTerms = await measure('with-terms', true);
  // The same terms with the two sovereigns exempt from carry (their share of each distribution paid whole).
  const exempt = await measure('sovereigns-exempt', true, { ...TERMS, carryBearing: 'non-sovereign' });
  // The same terms deal by deal (deal-by-deal.ts): each distribution attributed to the deals whose income funds it.
  const american = await measure('american', true, { ...TERMS, style: 'american' });
  const ratio = (a: Figures, b: Figures) => (k: keyof Figures) => `${(a[k] / b[k]).toFixed(2)}x`;
  const line = (label: string, r: (k: keyof Figures) => string) =>
    `${label}: replay ${r('replay')}, as-of balance sheet p50 ${r('asOfP50')} and p95 ${r('asOfP95')}, register pass ${r('registerPass')}, statement p99 ${r('statementP99')}, a distribution written ${r('distributionP50')}, the first command ${r('firstCommand')}, ledger first ${r('ledgerFirst')} and p99 ${r('ledgerP99')}, a call ${r('call')}`;
  console.log('');
  console.log(line('With terms / without', ratio(withTerms, without)));
  console.log(line('Sovereigns exempt / all bearing', ratio(exempt, withTerms)));
  console.log(line('American / European', ratio(american, withTerms)));
  console.log(`Peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
