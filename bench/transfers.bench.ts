/**
 * npm run bench:transfers — what transfers of LP interests cost at a million retail LPs (issue 30):
 * the same generated log twice, one left as it is (A) and one with BENCH_TRANSFERS transfers
 * written after it (B: retail LPs selling part of their interest to other retail LPs or to new
 * LPs, dollar and yen), then measured in turns (A, B, A, B...), so that a busy machine slows them
 * alike:
 *
 * - writing: a transfer decided and written (B) against a distribution decided and written (A);
 * - the register pass: the first statement on a date after the transfers (the basis, the carry
 *   keys of every LP party to a transfer, the payout splits and the rounding cut over every LP);
 * - an LP's statement: of an LP party to a transfer (B) against one that is not (A).
 *
 * Prints the medians, B against A, what the first transfer moved, and the peak RSS.
 *
 *   BENCH_LPS=1000000 BENCH_TRANSFERS=1000 npm run bench:transfers
 */
import { DEMO_WATERFALL, FundCommandService, FundFollower, FundQueryService } from '@fundsim/application';
import { parseWaterfallTerms } from '@fundsim/domain';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUND, fundCashForDistributions, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 1_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-transfers-'));
const TERMS = parseWaterfallTerms(DEMO_WATERFALL, ['us-treasury', 'jp-mof']);

const ms = (start: number) => performance.now() - start;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const retail = (i: number) => `retail-${String(i).padStart(7, '0')}`;
/** The i-th transfer: from a retail LP spread over the register, to another retail LP or (one in three) a new LP, dollar or yen. */
const party = (i: number) => {
  const from = (i * 7_919) % LPS;
  const toNew = i % 3 === 0;
  return { from: retail(from), to: toNew ? `buyer-${String(i).padStart(6, '0')}` : retail((from + LPS / 2 + i) % LPS), yen: i % 6 === 0 };
};

interface Books {
  label: string;
  store: SqliteEventStore;
  queries: FundQueryService;
  commands: FundCommandService;
  written: number[];
  registerPass: number[];
  statement: number[];
}

async function open(label: string): Promise<Books> {
  const path = join(dir, `${label}.db`);
  const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
  const started = performance.now();
  await writeFundLog(writer, LPS, TERMS);
  await writer.close();
  const store = new SqliteEventStore(path);
  const follower = new FundFollower(store);
  const queries = new FundQueryService(store, follower);
  const replayStarted = performance.now();
  await queries.balanceSheet(FUND, { asOf: '2036-12-31' });
  console.log(`${label}: written in ${(ms(started) / 1000).toFixed(1)} s, replayed in ${(ms(replayStarted) / 1000).toFixed(1)} s`);
  const commands = new FundCommandService(store, follower);
  await fundCashForDistributions(queries, commands);
  return { label, store, queries, commands, written: [], registerPass: [], statement: [] };
}

async function main() {
  console.log(`Transfers at ${LPS.toLocaleString('en-US')} retail LPs: none (A) and ${TRANSFERS.toLocaleString('en-US')} (B), measured in turns`);
  const [a, b] = [await open('no-transfers'), await open('transfers')];
  for (let i = 0; i < TRANSFERS; i++) {
    const { from, to, yen } = party(i);
    const metadata = { actor: 'us-treasury', effectiveDate: '2037-01-15' };
    let started = performance.now();
    await b.commands.execute(FUND, {
      type: 'TransferInterest',
      data: {
        fromLpId: from,
        toLpId: to,
        commitmentUsd: '1000.00',
        priceUsd: '950.00',
        ...(to.startsWith('buyer-') ? { kind: 'retail' as const, country: yen ? 'JP' : 'US', currency: yen ? ('JPY' as const) : ('USD' as const) } : {}),
      },
      metadata,
    });
    b.written.push(ms(started));
    if (i < 200) {
      started = performance.now();
      await a.commands.execute(FUND, { type: 'DeclareDistribution', data: { amount: '1000.00' }, metadata });
      a.written.push(ms(started));
    }
  }
  const dates = ['2037-01-31', '2037-02-28', '2037-03-31', '2037-04-30', '2037-05-31', '2037-06-30', '2037-07-31', '2037-08-31'];
  for (const date of dates) {
    for (const books of [a, b]) {
      const started = performance.now();
      await books.queries.capitalAccount(FUND, 'us-gov', { asOf: date });
      books.registerPass.push(ms(started));
    }
  }
  for (let i = 0; i < Math.min(200, TRANSFERS); i++) {
    const { from, to } = party(i);
    for (const [books, lpId] of [
      [a, from],
      [b, i % 2 === 0 ? from : to],
    ] as const) {
      const started = performance.now();
      await books.queries.capitalAccount(FUND, lpId, { asOf: '2037-08-31' });
      books.statement.push(ms(started));
    }
  }
  // The register's rounding cut over every LP throws if its parts do not sum to net assets (the property tests check every row).
  const register = await b.queries.register(FUND, { asOf: '2037-08-31' }, 0, 1);
  const parties = await Promise.all([party(0).from, party(0).to].map((lpId) => b.queries.capitalAccount(FUND, lpId, { asOf: '2037-08-31' })));
  console.log(
    `  B on 2037-08-31: net assets ${register.netAssets} over ${register.total.toLocaleString('en-US')} LPs; transfer 1 moved ${parties[0].rollForward.transfersOut} of capital account out of ${parties[0].lpId} and ${parties[1].rollForward.transfersIn} into ${parties[1].lpId}`,
  );
  const rows = [
    ['writing (A: a distribution; B: a transfer), decided and written', 'written'],
    ['register pass (first statement on a date)', 'registerPass'],
    ['an LP statement (B: a party to a transfer)', 'statement'],
  ] as const;
  for (const [name, key] of rows) {
    const [x, y] = [median(a[key]), median(b[key])];
    console.log(`  ${name}: A ${x.toFixed(2)} ms, B ${y.toFixed(2)} ms (${(y / x).toFixed(2)}x)`);
  }
  for (const books of [a, b]) await books.store.close();
  console.log(`Peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
