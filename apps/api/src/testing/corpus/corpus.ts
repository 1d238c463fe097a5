/**
 * The hostile corpus: requests over every route of the access table, from every kind of caller,
 * valid and hostile, drawn from a seeded generator; and the bursts that race requests against
 * each other. Each request says what a correct API must answer, as far as the generator knows.
 */
import { ACCESS, type AccessRule } from '../../access';
import { BUILDERS, fillParam, fundFor, generic, type Ctx, type Mode, type Role } from './builders';
import type { RawRequest } from './http';
import { MAY_BE_ACCEPTED, mutate, type Draft, type Mutation } from './mutations';
import type { Rng } from './rng';
import { DUAL_CONTROLLED, type World } from './world';

export const CALLERS = ['us-treasury', 'jp-mof', 'retail-platform', 'market-data', 'lp', 'auditor', 'admin', 'no key', 'revoked key', 'forged key'] as const;
export type Caller = (typeof CALLERS)[number];

/** The principal behind each caller: none for the three without a valid key. */
export const PRINCIPAL_OF: Record<Caller, { role?: Role; subject?: string }> = {
  'us-treasury': { role: 'manager', subject: 'us-treasury' },
  'jp-mof': { role: 'manager', subject: 'jp-mof' },
  'retail-platform': { role: 'operator', subject: 'retail-platform' },
  'market-data': { role: 'operator', subject: 'market-data' },
  lp: { role: 'lp', subject: 'retail-us-000001' },
  auditor: { role: 'auditor', subject: 'auditor' },
  admin: { role: 'admin', subject: 'admin' },
  'no key': {},
  'revoked key': {},
  'forged key': {},
};

/** The LP key's fund. */
const LP_FUND = 'usjp';
/** Pages, not API routes: they take any query (a link's utm_source), so a query is no attack on them. */
const PAGES: ReadonlySet<string> = new Set(['GET /']);

export interface Route {
  key: string;
  method: 'GET' | 'POST';
  template: string;
  params: string[];
  rule: AccessRule;
}

/** Every route of the access table: a route added there is in the corpus without a change here. */
export const ROUTES: readonly Route[] = Object.entries(ACCESS).map(([key, rule]) => {
  const [method, template] = key.split(' ');
  return { key, method: method as Route['method'], template, params: [...template.matchAll(/:(\w+)/g)].map((m) => m[1]), rule };
});

/** The routes where scope rules live come up three times as often; every route still comes up. */
const SCOPED: ReadonlySet<string> = new Set([
  'POST /funds/:fundId/commitments',
  'POST /funds/:fundId/fx-rates',
  'POST /funds/:fundId/projects/:projectId/valuations',
  'POST /funds/:fundId/events/:eventId/reversals',
  'POST /funds/:fundId/events/:eventId/reversals/approvals',
  'POST /funds/:fundId/acceptances',
  'POST /funds/:fundId/establish',
  'GET /funds/:fundId/lps/:lpId',
  'GET /funds/:fundId/lps/:lpId/ilpa-statement',
]);
const WEIGHTED: readonly Route[] = ROUTES.flatMap((r) => (SCOPED.has(r.key) ? [r, r, r] : [r]));

export interface Expectation {
  /** Never a 2xx. */
  refused?: boolean;
  /** One of these statuses (a 429 always may be: the rate limits and quotas are answers too). */
  status?: number[];
  code?: string;
  /** A 2xx answer must not carry these event types. */
  notWritten?: string[];
  /** A race: at most `maxCreated` of the group's requests may be 201. */
  group?: { id: string; maxCreated: number };
}

export interface CorpusRequest {
  caller: Caller;
  route: string;
  mode: Mode;
  twist?: string;
  mutation?: Mutation;
  raw: RawRequest;
  expect: Expectation;
}

/** The keys the corpus uses: each valid principal's, and a revoked one. */
export interface Keys {
  bySubject: Record<string, string>;
  revoked: string;
}

export class Corpus {
  private counter = 0;
  private readonly forged: string[];

