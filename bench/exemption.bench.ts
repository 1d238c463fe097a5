/**
 * npm run bench:exemption — what exempting the sovereigns from carry, and from fees, costs at a
 * million retail LPs (issue 27): the same generated log three times, with the demo's former terms
 * (A: every LP bearing carry and fees), with the sovereigns exempt from carry (B: their share of
 * each distribution paid whole) and exempt from fees too (C: each quarter's fee called from the
 * retail LPs, split as a call), all replayed and then measured in turns (A, B, C, A, B, C...), so
 * that a busy machine slows them alike:
 *
 * - the register pass: the first statement on a date (the basis, the payout splits and the
 *   register's rounding cut over every LP), on 8 dates each;
 * - a distribution decided (through the tiers, the exempt share first) and written, 20 each;
 * - a management fee decided (out of cash, or split over the fee-bearing LPs) and written, 20 each;
 * - an LP's statement, 200 each.
 *
 * Prints the medians, and each against A. Peak RSS at the end.
 *
 *   BENCH_LPS=1000000 npm run bench:exemption
 */
import { DEMO_WATERFALL_ALL_BEARING, FundCommandService, FundFollower, FundQueryService } from '@fundsim/application';
import { parseWaterfallTerms } from '@fundsim/domain';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUND, fundCashForDistributions, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-exemption-'));
const ALL_BEARING = parseWaterfallTerms(DEMO_WATERFALL_ALL_BEARING, ['us-treasury', 'jp-mof']);
const EXEMPT = { ...ALL_BEARING, carryBearing: 'non-sovereign' as const };
const FEES_EXEMPT = { ...EXEMPT, feeBearing: 'non-sovereign' as const };

const ms = (start: number) => performance.now() - start;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Books {
  label: string;
  store: SqliteEventStore;
  queries: FundQueryService;
  commands: FundCommandService;
  registerPass: number[];
  distribution: number[];
  fee: number[];
  statement: number[];
}

async function open(label: string, terms: typeof ALL_BEARING): Promise<Books> {
  const path = join(dir, `${label}.db`);
  const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
  const started = performance.now();
  await writeFundLog(writer, LPS, terms);
  await writer.close();
  const store = new SqliteEventStore(path);
  const follower = new FundFollower(store);
  const queries = new FundQueryService(store, follower);
  const replayStarted = performance.now();
  const sheet = await queries.balanceSheet(FUND, { asOf: '2036-12-31' });
  console.log(
    `${label}: written in ${(ms(started) / 1000).toFixed(1)} s, replayed in ${(ms(replayStarted) / 1000).toFixed(1)} s; accrued carry at the end ${sheet.partners.managersAccruedCarry}`,
  );
  const commands = new FundCommandService(store, follower);
  await fundCashForDistributions(queries, commands);
  return { label, store, queries, commands, registerPass: [], distribution: [], fee: [], statement: [] };
}

async function main() {
  console.log(
    `Exemption at ${LPS.toLocaleString('en-US')} retail LPs: all bearing (A), the sovereigns exempt from carry (B), and from fees too (C), measured in turns`,
  );
  const all = [await open('all-bearing', ALL_BEARING), await open('carry-exempt', EXEMPT), await open('carry-and-fees-exempt', FEES_EXEMPT)];
  const dates = ['2029-06-30', '2030-03-31', '2031-09-30', '2032-06-30', '2033-03-31', '2034-06-30', '2035-09-30', '2036-06-30'];
  for (const date of dates) {
    for (const books of all) {
      const started = performance.now();
      await books.queries.capitalAccount(FUND, 'us-gov', { asOf: date });
      books.registerPass.push(ms(started));
    }
  }
  for (let i = 0; i < 20; i++) {
    for (const books of all) {
      const metadata = { actor: 'us-treasury', effectiveDate: addDays('2037-01-15', i) };
      let started = performance.now();
      await books.commands.execute(FUND, { type: 'DeclareDistribution', data: { amount: '1000000.00' }, metadata });
      books.distribution.push(ms(started));
      started = performance.now();
      await books.commands.execute(FUND, { type: 'ChargeManagementFee', data: { amount: '1000000.00', period: `bench-${i}` }, metadata });
      books.fee.push(ms(started));
    }
  }
  let seed = 7;
  for (let i = 0; i < 200; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const lpId = `retail-${String(seed % LPS).padStart(7, '0')}`;
    for (const books of all) {
      const started = performance.now();
      await books.queries.capitalAccount(FUND, lpId, { asOf: '2034-06-30' });
      books.statement.push(ms(started));
    }
  }
  for (const books of all.slice(1)) {
    const gov = await books.queries.capitalAccount(FUND, 'us-gov', { asOf: '2034-06-30' });
    const retail = await books.queries.capitalAccount(FUND, 'retail-0000001', { asOf: '2034-06-30' });
    console.log(
      `  ${books.label}: us-gov bears ${gov.rollForward.carriedInterest} of carry and ${gov.rollForward.managementFees} of fees, retail-0000001 ${retail.rollForward.carriedInterest} and ${retail.rollForward.managementFees}`,
    );
  }
  for (const [name, key] of [
    ['register pass (first statement on a date)', 'registerPass'],
    ['a distribution decided and written', 'distribution'],
    ['a management fee decided and written', 'fee'],
    ['an LP statement', 'statement'],
  ] as const) {
    const [x, y, z] = all.map((books) => median(books[key]));
    console.log(`  ${name}: A ${x.toFixed(2)} ms, B ${y.toFixed(2)} ms (${(y / x).toFixed(2)}x), C ${z.toFixed(2)} ms (${(z / x).toFixed(2)}x)`);
  }
  for (const books of all) await books.store.close();
  console.log(`Peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
