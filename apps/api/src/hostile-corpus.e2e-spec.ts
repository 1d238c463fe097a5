/**
 * Issue 24's "Done when": a hostile corpus of at least 5,000 requests over every route of the
 * access table and every kind of caller, run against the built API in its own process, gives no
 * 5xx, no write outside a principal's scope, and no freeze. The corpus is drawn from a seeded
 * generator (FUNDSIM_CORPUS_SEED reproduces a run; FUNDSIM_CORPUS_SIZE changes its size); the
 * scope is checked on the log itself, read from the store once the API has stopped.
 *
 * The seed fixes the generator's choices; the server's order within a concurrent round, and so
 * the log the generator reads its ids and dates from, may vary a little between runs: each
 * failure names its request, caller and answer in full.
 */
import { KeyService, ScenarioService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALLERS, Corpus, PRINCIPAL_OF, ROUTES, type CorpusRequest } from './testing/corpus/corpus';
import { closeConnections, send, type Answer, type RawRequest } from './testing/corpus/http';
import { Rng } from './testing/corpus/rng';
import { scopeViolations, type Role } from './testing/corpus/scope-audit';
import { addDays, openPeriodEnd, World, type LogEvent } from './testing/corpus/world';
import { issueKeys } from './testing/principals';
import { startApi, type RunningApi } from './testing/server';

const SEED = Number(process.env.FUNDSIM_CORPUS_SEED ?? 20_261_224);
const SIZE = Number(process.env.FUNDSIM_CORPUS_SIZE ?? 5_200);
/** Raised from their defaults so that the corpus meets the rules, not only the limits; the probes below prove the limits still answer. */
const RATE = { perKey: '200/400', anonymous: '50/100' };

const dir = mkdtempSync(join(tmpdir(), 'fundsim-corpus-'));
const path = join(dir, 'fundsim.db');
const rng = new Rng(SEED);
const world = new World();
let api: RunningApi;
let base: URL;
let keys: Record<string, string>;
let probeKey: string;
let revokedKey: string;
/** The log's position before anything the corpus could have written: the scope audit starts there. */
let auditFrom = 0;

const ROLES: ReadonlyMap<string, Role> = new Map(
  CALLERS.filter((c) => PRINCIPAL_OF[c].subject)
    .map((c) => [PRINCIPAL_OF[c].subject!, PRINCIPAL_OF[c].role!] as const)
    .concat([['retail-jp-000001', 'lp']]),
);

