/**
 * npm run bench:commands — the write path at a million LPs, every figure of it in one run, each
 * printed with its target.
 *
 * Setup (not a target): the U.S.-Japan fund established through the service, then BENCH_LPS
 * pending retail commitments written straight to the store in batches of 10,000 (deciding a
 * million commitments one by one is the demo's job, measured there). The store is then used as
 * the app opens it: SQLite, WAL, synchronous=FULL.
 *
 *   1. Sequential commands in process: rounds alternating raw better-sqlite3 (one transaction
 *      per row, same table, same durability, on a copy of the same million-row file) and
 *      CommitCapital through FundCommandService; medians. Target: commands >= 70% of raw.
 *   2. The API as a child process on the store: start to first balance sheet, cold (no snapshot)
 *      and after a restart (the snapshot the first start wrote); target <= 3 s after a restart.
 *   3. HTTP, 32 connections from wrk (another process): GET /health, then POST commitments for
 *      distinct LPs. Targets: commitments >= the raw per-row rate and >= 50% of /health; every
 *      2xx answered is one event in the log, and `verify` holds.
 *   4. Single commands over the million: HoldClose over every pending commitment, CallCapital
 *      (the first after the close, so it also folds the close), 4 more calls, 200 defaults, 250
 *      late commitments and 200 reversals of them. Targets: close <= 3 s, call <= 1 s, default
 *      and reversal p99 <= 10 ms.
 *   5. `fundsim apply` of a 10-command scenario as a child process: wall time and peak RSS.
 *      Targets: < 2 s, < 300 MB.
 *   6. Peak RSS of this process and of the API.
 *
 *   BENCH_LPS=1000000 BENCH_HTTP_SECONDS=10 npm run bench:commands
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FundCommandService, KeyService, type AnyCommand } from '@fundsim/application';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore, type AppendRequest } from '@fundsim/event-store';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const ROUNDS = 3;
const PER_ROUND = 1000;
const BATCH = 10_000;
const FUND = 'usjp';
const ROOT = resolve(__dirname, '..', '..');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const CLI = join(ROOT, 'bin/fundsim.js');
const RSS = join(ROOT, 'dist/bench/report-rss.js');
const dir = mkdtempSync(join(tmpdir(), 'fundsim-commands-'));
const path = join(dir, 'fundsim.db');

const ms = (start: number) => performance.now() - start;
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const median = (values: number[]) => pct(values, 50);
const fmt = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

const rows: { figure: string; value: string; target: string; status: string }[] = [];
function row(figure: string, value: string, target = '', met?: boolean): void {
  rows.push({ figure, value, target, status: met === undefined ? '' : met ? 'met' : 'MISSED' });
  console.log(`  ${figure}: ${value}${target ? ` (target ${target}: ${met ? 'met' : 'MISSED'})` : ''}`);
}

const commitmentData = (lpId: string, amount: string) => ({ fundId: FUND, lpId, kind: 'retail', country: 'US', amount, currency: 'USD', amountUsd: amount });
const commitment = (lpId: string, amount = '1000.00', date = '2026-03-01'): AnyCommand => ({
  type: 'CommitCapital',
  data: { lpId, kind: 'retail', country: 'US', amount, currency: 'USD' },
  metadata: { actor: 'retail-platform', effectiveDate: date },
});

async function setUp(): Promise<number> {
  const started = performance.now();
  const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
  await new FundCommandService(writer).execute(FUND, establishUsJapanFund({ hardCap: '300000000000.00', targetSize: '300000000000.00' }));
  for (let from = 0; from < LPS; from += BATCH) {
    const batch: AppendRequest[] = [];
    for (let i = from; i < Math.min(LPS, from + BATCH); i++) {
      const amount = `${(i % 90_000) + 10_000}.00`;
      batch.push({
        stream: `fund-${FUND}.lp-retail-${i}`,
        events: [
          { type: 'CapitalCommitted', data: commitmentData(`retail-${i}`, amount), metadata: { actor: 'retail-platform', effectiveDate: '2026-03-01' } },
        ],
        expectedRevision: 'no-stream',
      });
    }
    await writer.appendBatch(batch);
  }
  const events = await writer.headPosition();
  await writer.close();
  console.log(
    `  fund + ${count(LPS)} pending commitments written in ${fmt(ms(started))}: ${count(events)} events, ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`,
  );
  return events;
}

/** Raw better-sqlite3 on a copy of the store: one commitment-shaped row per transaction. */
function rawRate(db: Database.Database, insert: Database.Statement, from: number): number {
  const data = JSON.stringify(commitmentData('raw', '1000.00'));
  const one = db.transaction((i: number) =>
    insert.run(
      from + i,
      `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      `fund-${FUND}.lp-raw-${from + i}`,
      0,
      'CapitalCommitted',
      data,
      'retail-platform',
      '2026-03-01',
      new Date().toISOString(),
      null,
      null,
      null,
      null,
      'f'.repeat(64),
    ),
  );
  const started = performance.now();
  for (let i = 0; i < PER_ROUND; i++) one.immediate(i);
  return (PER_ROUND / ms(started)) * 1000;
}

async function sequential(): Promise<number> {
  const copy = join(dir, 'raw.db');
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -131072');
  const insert = db.prepare(
    'INSERT INTO events (position, id, stream, revision, type, data, actor, effective_date, recorded_at, correlation_id, causation_id, command_id, command_index, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const store = new SqliteEventStore(path);
  const service = new FundCommandService(store);
  const warm = performance.now();
  await service.execute(FUND, commitment('warm-up'));
  console.log(`  (the service's first command folds the ${count(LPS)} commitments: ${fmt(ms(warm))})`);
  const raw: number[] = [];
  const commands: number[] = [];
  let next = 0;
  for (let r = 0; r < ROUNDS; r++) {
    raw.push(rawRate(db, insert, 10_000_000 + r * PER_ROUND));
    const started = performance.now();
    for (let i = 0; i < PER_ROUND; i++) await service.execute(FUND, commitment(`seq-${next++}`));
    commands.push((PER_ROUND / ms(started)) * 1000);
    console.log(`  round ${r + 1}: raw ${count(raw[r])} rows/s, commands ${count(commands[r])}/s`);
  }
  db.close();
  rmSync(copy, { force: true });
  await store.close();
  const rawMedian = median(raw);
  const ratio = median(commands) / rawMedian;
  row('Raw better-sqlite3, 1 transaction per row (FULL)', `${count(rawMedian)} rows/s`);
  row('CommitCapital in process, sequential', `${count(median(commands))}/s, ${(ratio * 100).toFixed(0)}% of raw`, '>= 70% of raw', ratio >= 0.7);
  return rawMedian;
}

interface Api {
  child: ChildProcess;
  port: number;
  stderr: string[];
}

async function startApi(port: number): Promise<{ api: Api; firstAnswerMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [API], {
    // The load comes from one operator key: its rate limit is lifted so that the store is measured.
    env: {
      ...process.env,
      FUNDSIM_STORE: `sqlite:${path}`,
      FUNDSIM_DEMO: 'off',
      PORT: String(port),
      HOST: '127.0.0.1',
      FUNDSIM_RATE_LIMIT: '1000000',
      FUNDSIM_ANON_RATE_LIMIT: '1000000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited: ${stderr.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/funds/${FUND}/balance-sheet?asOf=2026-12-31`, { headers: { Authorization: `Bearer ${keys.auditor}` } });
      if (res.status === 200) return { api: { child, port, stderr }, firstAnswerMs: ms(started) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Stops the API; returns its peak RSS in KiB (Linux's VmHWM, read before it goes). */
async function stopApi(api: Api): Promise<number> {
  const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${api.child.pid}/status`, 'utf8'))?.[1]);
  const exited = new Promise((r) => api.child.once('exit', r));
  api.child.kill('SIGTERM');
  await exited;
  return peak;
}

function wrk(url: string, script?: string): { rate: number; requests: number; non2xx: number } {
  const args = ['-t2', '-c32', `-d${HTTP_SECONDS}s`, ...(script ? ['-s', script] : []), url];
  const out = spawnSync('wrk', args, { encoding: 'utf8' });
  if (out.error) throw out.error;
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out.stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out.stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out.stdout)?.[1] ?? 0);
  if (!Number.isFinite(rate)) throw new Error(`wrk printed no rate: ${out.stdout}${out.stderr}`);
  return { rate, requests, non2xx };
}

const WRK_COMMIT = `
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  prefix = "http-" .. tid
end
request = function()
  counter = counter + 1
  local body = '{"effectiveDate":"2026-03-01","lpId":"' .. prefix .. '-' .. counter .. '","kind":"retail","country":"US","amount":"1000.00","currency":"USD"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer OPERATOR_KEY"}, body)
end
`;

/** Keys for the load (an operator) and the polling (an auditor), issued into the store. */
const keys = { operator: '', auditor: '' };

async function http(rawRate: number): Promise<number> {
  const keyStore = new SqliteEventStore(path);
  const keyService = new KeyService(keyStore);
  keys.operator = (await keyService.issue('operator', 'retail-platform', 'bench')).key;
  keys.auditor = (await keyService.issue('auditor', undefined, 'bench')).key;
  await keyStore.close();
  const port = 31_000 + (process.pid % 1000);
  const cold = await startApi(port);
  row(`API start to first balance sheet, no snapshot (${count(LPS)} LPs)`, fmt(cold.firstAnswerMs));
  let apiRss = 0;
  if (spawnSync('wrk', ['--version']).error) {
    row('HTTP figures', 'skipped: wrk is not installed (apt-get install wrk)', 'wrk', false);
  } else {
    const script = join(dir, 'commit.lua');
    writeFileSync(script, WRK_COMMIT.replace('OPERATOR_KEY', keys.operator));
    // The command side folds (or restores) its own ledger on its first command: not part of the load.
    const started = performance.now();
    const first = await fetch(`http://127.0.0.1:${port}/funds/${FUND}/commitments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${keys.operator}` },
      body: JSON.stringify({ effectiveDate: '2026-03-01', lpId: 'http-warm-up', kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' }),
    });
    if (first.status !== 201) throw new Error(`warm-up commitment answered ${first.status}: ${await first.text()}`);
    row('  first commitment after start', fmt(ms(started)));
    const before = await new SqliteEventStore(path).headPosition();
    const health = wrk(`http://127.0.0.1:${port}/health`);
    const commits = wrk(`http://127.0.0.1:${port}/funds/${FUND}/commitments`, script);
    // Every LP posted once: one stream each, with one event. wrk stops counting at the deadline
    // with up to 32 requests in flight, which the server still answers and writes.
    const db = new Database(path, { readonly: true });
    const [events, streams, maxRevision] = db
      .prepare(`SELECT COUNT(*), COUNT(DISTINCT stream), COALESCE(MAX(revision), 0) FROM events WHERE position > ? AND stream LIKE 'fund-${FUND}.lp-http-%'`)
      .raw()
      .get(before) as number[];
    db.close();
    row('GET /health, 32 connections (wrk)', `${count(health.rate)} req/s`);
    const ok = commits.requests - commits.non2xx;
    const exact = events === streams && maxRevision === 0 && events >= ok && events <= ok + 32;
    row(
      'POST commitments, 32 connections (wrk)',
      `${count(commits.rate)}/s = ${((commits.rate / rawRate) * 100).toFixed(0)}% of raw per-row, ${((commits.rate / health.rate) * 100).toFixed(0)}% of /health`,
      '>= raw per-row and >= 50% of /health',
      commits.rate >= rawRate && commits.rate >= health.rate / 2,
    );
    row(
      '  ... each answered commitment in the log once',
      `${count(ok)} answered 2xx (${count(commits.non2xx)} not), ${count(events)} events on ${count(streams)} LP streams`,
      'none lost or doubled',
      exact,
    );
  }
  apiRss = await stopApi(cold.api);
  const warm = await startApi(port);
  row('API restart to first balance sheet (from its snapshot)', fmt(warm.firstAnswerMs), '<= 3 s', warm.firstAnswerMs <= 3000);
  apiRss = Math.max(apiRss, await stopApi(warm.api));
  return apiRss;
}

async function timed(service: FundCommandService, command: AnyCommand): Promise<number> {
  const started = performance.now();
  await service.execute(FUND, command);
  return ms(started);
}

async function singleCommands(): Promise<void> {
  const store = new SqliteEventStore(path);
  const service = new FundCommandService(store);
  await service.execute(FUND, {
    type: 'RecordFxRate',
    data: { pair: 'USD/JPY', rate: '150' },
    metadata: { actor: 'us-treasury', effectiveDate: '2026-03-01' },
  });
  const pending = (await service.investors(FUND)).pendingSummary().count;
  const closeMs = await timed(service, { type: 'HoldClose', data: {}, metadata: { actor: 'jp-mof', effectiveDate: '2026-06-30' } });
  row(`HoldClose over ${count(pending)} pending`, fmt(closeMs), '<= 3 s', closeMs <= 3000);
  const firstCall = await timed(service, {
    type: 'CallCapital',
    data: { percentage: '0.10' },
    metadata: { actor: 'us-treasury', effectiveDate: '2026-07-01' },
  });
  row(`CallCapital over ${count(pending)} admitted (1st after the close, folds it)`, fmt(firstCall), '<= 1 s', firstCall <= 1000);
  const calls: number[] = [];
  for (let k = 0; k < 4; k++)
    calls.push(
      await timed(service, { type: 'CallCapital', data: { percentage: '0.05' }, metadata: { actor: 'us-treasury', effectiveDate: `2026-07-0${2 + k}` } }),
    );
  row(`CallCapital x ${calls.length} more`, `p50 ${fmt(median(calls))}, p99 ${fmt(pct(calls, 99))}`, 'p99 <= 1 s', pct(calls, 99) <= 1000);

  const defaults: number[] = [];
  const stride = Math.floor(LPS / 200);
  for (let k = 0; k < 200; k++) {
    const date = `2026-07-${String(10 + Math.floor(k / 10)).padStart(2, '0')}`;
    defaults.push(
      await timed(service, {
        type: 'RecordContributionDefault',
        data: { callNumber: 1, lpId: `retail-${k * stride + 7}` },
        metadata: { actor: 'jp-mof', effectiveDate: date },
      }),
    );
  }
  row('RecordContributionDefault, 200 LPs', `p50 ${fmt(median(defaults))}, p99 ${fmt(pct(defaults, 99))}`, 'p99 <= 10 ms', pct(defaults, 99) <= 10);

  const late: string[] = [];
  for (let k = 0; k < 250; k++) {
    const result = await service.execute(FUND, commitment(`late-${k}`, '1000.00', '2026-08-03'));
    if (k < 200) late.push((await firstEventId(store, result.stream))!);
  }
  const reversals: number[] = [];
  for (const eventId of late)
    reversals.push(await timed(service, { type: 'ReverseEvent', data: { eventId, reason: 'bench' }, metadata: { actor: 'jp-mof', effectiveDate: '' } }));
  row('ReverseEvent of a pending commitment, 200', `p50 ${fmt(median(reversals))}, p99 ${fmt(pct(reversals, 99))}`, 'p99 <= 10 ms', pct(reversals, 99) <= 10);
  await store.close();
}

async function firstEventId(store: SqliteEventStore, stream: string): Promise<string | undefined> {
  for await (const e of store.readStream(stream)) return e.id;
  return undefined;
}

function apply(): void {
  const file = join(dir, 'scenario.json');
  const commands = [
    { type: 'RecordFxRate', effectiveDate: '2026-09-01', actor: 'us-treasury', pair: 'USD/JPY', rate: '148.5' },
    ...Array.from({ length: 8 }, (_, i) => ({
      type: 'CommitCapital',
      effectiveDate: '2026-09-01',
      actor: 'retail-platform',
      lpId: `applied-${i}`,
      kind: 'retail',
      country: 'JP',
      amount: '1500000',
      currency: 'JPY',
    })),
    { type: 'RecordMilestone', effectiveDate: '2026-09-02', actor: 'jp-mof', milestone: 'G7 summit', note: 'bench' },
  ];
  writeFileSync(file, JSON.stringify({ fundId: FUND, commands }));
  const started = performance.now();
  const out = spawnSync(process.execPath, ['--require', RSS, CLI, 'apply', file, '--store', `sqlite:${path}`], { encoding: 'utf8' });
  const wall = ms(started);
  const rss = Number(/peak-rss-kib (\d+)/.exec(out.stderr)?.[1]);
  if (out.status !== 0) {
    row(
      'fundsim apply, 10 commands',
      `failed (exit ${out.status}): ${out.stderr.split('\n').find((l) => l && !l.startsWith('peak-rss')) ?? ''}`,
      '< 2 s, < 300 MB',
      false,
    );
    return;
  }
  row(`fundsim apply, 10 commands on the ${count(LPS)}-LP store`, `${fmt(wall)}, peak RSS ${mib(rss)}`, '< 2 s, < 300 MB', wall < 2000 && rss < 300 * 1024);
}

async function main(): Promise<void> {
  console.log(`bench:commands at ${count(LPS)} LPs, SQLite WAL synchronous=FULL (${path})`);
  console.log('Setup (not a target):');
  await setUp();
  console.log('');
  console.log('1. Sequential commands against raw inserts:');
  const raw = await sequential();
  console.log('');
  console.log('2-3. The API: start, HTTP load, restart:');
  const apiRss = await http(raw);
  console.log('');
  console.log('4. Single commands over the million:');
  await singleCommands();
  console.log('');
  console.log('5. Apply a scenario:');
  apply();
  row('Peak RSS: this process / the API', `${mib(process.resourceUsage().maxRSS)} / ${mib(apiRss)}`);
  const store = new SqliteEventStore(path);
  const verified = await store.verify();
  await store.close();
  row('verify after all of it', verified.ok ? `OK, ${count(verified.count)} events` : `BROKEN at ${verified.position}: ${verified.reason}`, 'OK', verified.ok);

  console.log('');
  const widths = [0, 1, 2].map((k) => Math.max(...rows.map((r) => [r.figure, r.value, r.target][k].length), 6));
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(widths[0])}  ${b.padEnd(widths[1])}  ${c.padEnd(widths[2])}  ${d}`;
  console.log(line('Figure', 'Measured', 'Target', 'Status'));
  console.log(line('-'.repeat(widths[0]), '-'.repeat(widths[1]), '-'.repeat(widths[2]), '------'));
  for (const r of rows) console.log(line(r.figure, r.value, r.target, r.status));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
