/**
 * npm run bench:postgres — fundsim on a real PostgreSQL (issue 29 item 5), every figure against a
 * baseline measured on the same server in the same run, each printed with its target.
 *
 * The server: FUNDSIM_PG_URL, else a throwaway cluster of Debian's PostgreSQL started here with
 * its durable defaults (fsync on, synchronous_commit on: a commit waits for its WAL flush).
 * Setup (not a target): the generated ten-year log of the U.S.-Japan fund (bench/fund-log.ts)
 * with BENCH_LPS retail LPs, written through the adapter.
 *
 *   1. Full replay: a fresh FundQueryService folding the whole log to a balance sheet, against raw
 *      read-and-parse (pg selecting every row in pages of 4,096 and JSON.parse of its data);
 *      medians of three rounds. Target: replay >= 70% of raw.
 *   2. Sequential commitments on one node (FundCommandService in process), against raw
 *      single-row INSERTs (one transaction each) into a table like the log's, indexes and all.
 *   3. Raw single-row INSERTs from 32 connections at once: the server's own concurrent rate.
 *   4. HTTP commitments for distinct LPs, 32 connections (wrk) on one API node, then 32 on each of
 *      three nodes at once; every answered commitment checked to be in the log once. Target: three
 *      nodes >= 2x one node.
 *   5. An API node restarted to its first balance sheet (PostgreSQL keeps no snapshot: it folds
 *      the log), and the first start.
 *
 *   BENCH_LPS=1000000 BENCH_HTTP_SECONDS=10 npm run bench:postgres
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FundCommandService, FundQueryService, KeyService, type AnyCommand } from '@fundsim/application';
import { PostgresEventStore } from '@fundsim/event-store/postgres.event-store';
import { findPostgresBinaries, startPostgresCluster, type LocalCluster, type PostgresForTests } from '@fundsim/event-store/testing/postgres-cluster';
import { startApi, type RunningApi } from '../apps/api/src/testing/server';
import { clusterCpuSeconds, cpuSecondsOf, machineCpuSeconds, percentOf, postmasterOf } from './cpu-usage';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 1000);
const SCHEMA = 'fundsim_bench';
const DATE = '2036-12-31';
const dir = mkdtempSync(join(tmpdir(), 'fundsim-pg-bench-'));

const ms = (start: number) => performance.now() - start;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const perSecond = (n: number, millis: number) => (n / millis) * 1000;

function row(figure: string, value: string, target?: string, met?: boolean): void {
  console.log(`  ${figure}: ${value}${target ? ` (target ${target}: ${met ? 'met' : 'MISSED'})` : ''}`);
}

async function server(): Promise<PostgresForTests | LocalCluster> {
  const url = process.env.FUNDSIM_PG_URL;
  if (url) return { url, origin: 'FUNDSIM_PG_URL', stop: async () => undefined };
  const bin = findPostgresBinaries();
  if (!bin) throw new Error("bench:postgres needs a server: install Debian's postgresql (apt-get install postgresql) or set FUNDSIM_PG_URL");
  return startPostgresCluster(bin, { durable: true });
}

const storeUrl = (base: string) => {
  const url = new URL(base);
  url.searchParams.set('schema', SCHEMA);
  return url.toString();
};

/** Raw read-and-parse: every row in log order, its data parsed, as a fold needs it. */
async function rawReplay(client: Client): Promise<{ millis: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  for (let after = 0; ;) {
    const page = await client.query({
      text: `SELECT position, id, stream, revision, type, data, actor, effective_date, recorded_at, command_id, hash FROM ${SCHEMA}.events WHERE position > $1 ORDER BY position LIMIT 4096`,
      values: [after],
      rowMode: 'array',
    });
    for (const r of page.rows as unknown[][]) if (Object.keys(JSON.parse(r[5] as string) as object).length > 0) rows++;
    if (page.rows.length < 4096) break;
    after = Number((page.rows[page.rows.length - 1] as unknown[])[0]);
  }
  return { millis: ms(started), rows };
}