const admin = (method: string, url: string, body?: object): RawRequest => ({
  method,
  path: url,
  headers: { Authorization: `Bearer ${keys.admin}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
  ...(body ? { body: JSON.stringify(body) } : {}),
});
const as = (who: string, url: string, body: object): RawRequest => ({
  method: 'POST',
  path: url,
  headers: { Authorization: `Bearer ${keys[who]}`, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** Reads the log from where the world left off, as an admin (not counted in the corpus). */
async function refresh(): Promise<void> {
  for (;;) {
    const page = await send(base, admin('GET', `/events?fromPosition=${world.next}&limit=1000`));
    if (page.status !== 200) throw new Error(`GET /events answered ${page.status}: ${page.text.slice(0, 300)}`);
    const { events, nextPosition } = page.json as { events: LogEvent[]; nextPosition?: number };
    for (const event of events) world.apply(event);
    if (nextPosition === undefined || events.length === 0) return;
  }
}

beforeAll(async () => {
  const store = new SqliteEventStore(path);
  const scenarios = new ScenarioService(store);
  for (const file of ['first-close.json', 'first-allocation.json'])
    await scenarios.apply(readFileSync(join(__dirname, '..', '..', '..', 'scenarios', file), 'utf8'));
  await store.close();
  keys = await issueKeys(path);
  const again = new SqliteEventStore(path);
  const keyService = new KeyService(again);
  const revoked = await keyService.issue('operator', 'revoked-platform', 'test-setup');
  await keyService.revoke(revoked.keyId, 'left the platform', 'test-setup');
  revokedKey = revoked.key;
  probeKey = (await keyService.issue('auditor', undefined, 'test-setup')).key;
  for await (const event of again.readAll()) auditFrom = Math.max(auditFrom, event.position + 1);
  await again.close();
  api = await startApi({
    FUNDSIM_STORE: `sqlite:${path}`,
    FUNDSIM_DEMO: 'off',
    FUNDSIM_REQUEST_LOG: 'off',
    FUNDSIM_RATE_LIMIT: RATE.perKey,
    FUNDSIM_ANON_RATE_LIMIT: RATE.anonymous,
  });
  base = new URL(api.url);
  // A fund jp-mof manages alone, one us-treasury manages alone, and one waiting for jp-mof's acceptance for good.
  const terms = (managers: string[]) => ({
    effectiveDate: '2026-01-15',
    name: 'Scope fund',
    targetSize: '1000000000.00',
    hardCap: '1000000000.00',
    managers,
    approvalsRequired: managers,
    leveragePolicy: { maxRatio: '1.00', basis: 'commitments' },
    concentrationLimit: '0.50',
    equalizationRate: '0.05',
  });
  const setup: RawRequest[] = [
    admin('POST', '/funds/jponly/establish', terms(['jp-mof'])),
    as('us-treasury', '/funds/usonly/establish', terms(['us-treasury'])),
    as('us-treasury', '/funds/awaiting/establish', terms(['us-treasury', 'jp-mof'])),
    as('market-data', '/funds/jponly/fx-rates', { effectiveDate: '2026-03-31', pair: 'USD/JPY', rate: '150.00' }),
    as('jp-mof', '/funds/jponly/projects', {
      effectiveDate: '2026-04-01',
      projectId: 'port',
      name: 'Port',
      sector: 'logistics',
      partners: ['A'],
      totalProjectSize: '10000000.00',
    }),
    as('retail-platform', '/funds/jponly/commitments', {
      effectiveDate: '2026-04-01',
      lpId: 'jp-retail-1',
      kind: 'retail',
      country: 'JP',
      amount: '150000',
      currency: 'JPY',
    }),
  ];
  for (const request of setup) {
    const answer = await send(base, request);
    if (answer.status !== 201) throw new Error(`setup ${request.path} answered ${answer.status}: ${answer.text}`);
  }
  await refresh();
}, 120_000);

afterAll(async () => {
  if (api && api.child.exitCode === null && api.child.signalCode === null) await api.stop();
  closeConnections();
  if (process.env.FUNDSIM_CORPUS_KEEP) console.log(`the corpus's store is kept at ${path}`);
  else rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  request: CorpusRequest;
  answer: Answer;
}

const outcomes: Outcome[] = [];
const failures: string[] = [];
let wallMs = 0;

const show = (r: CorpusRequest, a: Answer) =>
  `${r.caller} ${r.raw.method} ${r.raw.path.slice(0, 160)} [${r.mode}${r.twist ? `: ${r.twist}` : ''}${r.mutation ? ` / ${r.mutation}` : ''}]${r.raw.body !== undefined ? ` body ${r.raw.body.slice(0, 200)}` : ''} -> ${a.error ?? a.status} ${a.text.slice(0, 300)}`;

/** What a correct API answers to this request, as far as the generator knows it: a line per way it is not. */
function judge(r: CorpusRequest, a: Answer): string[] {
  if (a.status === -1) return [];
  if (a.error) return [`no answer (freeze?): ${show(r, a)}`];
  const problems: string[] = [];
  const code = (a.json as { code?: unknown } | undefined)?.code;
  if (a.status >= 500) problems.push(`a ${a.status}`);
  if (a.status >= 400 && a.status < 500 && typeof code !== 'string') problems.push('a 4xx without a string code');
  if (r.expect.refused && a.status < 400) problems.push('accepted, but it should have been refused');
  if (r.expect.status && a.status !== 429 && !r.expect.status.includes(a.status)) problems.push(`expected ${r.expect.status.join(' or ')}`);
  if (r.expect.code && a.status >= 400 && a.status !== 429 && code !== r.expect.code) problems.push(`expected code ${r.expect.code}, got ${String(code)}`);
  if (r.expect.notWritten && a.status < 300) {
    const written = ((a.json as { events?: { type: string }[] } | undefined)?.events ?? []).map((e) => e.type);
    const wrong = written.filter((t) => r.expect.notWritten!.includes(t));
    if (wrong.length) problems.push(`wrote ${wrong.join(', ')} (${written.join(', ')})`);
  }
  return problems.map((p) => `${p}: ${show(r, a)}`);
}

async function runStage(stage: CorpusRequest[]): Promise<void> {
  const answers = await Promise.all(stage.map((r) => send(base, r.raw)));
  const created = new Map<string, number>();
  stage.forEach((request, i) => {
    const answer = answers[i];
    outcomes.push({ request, answer });
    failures.push(...judge(request, answer));
    const group = request.expect.group;
    if (group && answer.status === 201) created.set(group.id, (created.get(group.id) ?? 0) + 1);
  });
  for (const [id, count] of created) {
    const max = stage.find((r) => r.expect.group?.id === id)!.expect.group!.maxCreated;
    if (count > max)
      failures.push(
        `race ${id}: ${count} requests written, at most ${max} may be: ${stage
          .filter((r) => r.expect.group?.id === id)
          .map((r) => r.raw.body)
          .join(' | ')
          .slice(0, 400)}`,
      );
  }
}

const classOf = (a: Answer) => (a.status === -1 ? 'unsent' : a.error ? 'no answer' : `${Math.floor(a.status / 100)}xx`);

function tallies(): string {
  const classes = ['2xx', '4xx', '5xx', 'no answer', 'unsent'];
  const count = (filter: (o: Outcome) => boolean) => classes.map((c) => outcomes.filter((o) => filter(o) && classOf(o.answer) === c).length);
  const lines = [
    `hostile corpus: seed ${SEED}, ${outcomes.length} requests in ${(wallMs / 1000).toFixed(1)} s over ${new Set(outcomes.map((o) => o.request.route)).size} routes`,
  ];
  lines.push(`  ${'by caller'.padEnd(16)}${classes.map((c) => c.padStart(10)).join('')}`);
  for (const caller of CALLERS)
    lines.push(
      `  ${caller.padEnd(16)}${count((o) => o.request.caller === caller)
        .map((n) => String(n).padStart(10))
        .join('')}`,
    );
  lines.push(
    `  ${'all'.padEnd(16)}${count(() => true)
      .map((n) => String(n).padStart(10))
      .join('')}`,
  );
  const byStatus = new Map<number, number>();
  for (const o of outcomes) byStatus.set(o.answer.status, (byStatus.get(o.answer.status) ?? 0) + 1);
  lines.push(
    `  by status: ${[...byStatus]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')}`,
  );
  const byMode = new Map<string, number>();
  for (const o of outcomes) byMode.set(o.request.mode, (byMode.get(o.request.mode) ?? 0) + 1);
  lines.push(`  by mode: ${[...byMode].map(([m, n]) => `${m}: ${n}`).join(', ')}`);
  const codes = new Map<string, number>();
  for (const o of outcomes) {
    const code = (o.answer.json as { code?: string } | undefined)?.code;
    if (o.answer.status >= 400 && code) codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  lines.push(
    `  refusals by code: ${[...codes]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}

/** Each attack (and each kind of hostile input), and what it was answered. */
function attacks(): string {
  const table = (title: string, label: (o: Outcome) => string | undefined) => {
    const rows = new Map<string, Map<string, number>>();
    for (const o of outcomes) {
      const name = label(o);
      if (!name) continue;
      const answers = rows.get(name) ?? new Map<string, number>();
      const code = (o.answer.json as { code?: string } | undefined)?.code;
      const key = `${o.answer.error ? 'no answer' : o.answer.status}${o.answer.status >= 400 && code ? ` ${code}` : ''}`;
      rows.set(name, answers.set(key, (answers.get(key) ?? 0) + 1));
    }
    return [
      `  ${title}:`,
      ...[...rows].sort().map(
        ([name, answers]) =>
          `    ${name}: ${[...answers]
            .sort((a, b) => b[1] - a[1])
            .map(([k, n]) => `${k} x${n}`)
            .join(', ')}`,
      ),
    ];
  };
  return [...table('the attacks, and their answers', (o) => o.request.twist), ...table('hostile input, and its answers', (o) => o.request.mutation)].join('\n');
}

describe('a hostile corpus over every route and every caller (issue 24)', () => {
  it(`answers ${SIZE}+ requests with no 5xx, a code on every 4xx, and what the access table and the rules say`, async () => {
    const corpus = new Corpus(rng, world, { bySubject: keys, revoked: revokedKey });
    const started = performance.now();
    // Every route from every caller once, then random rounds, with a race now and then.
    const matrix = corpus.matrix();
    for (let i = 0; i < matrix.length; i += 12) {
      await runStage(matrix.slice(i, i + 12));
      await refresh();
    }
    const bursts = [
      () => corpus.streamBurst(),
      () => corpus.idempotencyReuse(),
      () => corpus.retryBurst(),
      () => corpus.dualControl(),
      () => corpus.simulationBurst(),
      () => corpus.streamsBurst(),
      () => corpus.lpFlood(),
      () => corpus.onboardingRace(),
    ];
    for (let round = 1; outcomes.length < SIZE; round++) {
      if (round % 12 === 0) {
        for (const stage of bursts[(round / 12) % bursts.length]()) {
          await runStage(stage);
          await refresh();
        }
        continue;
      }
      const advance = rng.chance(0.3);
      await runStage(Array.from({ length: 1 + rng.int(16) }, () => corpus.next(advance)));
      await refresh();
    }
    wallMs = performance.now() - started;
    const summary = tallies();
    console.log(process.env.FUNDSIM_CORPUS_DETAIL ? `${summary}\n${attacks()}` : summary);
    // Every route of the table from every caller, and hostile input on every route.
    const pairs = new Set(outcomes.map((o) => `${o.request.route} as ${o.request.caller}`));
    expect(ROUTES.flatMap((r) => CALLERS.map((c) => `${r.key} as ${c}`)).filter((p) => !pairs.has(p))).toEqual([]);
    const hostile = new Set(outcomes.filter((o) => o.request.mode === 'input').map((o) => o.request.route));
    expect(ROUTES.map((r) => r.key).filter((r) => !hostile.has(r))).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(SIZE);
    if (failures.length)
      throw new Error(`${failures.length} answers were wrong (seed ${SEED}):\n${failures.slice(0, 40).join('\n')}\n\n${summary}\n${attacks()}`);
    expect(api.child.exitCode).toBeNull();
  }, 240_000);

  it('still limits rates past the raised allowances: a 429 with a code and Retry-After, per address and per key', async () => {
    const anonymous = await Promise.all(
      Array.from({ length: 140 }, () => send(base, { method: 'GET', path: '/health', headers: {}, localAddress: '127.0.0.99' })),
    );
    // Past the key's burst (400) faster than it refills (200/s): all in flight at once.
    const perKey = await Promise.all(
      Array.from({ length: 800 }, () => send(base, { method: 'GET', path: '/me', headers: { Authorization: `Bearer ${probeKey}` } })),
    );
    for (const [name, answers] of [
      ['anonymous', anonymous],
      ['per key', perKey],
    ] as const) {
      const limited = answers.filter((a) => a.status === 429);
      expect([name, limited.length > 0]).toEqual([name, true]);
      for (const a of limited) expect([name, (a.json as { code?: string }).code, Number(a.headers['retry-after']) >= 1]).toEqual([name, 'RATE_LIMITED', true]);
      expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
    }
  }, 60_000);

  it('leaves nothing frozen: the managers act on the latest date, an operator dates a fact within the open period, the books comply, the chain verifies', async () => {
    await refresh();
    const results: string[] = [];
    const expectStatus = async (request: RawRequest, status: number, code?: string) => {
      const answer = await send(base, request);
      const got = `${answer.status}${answer.status >= 400 ? ` ${(answer.json as { code?: string } | undefined)?.code}` : ''}`;
      const wanted = `${status}${code ? ` ${code}` : ''}`;
      results.push(`${request.path} ${request.body ?? ''}: ${got === wanted ? 'ok' : `expected ${wanted}, got ${got}: ${answer.text.slice(0, 300)}`}`);
    };
    const usjp = world.funds.get('usjp')!;
    const jponly = world.funds.get('jponly')!;
    await expectStatus(as('us-treasury', '/funds/usjp/milestones', { effectiveDate: usjp.latest, milestone: 'after the corpus' }), 201);
    await expectStatus(as('jp-mof', '/funds/jponly/milestones', { effectiveDate: jponly.latest, milestone: 'after the corpus' }), 201);
    await expectStatus(as('market-data', '/funds/usjp/fx-rates', { effectiveDate: usjp.latest, pair: 'USD/JPY', rate: '151.00' }), 201);
    await refresh();
    const open = openPeriodEnd(world.funds.get('usjp')!.managersDate);
    await expectStatus(as('retail-platform', '/funds/usjp/fx-rates', { effectiveDate: open, pair: 'USD/JPY', rate: '152.00' }), 201);
    await expectStatus(
      as('market-data', '/funds/usjp/fx-rates', { effectiveDate: addDays(open, 1), pair: 'USD/JPY', rate: '153.00' }),
      422,
      'EFFECTIVE_DATE_AFTER_OPEN_PERIOD',
    );
    await expectStatus(as('jp-mof', '/funds/usjp/milestones', { effectiveDate: open, milestone: 'the managers move on' }), 201);
    // No breach, but for the one the design flags on purpose: both managers reversed an approval
    // of an allocation already committed (docs/access.md, "Dual control"); the scope audit below proves
    // each such reversal had both managers' approval.
    const breaches: string[] = [];
    for (const fundId of world.funds.keys()) {
      if (world.funds.get(fundId)!.awaiting.size > 0) continue;
      const report = (await send(base, admin('GET', `/funds/${fundId}/audit/compliance`))).json as {
        breaches: number;
        entries: { ok: boolean; type: string; subject: string; checks: { ok: boolean; rule: string; message: string }[] }[];
      };
      for (const entry of report.entries.filter((e) => !e.ok)) {
        const failed = entry.checks.filter((c) => !c.ok);
        // No exemption: withdrawing an approval of a committed allocation is refused (undo its commitment first).
        breaches.push(`${fundId}: ${entry.type} ${entry.subject}: ${failed.map((c) => `${c.rule}: ${c.message}`).join('; ')}`);
      }
    }
    expect(breaches).toEqual([]);
    expect(results.filter((r) => !r.endsWith(': ok'))).toEqual([]);
    expect(((await send(base, admin('GET', '/events/verify'))).json as { ok: boolean }).ok).toBe(true);
    expect(((await send(base, admin('GET', '/funds/usjp/audit/verify'))).json as { ok: boolean }).ok).toBe(true);
    expect((await send(base, { method: 'GET', path: '/health/ready', headers: {} })).status).toBe(200);
  }, 60_000);

  // Found by this corpus (seed 20261224): the register of a fund with net assets but no admitted
  // LP (a project valued, or income received, before the first close) is a 500, "Register
  // rounding out of range: <cents> cents over 0 LPs", thrown by registerCutoff in
  // libs/projections/src/capital-accounts/register.ts. Not an HTTP-layer fix: left failing for the lead.
  it('answers the LP register of a fund with net assets but no admitted LP without a 5xx', async () => {
    const terms = {
      effectiveDate: '2026-01-15',
      name: 'No LP yet',
      targetSize: '1000000000.00',
      hardCap: '1000000000.00',
      managers: ['jp-mof'],
      approvalsRequired: ['jp-mof'],
      leveragePolicy: { maxRatio: '1.00', basis: 'commitments' },
      concentrationLimit: '0.50',
      equalizationRate: '0.05',
    };
    expect((await send(base, admin('POST', '/funds/nolp/establish', terms))).status).toBe(201);
    expect(
      (
        await send(
          base,
          as('jp-mof', '/funds/nolp/projects', {
            effectiveDate: '2026-04-01',
            projectId: 'port',
            name: 'Port',
            sector: 'logistics',
            partners: ['A'],
            totalProjectSize: '10000000.00',
          }),
        )
      ).status,
    ).toBe(201);
    expect((await send(base, as('market-data', '/funds/nolp/projects/port/valuations', { effectiveDate: '2026-04-01', fairValue: '1000.00' }))).status).toBe(
      201,
    );
    const register = await send(base, admin('GET', '/funds/nolp/lps?asOf=2026-04-01'));
    expect([register.status < 500, register.text.slice(0, 200)]).toEqual([true, expect.any(String)]);
  });

  it("wrote nothing outside any principal's scope: every event since the corpus began, checked against who may have written it", async () => {
    await api.stop();
    const store = new SqliteEventStore(path);
    const log: LogEvent[] = [];
    try {
      for await (const event of store.readAll()) log.push(event as unknown as LogEvent);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
    const written = log.filter((e) => e.position >= auditFrom);
    const byActor = new Map<string, number>();
    for (const e of written) byActor.set(e.metadata.actor, (byActor.get(e.metadata.actor) ?? 0) + 1);
    console.log(`scope audit: ${written.length} events written since the corpus began, by ${[...byActor].map(([a, n]) => `${a} ${n}`).join(', ')}`);
    expect(written.length).toBeGreaterThan(100);
    expect(scopeViolations(log, auditFrom, ROLES)).toEqual([]);
  }, 60_000);

  it('logged no error while it ran', () => {
    expect(
      api
        .output()
        .split('\n')
        .filter((line) => /\bERROR\b|INTERNAL/.test(line)),
    ).toEqual([]);
  });
});
