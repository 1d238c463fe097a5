/**
 * npm run bench:one-stream — issue 24's "200 concurrent commands on one fund are all written",
 * measured through HTTP from this process on the built API over SQLite (synchronous=FULL).
 *
 * The store holds the worked example's fund (scenarios/first-close.json). Each round sends, all at
 * once: 200 RecordMilestone by one manager key, all dated the same day (one stream, the fund's:
 * commands on it take turns), and, as the baseline, 200 commitments for 200 distinct LPs (200
 * streams, group-committed together). The two alternate, ROUNDS times; medians. Then the same
 * with two API processes on the same file, each sent 100 of the 200: their commands on the fund's
 * stream race (a lost race is decided again, up to 12 attempts); does any end in 409?
 * Every answer is counted by status, and every command answered 201 is checked to be in the log once.
 *
 *   BENCH_COMMANDS=200 BENCH_ROUNDS=3 npm run bench:one-stream
 */
import { KeyService, ScenarioService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApi, type RunningApi } from '../apps/api/src/testing/server';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = resolve(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fundsim-one-stream-'));
const path = join(dir, 'fundsim.db');
const ENV = { FUNDSIM_STORE: `sqlite:${path}`, FUNDSIM_DEMO: 'off', FUNDSIM_REQUEST_LOG: 'off', FUNDSIM_RATE_LIMIT: '1000000' };

const keys = { manager: '', operator: '' };
let sent = 0;
/** Commands answered 201, over every burst: each must be one event in the log. */
const written = { milestones: 0, commitments: 0 };

type Kind = 'milestones' | 'commitments';

/** One request's body and key: a milestone of the manager, or a commitment for a new LP. */
function request(kind: Kind): { url: string; key: string; body: object } {
  const n = ++sent;
  return kind === 'milestones'
    ? { url: '/funds/usjp/milestones', key: keys.manager, body: { effectiveDate: '2026-07-02', milestone: `bench ${n}` } }
    : {
        url: '/funds/usjp/commitments',
        key: keys.operator,
        body: { effectiveDate: '2026-07-02', lpId: `bench-${n}`, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
      };
}

interface Burst {
  ms: number;
  statuses: Map<string, number>;
}

/** COMMANDS requests of `kind`, all in flight at once, spread over `apis` in turn. */
async function burst(kind: Kind, apis: RunningApi[]): Promise<Burst> {
  const requests = Array.from({ length: COMMANDS }, (_, i) => ({ api: apis[i % apis.length], ...request(kind) }));
  const statuses = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    requests.map(async ({ api, url, key, body }) => {
      const response = await fetch(`${api.url}${url}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json().catch(() => ({}))) as { code?: string };
      const label = response.status === 201 ? '201' : `${response.status} ${answer.code ?? ''}`.trim();
      statuses.set(label, (statuses.get(label) ?? 0) + 1);
      if (response.status === 201) written[kind]++;
    }),
  );
  return { ms: performance.now() - started, statuses };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const describe = (statuses: Map<string, number>) => [...statuses].map(([status, n]) => `${count(n)} x ${status}`).join(', ');

async function measure(label: string, apis: RunningApi[]): Promise<void> {
  const runs: Record<Kind, Burst[]> = { milestones: [], commitments: [] };
  for (let r = 0; r < ROUNDS; r++) for (const kind of ['commitments', 'milestones'] as const) runs[kind].push(await burst(kind, apis));
  for (const kind of ['commitments', 'milestones'] as const) {
    const all = new Map<string, number>();
    for (const run of runs[kind]) for (const [status, n] of run.statuses) all.set(status, (all.get(status) ?? 0) + n);
    const ms = median(runs[kind].map((run) => run.ms));
    const what = kind === 'milestones' ? `${COMMANDS} RecordMilestone, one stream` : `${COMMANDS} commitments, ${COMMANDS} LPs (baseline)`;
    console.log(
      `  ${label}, ${what}: ${ms.toFixed(0)} ms = ${count((COMMANDS / ms) * 1000)}/s (median of ${ROUNDS}); answers over the ${ROUNDS} rounds: ${describe(all)}`,
    );
  }
}

/** Every command answered 201 is one event in the log: milestones on the fund's stream, commitments on their own. */
async function checkLog(): Promise<void> {
  const store = new SqliteEventStore(path);
  let milestones = 0;
  let commitments = 0;
  for await (const e of store.readAll({ streamPrefix: 'fund-usjp' })) {
    if (e.type === 'MilestoneRecorded' && String(e.data.milestone).startsWith('bench ')) milestones++;
    if (e.type === 'CapitalCommitted' && e.stream.startsWith('fund-usjp.lp-bench-')) commitments++;
  }
  const verified = await store.verify();
  await store.close();
  const exact = milestones === written.milestones && commitments === written.commitments;
  console.log(
    `  in the log: ${count(milestones)} milestones on the fund's stream, ${count(commitments)} commitments, against ${count(written.milestones)} and ${count(written.commitments)} answered 201 (${exact ? 'each once' : 'MISMATCH'}); verify ${verified.ok ? 'OK' : 'BROKEN'}`,
  );
  if (!exact || !verified.ok) process.exitCode = 1;
}

async function main(): Promise<void> {
  console.log(`bench:one-stream, ${COMMANDS} concurrent commands per burst, ${ROUNDS} rounds, SQLite WAL synchronous=FULL (${path})`);
  const store = new SqliteEventStore(path);
  await new ScenarioService(store).apply(readFileSync(join(ROOT, 'scenarios', 'first-close.json'), 'utf8'));
  const keyService = new KeyService(store);
  keys.manager = (await keyService.issue('manager', 'us-treasury', 'bench')).key;
  keys.operator = (await keyService.issue('operator', 'retail-platform', 'bench')).key;
  await store.close();

  const first = await startApi(ENV);
  try {
    // Each process folds the fund on its first command: not part of the load.
    await burst('milestones', [first]).then(() => burst('commitments', [first]));
    console.log('One API process:');
    await measure('one API', [first]);
    const second = await startApi(ENV);
    try {
      await burst('milestones', [second]).then(() => burst('commitments', [second]));
      console.log(`Two API processes on the same file, ${COMMANDS / 2} each:`);
      await measure('two APIs', [first, second]);
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
  await checkLog();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