let rawNext = 1;
/** One commitment-shaped row in its own transaction (autocommit), into a table like the log's. */
const rawInsert = (client: Client) =>
  client.query(
    `INSERT INTO ${SCHEMA}.raw_rows (position, id, stream, revision, type, data, actor, effective_date, recorded_at, command_id, command_index, hash)
     VALUES ($1, gen_random_uuid()::text, $2, 0, 'CapitalCommitted', $3, 'retail-platform', '${DATE}', $4, $5, 0, $6)`,
    [
      rawNext,
      `fund-${FUND}.lp-raw-${rawNext}`,
      JSON.stringify({ fundId: FUND, lpId: `raw-${rawNext}`, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD', amountUsd: '1000.00' }),
      new Date().toISOString(),
      `raw:${rawNext++}`,
      'f'.repeat(64),
    ],
  );

async function rawConcurrent(url: string, connections: number, seconds: number): Promise<number> {
  const clients = Array.from({ length: connections }, () => new Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  let rows = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) (await rawInsert(c), rows++);
    }),
  );
  const rate = perSecond(rows, ms(started));
  await Promise.all(clients.map((c) => c.end()));
  return rate;
}

const commitment = (lpId: string): AnyCommand => ({
  type: 'CommitCapital',
  data: { lpId, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
  metadata: { actor: 'retail-platform', effectiveDate: DATE },
});

const WRK_COMMIT = `
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  prefix = "http-PREFIX-" .. tid
end
request = function()
  counter = counter + 1
  local body = '{"effectiveDate":"${DATE}","lpId":"' .. prefix .. '-' .. counter .. '","kind":"retail","country":"US","amount":"1000.00","currency":"USD"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer OPERATOR_KEY"}, body)
end
`;

/** wrk on one node's commitments route, 32 connections, in another process; its CPU seconds read just before it ends. */
function wrk(node: RunningApi, prefix: string, operatorKey: string): Promise<{ rate: number; answered: number; cpuSeconds: number }> {
  const script = join(dir, `commit-${prefix}.lua`);
  writeFileSync(script, WRK_COMMIT.replace('PREFIX', prefix).replace('OPERATOR_KEY', operatorKey));
  const child = spawn('wrk', ['-t2', '-c32', `-d${HTTP_SECONDS}s`, '-s', script, `${node.url}/funds/${FUND}/commitments`]);
  let out = '';
  let cpuSeconds = 0;
  const sample = setTimeout(() => (cpuSeconds = cpuSecondsOf(child.pid!)), HTTP_SECONDS * 1000 - 200);
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', () => {
      clearTimeout(sample);
      const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      if (!Number.isFinite(rate)) reject(new Error(`wrk printed no rate: ${out}`));
      else resolve({ rate: non2xx === 0 ? rate : rate * ((requests - non2xx) / requests), answered: requests - non2xx, cpuSeconds });
    }),
  );
}

/**
 * What each process used of the machine while `run` ran: the API nodes, the PostgreSQL cluster
 * (when this benchmark started it), wrk, and everything else (other users of the machine), as a
 * share of one core (two cores: 200%).
 */
async function cpuDuring<T extends { cpuSeconds: number }[]>(
  nodes: RunningApi[],
  postmaster: number | undefined,
  run: () => Promise<T>,
): Promise<{ result: T; line: string }> {
  const before = { nodes: nodes.map((n) => cpuSecondsOf(n.child.pid!)), pg: postmaster ? clusterCpuSeconds(postmaster) : 0, machine: machineCpuSeconds() };
  const started = performance.now();
  const result = await run();
  const seconds = ms(started) / 1000;
  const used = nodes.map((n, i) => cpuSecondsOf(n.child.pid!) - before.nodes[i]);
  const pg = postmaster ? clusterCpuSeconds(postmaster) - before.pg : 0;
  const wrkSeconds = result.reduce((sum, r) => sum + r.cpuSeconds, 0);
  const machine = machineCpuSeconds();
  const busy = machine.busy - before.machine.busy;
  const cores = (machine.total - before.machine.total) / seconds;
  const others = busy - used.reduce((a, b) => a + b, 0) - pg - wrkSeconds;
  const line = [
    `${used.map((u) => percentOf(u, seconds)).join(' + ')} API node${used.length > 1 ? 's' : ''}`,
    postmaster ? `${percentOf(pg, seconds)} PostgreSQL` : 'PostgreSQL not measured (FUNDSIM_PG_URL)',
    `${percentOf(wrkSeconds, seconds)} wrk`,
    `${percentOf(Math.max(0, others), seconds)} other processes`,
    `machine busy ${percentOf(busy, seconds)} of ${Math.round(cores * 100)}%`,
  ].join(', ');
  return { result, line };
}