  constructor(
    private readonly rng: Rng,
    private readonly world: World,
    private readonly keys: Keys,
  ) {
    const secret = () => Array.from({ length: 43 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[rng.int(64)]).join('');
    const idOf = (key: string) => key.slice(4, 20);
    const admin = keys.bySubject.admin;
    const flip = (key: string) => key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    this.forged = [
      `fsk_${idOf(keys.bySubject['us-treasury'])}_${secret()}`,
      `fsk_${idOf(keys.revoked)}_${secret()}`,
      `fsk_${Array.from({ length: 16 }, () => '0123456789abcdef'[rng.int(16)]).join('')}_${secret()}`,
      flip(admin),
      admin.slice(0, -1),
      `${admin}A`,
      admin.toUpperCase(),
      `${admin} ${keys.bySubject['jp-mof']}`,
      'fsk_' + 'f'.repeat(16) + '_' + 'A'.repeat(43),
      'x'.repeat(5000),
    ];
  }

  private n(): number {
    return ++this.counter;
  }

  /** A request of a random route, caller and mode; half the time from a caller the route admits. */
  next(advance: boolean): CorpusRequest {
    const route = this.rng.pick(WEIGHTED);
    const admitted = CALLERS.filter(
      (c) => route.rule.roles === 'public' || (PRINCIPAL_OF[c].role !== undefined && route.rule.roles.includes(PRINCIPAL_OF[c].role!)),
    );
    const roll = this.rng.next();
    const mode: Mode =
      route.method === 'GET'
        ? roll < 0.6
          ? 'valid'
          : roll < 0.7
            ? 'scope'
            : 'input'
        : roll < 0.4
          ? 'valid'
          : roll < 0.65
            ? 'scope'
            : roll < 0.8
              ? 'date'
              : 'input';
    // A scope or date attack means most from a caller the route admits (the others meet the guard, as the valid ones do half the time).
    const caller = this.rng.chance(mode === 'scope' || mode === 'date' ? 0.85 : 0.5) && admitted.length ? this.rng.pick(admitted) : this.rng.pick(CALLERS);
    return this.build(route, caller, mode, advance);
  }

  /** Every route from every caller, once, as that caller would rightly send it. */
  matrix(): CorpusRequest[] {
    return ROUTES.flatMap((route) => CALLERS.map((caller) => this.build(route, caller, 'valid', false)));
  }

  build(route: Route, caller: Caller, mode: Mode, advance: boolean, fundId?: string): CorpusRequest {
    const { role, subject } = PRINCIPAL_OF[caller];
    const fund = fundId ? this.world.funds.get(fundId)! : fundFor(this.rng, this.world, mode, role, subject);
    const ctx: Ctx = { rng: this.rng, world: this.world, mode, role, subject, fund, advance, n: () => this.n() };
    const spec = (BUILDERS[route.key] ?? generic(route.method))(ctx);
    const params: Record<string, string> = {};
    for (const name of route.params) params[name] = name === 'fundId' ? (spec.fundId ?? fund.fundId) : (spec.params?.[name] ?? fillParam(ctx, name));
    // A command in a fund that does not name the manager, or in the fund nobody ever accepts, is
    // refused whatever it is (another fund awaiting acceptance may be accepted in the same round).
    const target = this.world.funds.get(params.fundId ?? '');
    if (route.method === 'POST' && target && !spec.twist && !/\/(establish|acceptances|simulations\/)/.test(route.template)) {
      if (role === 'manager' && !target.managers.includes(subject!))
        Object.assign(spec, { twist: 'a manager acting in a fund that does not name it', refused: true });
      else if (target.fundId === 'awaiting' && (role === 'manager' || role === 'operator'))
        Object.assign(spec, { twist: 'a command in a fund awaiting acceptance', refused: true });
    }
    const { headers, localAddress } = this.credentials(caller);
    const draft: Draft = {
      template: route.template,
      query: spec.query ?? '',
      headers,
      params,
      body: route.method === 'POST' ? JSON.stringify(spec.body ?? {}) : undefined,
    };
    if (route.method === 'POST') draft.headers['Content-Type'] = 'application/json';
    if (route.method === 'POST' && mode !== 'input' && this.rng.chance(0.3)) draft.headers['Idempotency-Key'] = `k-${this.n()}`;
    const mutation = mode === 'input' ? mutate(this.rng, draft, route.method, route.method === 'POST' && !route.template.includes('/simulations/')) : undefined;
    const path = draft.template.replace(/:(\w+)/g, (_m, name: string) => draft.params[name] ?? 'x') + (draft.query ? `?${draft.query}` : '');

    const rule = route.rule;
    const roleAdmitted = rule.roles === 'public' || (role !== undefined && rule.roles.includes(role));
    const ownOnly = role === 'lp' && ((rule.own !== undefined && params[rule.own] !== subject) || (params.fundId !== undefined && params.fundId !== LP_FUND));
    const admitted = rule.roles === 'public' || (roleAdmitted && !ownOnly);
    const expect: Expectation = {
      refused: Boolean(spec.refused) || !admitted || (mutation !== undefined && !MAY_BE_ACCEPTED.has(mutation) && !PAGES.has(route.key)),
      ...(spec.notWritten ? { notWritten: spec.notWritten } : {}),
    };
    // Well-formed requests meet the guard first: who may call what is the access table's answer.
    if (mutation === undefined && !admitted) {
      if (role === undefined) Object.assign(expect, { status: [401], code: caller === 'no key' ? 'UNAUTHENTICATED' : 'INVALID_CREDENTIAL' });
      else Object.assign(expect, { status: [403], code: roleAdmitted ? 'NOT_YOUR_ACCOUNT' : 'FORBIDDEN' });
    } else if (mutation === undefined && spec.code) expect.code = spec.code;
    return {
      caller,
      route: route.key,
      mode,
      twist: spec.twist,
      mutation,
      raw: { method: route.method, path, headers: draft.headers, body: draft.body, localAddress },
      expect,
    };
  }

  /** The caller's credentials; the callers without a valid key send from 127.0.0.2-9 (the anonymous limit is per address). */
  private credentials(caller: Caller): { headers: Record<string, string>; localAddress?: string } {
    const { rng } = this;
    const as = (key: string): Record<string, string> => (rng.chance(0.15) ? { 'X-API-Key': key } : { Authorization: `Bearer ${key}` });
    const anonymous = (headers: Record<string, string>) => ({ headers, localAddress: `127.0.0.${2 + rng.int(8)}` });
    switch (caller) {
      case 'no key':
        return anonymous(
          rng.pick<Record<string, string>>([
            {},
            { Authorization: 'Basic dXNlcjpwYXNz' },
            { Authorization: 'Bearer ' },
            { Authorization: 'Token abc' },
            { 'X-API-Key': '' },
          ]),
        );
      case 'revoked key':
        return anonymous(as(this.keys.revoked));
      case 'forged key':
        return anonymous(as(rng.pick(this.forged)));
      default:
        return { headers: as(this.keys.bySubject[PRINCIPAL_OF[caller].subject!]) };
    }
  }

  private byKey(key: string): Route {
    return (
      ROUTES.find((r) => r.key === key) ??
      (() => {
        throw new Error(`no route ${key} in the access table`);
      })()
    );
  }

  /** Many valid writes on one fund's stream at once, from both managers and both operators. */
  streamBurst(): CorpusRequest[][] {
    const callers: Caller[] = ['us-treasury', 'jp-mof', 'us-treasury', 'jp-mof', 'market-data', 'retail-platform'];
    const routes = [
      'POST /funds/:fundId/milestones',
      'POST /funds/:fundId/milestones',
      'POST /funds/:fundId/expenses',
      'POST /funds/:fundId/milestones',
      'POST /funds/:fundId/fx-rates',
      'POST /funds/:fundId/fx-rates',
    ];
    return [
      Array.from({ length: 24 }, (_, i) => ({
        ...this.build(this.byKey(routes[i % 6]), callers[i % 6], 'valid', false, 'usjp'),
        twist: 'a burst on one stream',
      })),
    ];
  }

  /** One Idempotency-Key reused at once on different LPs' streams (each principal's key is its own). */
  idempotencyReuse(): CorpusRequest[][] {
    const key = `reuse-${this.n()}`;
    const route = this.byKey('POST /funds/:fundId/commitments');
    const group = (caller: Caller, count: number) =>
      Array.from({ length: count }, () => {
        const request = this.build(route, caller, 'valid', false, 'usjp');
        request.raw.headers['Idempotency-Key'] = key;
        return {
          ...request,
          twist: 'an Idempotency-Key reused on another LP',
          expect: { ...request.expect, group: { id: `${key}/${caller}`, maxCreated: 1 } },
        };
      });
    return [[...group('retail-platform', 8), ...group('market-data', 3), ...group('us-treasury', 2)]];
  }

  /** The same command retried at once under one key: written once. */
  retryBurst(): CorpusRequest[][] {
    const [route, caller] = this.rng.pick<[string, Caller]>([
      ['POST /funds/:fundId/commitments', 'retail-platform'],
      ['POST /funds/:fundId/milestones', 'us-treasury'],
    ]);
    const request = this.build(this.byKey(route), caller, 'valid', false, 'usjp');
    const id = `retry-${this.n()}`;
    request.raw.headers['Idempotency-Key'] = id;
    return [
      Array.from({ length: 6 }, () => ({ ...request, twist: 'one command retried at once', expect: { ...request.expect, group: { id, maxCreated: 1 } } })),
    ];
  }

  /**
   * Dual control raced: one manager proposes the reversal of a dual-controlled event (nothing
   * reversed yet); then, at once, the proposer approves it (refused, twice) and the other does.
   */
  dualControl(): CorpusRequest[][] {
    const fund = this.world.funds.get('usjp')!;
    const targets = [...fund.events].filter(([id, e]) => DUAL_CONTROLLED.has(e.type) && !fund.reversed.has(id) && !fund.proposals.has(id)).map(([id]) => id);
    if (targets.length === 0) return [];
    const eventId = this.rng.pick(targets);
    const proposer: Caller = this.rng.pick(['us-treasury', 'jp-mof'] as Caller[]);
    const other: Caller = proposer === 'us-treasury' ? 'jp-mof' : 'us-treasury';
    const reversal = this.build(this.byKey('POST /funds/:fundId/events/:eventId/reversals'), proposer, 'valid', false, 'usjp');
    reversal.raw.path = `/funds/usjp/events/${eventId}/reversals`;
    const approval = (caller: Caller) => {
      const request = this.build(this.byKey('POST /funds/:fundId/events/:eventId/reversals/approvals'), caller, 'valid', false, 'usjp');
      request.raw.path = `/funds/usjp/events/${eventId}/reversals/approvals`;
      return request;
    };
    const self = () => ({ ...approval(proposer), twist: 'the proposer approving its own reversal', expect: { refused: true } });
    return [
      [{ ...reversal, twist: `one manager reversing a ${fund.events.get(eventId)!.type}`, expect: { notWritten: ['EventReversed'] } }],
      [self(), { ...approval(other), twist: 'the other manager approving the reversal', expect: {} }, self()],
    ];
  }

  /** More simulations at once than a principal's quota: the rest wait their turn or get a 429 with a code. */
  simulationBurst(): CorpusRequest[][] {
    const lp = Array.from({ length: 5 }, () => this.build(this.byKey('POST /funds/:fundId/simulations/lp-commitment'), 'lp', 'valid', false, 'usjp'));
    const fund = Array.from({ length: 4 }, () => this.build(this.byKey('POST /funds/:fundId/simulations/fund'), 'auditor', 'valid', false, 'usjp'));
    return [[...lp, ...fund].map((r) => ({ ...r, twist: 'simulations over the quota' }))];
  }

  /** More balance-sheet streams at once than a key may hold. */
  streamsBurst(): CorpusRequest[][] {
    return [
      Array.from({ length: 10 }, () => ({
        ...this.build(this.byKey('GET /funds/:fundId/balance-sheet/stream'), 'us-treasury', 'valid', false, 'usjp'),
        twist: 'streams over the cap',
      })),
    ];
  }

  /** A platform floods one new LP with commitments at once: at most 10 pending. */
  lpFlood(): CorpusRequest[][] {
    const lpId = `flood-${this.n()}`;
    const route = this.byKey('POST /funds/:fundId/commitments');
    const fund = this.world.funds.get('usjp')!;
    return [
      Array.from({ length: 12 }, () => {
        const request = this.build(route, 'retail-platform', 'valid', false, 'usjp');
        request.raw.body = JSON.stringify({ effectiveDate: fund.latest, lpId, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' });
        return { ...request, twist: 'one LP flooded with commitments', expect: { group: { id: lpId, maxCreated: 10 } } };
      }),
    ];
  }

  /** Two platforms race to onboard the same new LP: one of them onboards it, the other is refused (the scope audit checks the log). */
  onboardingRace(): CorpusRequest[][] {
    const lpId = `race-${this.n()}`;
    const route = this.byKey('POST /funds/:fundId/commitments');
    const fund = this.world.funds.get('usjp')!;
    return [
      (['retail-platform', 'market-data', 'retail-platform', 'market-data', 'us-treasury'] as Caller[]).map((caller) => {
        const request = this.build(route, caller, 'valid', false, 'usjp');
        request.raw.body = JSON.stringify({ effectiveDate: fund.latest, lpId, kind: 'institutional', country: 'US', amount: '5000.00', currency: 'USD' });
        return { ...request, twist: 'two platforms onboarding one LP at once', expect: {} };
      }),
    ];
  }
}