/** An API node started, timed to its first balance sheet of the fund (it folds the whole log first). */
async function startNode(url: string, auditorKey: string): Promise<{ node: RunningApi; firstSheetMs: number }> {
  const started = performance.now();
  const node = await startApi(
    { FUNDSIM_STORE: url, FUNDSIM_DEMO: 'off', FUNDSIM_REQUEST_LOG: 'off', FUNDSIM_RATE_LIMIT: '1000000', FUNDSIM_ANON_RATE_LIMIT: '1000000' },
    600_000,
  );
  const res = await fetch(`${node.url}/funds/${FUND}/balance-sheet?asOf=${DATE}`, { headers: { Authorization: `Bearer ${auditorKey}` } });
  if (res.status !== 200) throw new Error(`balance sheet answered ${res.status}: ${await res.text()}`);
  return { node, firstSheetMs: ms(started) };
}

async function warmUp(node: RunningApi, operatorKey: string, lpId: string): Promise<void> {
  const res = await fetch(`${node.url}/funds/${FUND}/commitments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${operatorKey}` },
    body: JSON.stringify({ effectiveDate: DATE, lpId, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' }),
  });
  if (res.status !== 201) throw new Error(`warm-up commitment answered ${res.status}: ${await res.text()}`);
}

async function main(): Promise<void> {
  const pg = await server();
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const url = storeUrl(pg.url);
  const nodes: RunningApi[] = [];
  const client = new Client({ connectionString: pg.url });
  try {
    console.log(
      `PostgreSQL: ${pg.origin}${process.env.FUNDSIM_PG_URL ? '' : ' (fsync on, synchronous_commit on)'}; ${count(LPS)} retail LPs; load average ${load()}`,
    );
    let started = performance.now();
    const writer = new PostgresEventStore(url);
    const { fundEvents, lpEvents } = await writeFundLog(writer, LPS);
    const keys = new KeyService(writer);
    const operatorKey = (await keys.issue('operator', 'retail-platform', 'bench')).key;
    const auditorKey = (await keys.issue('auditor', undefined, 'bench')).key;
    await writer.close();
    console.log(`  setup: ${count(fundEvents)} fund events + ${count(lpEvents)} commitments written in ${secs(ms(started))}`);
    await client.connect();

    // 1. Replay against raw read-and-parse, back to back, three rounds each.
    const raw: number[] = [];
    const replay: number[] = [];
    // This process's CPU in each (the server's is not in it): what is left of a replay when its waits are taken out.
    const [rawCpu, replayCpu]: number[][] = [[], []];
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let rows = 0;
    for (let round = 0; round < 3; round++) {
      let cpu = process.cpuUsage();
      const read = await rawReplay(client);
      rawCpu.push(cpuMs(cpu));
      raw.push(read.millis);
      rows = read.rows;
      const store = new PostgresEventStore(url);
      started = performance.now();
      cpu = process.cpuUsage();
      await new FundQueryService(store).balanceSheet(FUND, { asOf: DATE });
      replay.push(ms(started));
      replayCpu.push(cpuMs(cpu));
      await store.close();
    }
    const [rawMs, replayMs] = [median(raw), median(replay)];
    row(
      `raw read-and-parse, ${count(rows)} rows (median of 3)`,
      `${secs(rawMs)}, ${count(perSecond(rows, rawMs))} rows/s (${secs(median(rawCpu))} CPU in this process)`,
      undefined,
    );
    row(
      'full replay to a balance sheet (median of 3)',
      `${secs(replayMs)}, ${count(perSecond(rows, replayMs))} events/s = ${((rawMs / replayMs) * 100).toFixed(0)}% of raw (${secs(median(replayCpu))} CPU)`,
      '>= 70% of raw',
      rawMs / replayMs >= 0.7,
    );

    // 2. Sequential: raw single-row transactions, then commitments through the service, then raw again.
    await client.query(`CREATE TABLE ${SCHEMA}.raw_rows (LIKE ${SCHEMA}.events INCLUDING ALL)`);
    const rawSequential = async () => {
      const t = performance.now();
      for (let i = 0; i < COMMANDS; i++) await rawInsert(client);
      return perSecond(COMMANDS, ms(t));
    };
    const rawBefore = await rawSequential();
    const store = new PostgresEventStore(url);
    const service = new FundCommandService(store);
    await service.execute(FUND, commitment('sequential-warm-up'));
    started = performance.now();
    for (let i = 0; i < COMMANDS; i++) await service.execute(FUND, commitment(`sequential-${i}`));
    const sequential = perSecond(COMMANDS, ms(started));
    await store.close();
    const rawSeq = (rawBefore + (await rawSequential())) / 2;
    row('raw single-row INSERTs, one after another', `${count(rawSeq)} rows/s`, undefined);
    row(`commitments in process, one after another (${count(COMMANDS)})`, `${count(sequential)}/s = ${((sequential / rawSeq) * 100).toFixed(0)}% of raw`);

    // 3 and 4. Concurrent: raw from 32 connections, then HTTP on one node and on three.
    const rawConcurrentRate = await rawConcurrent(pg.url, 32, HTTP_SECONDS);
    row('raw single-row INSERTs, 32 connections', `${count(rawConcurrentRate)} rows/s`);
    if (spawnSync('wrk', ['--version']).error) {
      row('HTTP figures', 'skipped: wrk is not installed (apt-get install wrk)', 'wrk', false);
    } else {
      const first = await startNode(url, auditorKey);
      nodes.push(first.node);
      row(`API start to first balance sheet (folds the log)`, secs(first.firstSheetMs));
      await warmUp(first.node, operatorKey, 'http-warm-up-0');
      const postmaster = 'dir' in pg ? postmasterOf(join(pg.dir, 'data')) : undefined;
      const oneRun = await cpuDuring([first.node], postmaster, async () => [await wrk(first.node, 'one', operatorKey)]);
      const [one] = oneRun.result;
      row('HTTP commitments, one node, 32 connections (wrk)', `${count(one.rate)}/s = ${((one.rate / rawConcurrentRate) * 100).toFixed(0)}% of raw concurrent`);
      row('  ... CPU meanwhile (one core = 100%)', oneRun.line);
      for (let i = 1; i < 3; i++) {
        const more = await startNode(url, auditorKey);
        nodes.push(more.node);
        await warmUp(more.node, operatorKey, `http-warm-up-${i}`);
      }
      const threeRun = await cpuDuring(nodes, postmaster, () => Promise.all(nodes.map((node, i) => wrk(node, `three-${i}`, operatorKey))));
      const three = threeRun.result;
      const threeRate = three.reduce((sum, r) => sum + r.rate, 0);
      row(
        'HTTP commitments, three nodes, 32 connections each (wrk)',
        `${count(threeRate)}/s (${three.map((r) => count(r.rate)).join(' + ')}) = ${(threeRate / one.rate).toFixed(2)}x one node`,
        '>= 2x one node',
        threeRate >= 2 * one.rate,
      );
      row('  ... CPU meanwhile (one core = 100%)', threeRun.line);
      // Every answered commitment in the log once: one stream each, one event on it.
      const answered = one.answered + three.reduce((sum, r) => sum + r.answered, 0);
      const [[events, streams, maxRevision]] = (
        await client.query({
          text: `SELECT count(*)::int, count(DISTINCT stream)::int, coalesce(max(revision), 0)::int FROM ${SCHEMA}.events WHERE starts_with(stream, $1)`,
          values: [`fund-${FUND}.lp-http-`],
          rowMode: 'array',
        })
      ).rows as number[][];
      // wrk stops counting at its deadline with up to 32 requests in flight per node, which the nodes still write.
      const exact = events === streams && maxRevision === 0 && events >= answered && events <= answered + 4 * 32 + 3;
      row(
        '  ... each answered commitment in the log once',
        `${count(answered)} answered 2xx, ${count(events)} events on ${count(streams)} LP streams`,
        'none lost or doubled',
        exact,
      );

      // 5. Restart: stopped (SIGTERM), started again.
      await nodes[0].stop();
      const again = await startNode(url, auditorKey);
      nodes[0] = again.node;
      row(
        'API restart to first balance sheet (no snapshot on PostgreSQL: folds the log)',
        secs(again.firstSheetMs),
        "<= 3 s (SQLite's, from its snapshot)",
        again.firstSheetMs <= 3000,
      );
    }
    const verifier = new PostgresEventStore(url);
    const verified = await verifier.verify();
    await verifier.close();
    console.log(`  load average at the end: ${load()} (other users of the machine count in every figure)`);
    row('verify', verified.ok ? `OK, ${count(verified.count)} events` : JSON.stringify(verified), 'OK', verified.ok);
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await client.end().catch(() => undefined);
    await pg.stop();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
