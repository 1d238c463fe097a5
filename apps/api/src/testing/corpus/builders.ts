/**
 * What each route of the access table is sent in the hostile corpus: a command or query as its
 * caller would rightly send it (`valid`), the same aimed outside the caller's scope (`scope`: a
 * fund that does not name the manager, another platform's LP, a sovereign by an operator, one
 * manager's reversal of a dual-controlled event, a proposer approving its own reversal), or with
 * a date the books refuse (`date`: far future, far past, before the latest, past the open
 * period's edge). A route without a builder here gets the generic one, so a new route is in the
 * corpus the day it is in the table.
 */
import type { Rng } from './rng';
import { addDays, DUAL_CONTROLLED, openPeriodEnd, openPeriodStart, type FundView, type World } from './world';

export type Mode = 'valid' | 'scope' | 'date' | 'input';
export type Role = 'manager' | 'operator' | 'lp' | 'auditor' | 'admin';

export interface Ctx {
  rng: Rng;
  world: World;
  mode: Mode;
  /** The principal's id (`us-treasury`, `retail-platform`, `retail-us-000001`, `auditor`), or undefined without a valid key. */
  subject?: string;
  role?: Role;
  /** The fund the request is aimed at. */
  fund: FundView;
  /** May managers' valid commands move the fund's dates on in this round? (Not when a round probes the open period's edge.) */
  advance: boolean;
  /** A number never used before in this corpus (new ids, idempotency keys). */
  n(): number;
}

/** What a builder makes of a route: the other parameters, the body or query, and what the answer must be. */
export interface Spec {
  fundId?: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  query?: string;
  twist?: string;
  /** Never a 2xx. */
  refused?: boolean;
  /** A refusal with this code. */
  code?: string;
  /** A 2xx answer must not carry these event types. */
  notWritten?: string[];
}

export type Builder = (c: Ctx) => Spec;

const OTHER: Record<string, string> = { 'us-treasury': 'jp-mof', 'jp-mof': 'us-treasury' };

/** The date a command is dated: the fund's latest (managers now and then a few days on, operators up to the open period's edge), or a hostile one in `date` mode. */
export function dateOf(c: Ctx): { date: string; hostile?: string; edge?: string } {
  const { fund, rng } = c;
  const open = openPeriodEnd(fund.managersDate);
  if (c.mode === 'date') {
    const options: [string, string][] = [
      ['2241-06-30', 'a date centuries ahead'],
      ['9999-12-31', 'the last representable date'],
      [addDays(fund.latest, 5 * 366 + 200), 'more than five years after the latest'],
      ['1900-01-01', 'a date a century back'],
      ['0001-01-01', 'year one'],
      [addDays(fund.inception, -1), 'the day before inception'],
      // Before the quarter of the latest decision: a decision may not reach back, and that quarter's facts are closed.
      [addDays(openPeriodStart(fund.latestDecision), -1), 'the day before the open period (reaching back)'],
    ];
    // The day after the open period: refused to all but the managers, unless a manager moves it in
    // the same round. A manager acting on the fund's latest date (an operator's, up to the edge)
    // moves it to the quarter after that date's: the edge no round without advances can pass.
    const last = openPeriodEnd(fund.latest);
    const edge: [string, string][] =
      c.role !== 'manager' && !c.advance
        ? [
            [addDays(last, 1), 'the day after the open period'],
            [addDays(last, 92), 'a quarter past the open period'],
          ]
        : [];
    const [date, hostile] = edge.length && rng.chance(0.5) ? rng.pick(edge) : rng.pick(options);
    return { date, hostile };
  }
  if (c.role === 'manager') return { date: c.advance && rng.chance(0.3) ? addDays(fund.latest, 1 + rng.int(3)) : fund.latest };
  if (c.role === 'operator' && open > fund.latest) {
    const roll = rng.next();
    if (roll < 0.1) return { date: open, edge: "a fact dated on the open period's last day" };
    if (roll < 0.25) return { date: addDays(fund.latest, rng.int(Math.max(1, daysBetween(fund.latest, open)))) };
  }
  return { date: fund.latest };
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

const usd = (rng: Rng, max = 100_000) => `${1 + rng.int(max)}.${String(rng.int(100)).padStart(2, '0')}`;

/** The fund a request is aimed at: one that names a manager (or, in `scope` mode, one that does not); mostly usjp. */
export function fundFor(rng: Rng, world: World, mode: Mode, role: Role | undefined, subject: string | undefined): FundView {
  const funds = [...world.funds.values()];
  const usjp = world.funds.get('usjp')!;
  if (role === 'manager' && mode === 'scope') {
    const foreign = funds.filter((f) => !f.managers.includes(subject!) || f.awaiting.size > 0);
    if (foreign.length) return rng.pick(foreign);
  }
  const ready = funds.filter((f) => f.awaiting.size === 0 && (role !== 'manager' || f.managers.includes(subject!)));
  return rng.chance(0.6) || ready.length === 0 ? usjp : rng.pick(ready);
}

const pickOr = <T>(rng: Rng, items: readonly T[], fallback: T): T => (items.length ? rng.pick(items) : fallback);
const allocationsIn = (f: FundView, status?: string) => [...f.allocations].filter(([, s]) => status === undefined || s === status).map(([id]) => id);
const liveEvents = (f: FundView, filter: (type: string) => boolean) =>
  [...f.events].filter(([id, e]) => !f.reversed.has(id) && e.type !== 'FundEstablished' && filter(e.type)).map(([id]) => id);

/** Parameters any route may have, filled from what the fund holds. */
export function fillParam(c: Ctx, name: string): string {
  const { rng, fund } = c;
  switch (name) {
    case 'callNumber':
      return String(1 + rng.int(Math.max(1, fund.calls)));
    case 'facilityId':
      return pickOr(rng, fund.facilities, 'jbic');
    case 'projectId':
      return pickOr(rng, fund.projects, 'stargate');
    case 'allocationId':
      return pickOr(rng, allocationsIn(fund), 'al-stargate-1');
    case 'eventId':
      return pickOr(rng, [...fund.events.keys()], '00000000-0000-4000-8000-000000000000');
    case 'lpId':
      return c.role === 'lp' ? c.subject! : pickOr(rng, [...fund.lps.keys()], 'retail-us-000001');
    case 'manager':
      return rng.pick(fund.managers);
    default:
      return 'x';
  }
}

const command =
  (extra: (c: Ctx, date: string) => Record<string, unknown>): Builder =>
  (c) => {
    const { date, hostile, edge } = dateOf(c);
    return { body: { effectiveDate: date, ...extra(c, date) }, ...(hostile ? { twist: hostile, refused: true } : edge ? { twist: edge } : {}) };
  };

/** A GET with the query a reader would send, as of the fund's latest date. */
const asOf: Builder = (c) => ({ query: `asOf=${c.fund.latest}` });

function commitment(c: Ctx): Spec {
  const { rng, fund, subject, role } = c;
  const { date, hostile, edge } = dateOf(c);
  const lps = [...fund.lps];
  const body = (lpId: string, kind: string, country: string, currency: string) => ({
    effectiveDate: date,
    lpId,
    kind,
    country,
    amount: currency === 'JPY' ? String(150_000 + rng.int(10_000_000)) : usd(rng),
    currency,
  });
  const fresh = () => {
    const country = rng.pick(['US', 'JP']);
    return body(
      `${subject ?? 'x'}-${c.n()}`.slice(0, 64),
      role === 'manager' ? 'sovereign' : rng.pick(['retail', 'institutional']),
      country,
      country === 'JP' ? 'JPY' : 'USD',
    );
  };
  const hostileDate = hostile ? { twist: hostile, refused: true } : edge ? { twist: edge } : {};
  if (c.mode === 'scope' && (role === 'operator' || role === 'manager')) {
    const others = lps.filter(([, lp]) => lp.onboardedBy !== subject);
    const own = lps.filter(([, lp]) => lp.onboardedBy === subject);
    const roll = rng.next();
    if (role === 'operator' && roll < 0.3) {
      const sovereigns = lps.filter(([, lp]) => lp.kind === 'sovereign');
      const [lpId, lp] = sovereigns.length && rng.chance(0.5) ? rng.pick(sovereigns) : [`sov-${c.n()}`, { country: 'US', currency: 'USD' }];
      return { body: body(lpId, 'sovereign', lp.country, lp.currency), twist: 'a sovereign committed by an operator', refused: true };
    }
    if (others.length && roll < 0.7) {
      const [lpId, lp] = rng.pick(others);
      return { body: body(lpId, lp.kind, lp.country, lp.currency), twist: `an LP onboarded by ${lp.onboardedBy}, by ${subject}`, refused: true };
    }
    if (own.length) {
      const [lpId, lp] = rng.pick(own);
      return rng.chance(0.5)
        ? {
            body: body(lpId, lp.kind === 'retail' ? 'institutional' : lp.kind === 'sovereign' ? 'retail' : 'retail', lp.country, lp.currency),
            twist: "an LP's kind changed",
            refused: true,
          }
        : { body: body(lpId, lp.kind, lp.country, lp.currency === 'USD' ? 'JPY' : 'USD'), twist: "an LP's currency changed", refused: true };
    }
    return { body: fresh(), ...hostileDate };
  }
  const own = lps.filter(([, lp]) => lp.onboardedBy === subject && c.world.pendingOf(fund, lp) < 10);
  if (own.length && rng.chance(0.5)) {
    const [lpId, lp] = rng.pick(own);
    return { body: body(lpId, lp.kind, lp.country, lp.currency), ...hostileDate };
  }
  return { body: fresh(), ...hostileDate };
}

function reversal(c: Ctx): Spec {
  const { rng, fund } = c;
  const dual = liveEvents(fund, (t) => DUAL_CONTROLLED.has(t)).filter((id) => !fund.proposals.has(id));
  const single = liveEvents(
    fund,
    (t) => !DUAL_CONTROLLED.has(t) && t !== 'CloseHeld' && !t.startsWith('Reversal') && t !== 'EventReversed' && t !== 'ManagementAccepted',
  );
  const wantDual = c.mode === 'scope' || rng.chance(0.5);
  const eventId = wantDual && dual.length ? rng.pick(dual) : pickOr(rng, single, pickOr(rng, dual, '00000000-0000-4000-8000-000000000000'));
  const isDual = DUAL_CONTROLLED.has(fund.events.get(eventId)?.type ?? '');
  const oneOfMany = isDual && fund.approvalsRequired.length > 1;
  return {
    params: { eventId },
    body: { reason: 'corpus correction' },
    ...(oneOfMany ? { twist: `one manager reversing a ${fund.events.get(eventId)!.type}`, notWritten: ['EventReversed'] } : {}),
  };
}

/**
 * An event no reversal can be waiting for, whatever else its stage sends at once (a stage's
 * requests race, so a dual-controlled event may be proposed for reversal beside this request): one
 * that is not under dual control, whose reversal is recorded at once, never proposed.
 */
const neverProposed = (c: Ctx): string =>
  pickOr(
    c.rng,
    liveEvents(c.fund, (t) => !DUAL_CONTROLLED.has(t)),
    '00000000-0000-4000-8000-000000000000',
  );

function reversalApproval(c: Ctx): Spec {
  const { rng, fund, subject } = c;
  const proposals = [...fund.proposals];
  if (proposals.length === 0) return { params: { eventId: neverProposed(c) }, body: {}, refused: true, twist: 'no reversal proposed' };
  const [eventId, approvers] = rng.pick(proposals);
  if (subject && approvers.has(subject))
    return { params: { eventId }, body: {}, refused: true, twist: 'a manager approving a reversal it already approved (its own)' };
  return { params: { eventId }, body: {} };
}

function acceptance(c: Ctx): Spec {
  const { rng, world, subject } = c;
  const { date } = dateOf(c);
  const funds = [...world.funds.values()];
  if (c.mode === 'scope') {
    const foreign = funds.filter((f) => !f.managers.includes(subject ?? ''));
    if (foreign.length)
      return { fundId: rng.pick(foreign).fundId, body: { effectiveDate: date }, twist: 'accepting a fund that does not name it', refused: true };
  }
  // The fund 'awaiting' stays waiting: it proves that a fund nobody accepted takes nothing.
  const waiting = funds.filter((f) => f.fundId !== 'awaiting' && f.awaiting.has(subject ?? ''));
  if (waiting.length) {
    const f = rng.pick(waiting);
    return { fundId: f.fundId, body: { effectiveDate: f.latest } };
  }
  return { body: { effectiveDate: date } };
}

function establishment(c: Ctx): Spec {
  const { rng, world, subject, role } = c;
  const self = role === 'manager' ? subject! : undefined;
  let managers = self ? (rng.chance(0.5) ? [self, OTHER[self]] : [self]) : rng.pick([['us-treasury', 'jp-mof'], ['jp-mof'], ['us-treasury']]);
  let fundId = `c${c.n()}`;
  let twist: string | undefined;
  if (c.mode === 'scope') {
    if (self && rng.chance(0.6)) ((managers = [OTHER[self]]), (twist = 'a manager establishing a fund that does not name it'));
    else ((fundId = rng.pick([...world.funds.keys()])), (twist = 'establishing a fund again'));
  }
  const terms = {
    name: 'Corpus fund',
    targetSize: '1000000000.00',
    hardCap: '1000000000.00',
    managers,
    approvalsRequired: managers,
    leveragePolicy: { maxRatio: '1.00', basis: 'commitments' },
    concentrationLimit: '0.50',
    equalizationRate: '0.05',
  };
  return { fundId, body: { effectiveDate: '2026-01-15', ...terms }, ...(twist ? { twist, refused: true } : {}) };
}

export const BUILDERS: Record<string, Builder> = {
  'POST /funds/:fundId/establish': establishment,
  'POST /funds/:fundId/acceptances': acceptance,
  'POST /funds/:fundId/milestones': command((c) => ({ milestone: `corpus ${c.n()}`, note: '東京 — café 🙂' })),
  'POST /funds/:fundId/closes': command(() => ({})),
  'POST /funds/:fundId/capital-calls': command((c, date) => ({ percentage: c.rng.pick(['0.001', '0.01', '0.5']), dueDate: addDays(date, 30) })),
  'POST /funds/:fundId/capital-calls/:callNumber/defaults': command((c) => ({ lpId: fillParam({ ...c, role: undefined }, 'lpId') })),
  'POST /funds/:fundId/credit-facilities': command((c, date) => ({
    facilityId: `f${c.n()}`,
    lender: 'Corpus Bank',
    limit: usd(c.rng, 10_000_000),
    annualRate: '0.05',
    dayCount: c.rng.pick(['ACT/365', 'ACT/360']),
    maturityDate: addDays(date, 3650),
  })),
  'POST /funds/:fundId/credit-facilities/:facilityId/draws': command((c) => ({ amount: usd(c.rng) })),
  'POST /funds/:fundId/credit-facilities/:facilityId/interest-payments': command(() => ({})),
  'POST /funds/:fundId/credit-facilities/:facilityId/repayments': command((c) => ({ amount: usd(c.rng, 1000) })),
  'POST /funds/:fundId/projects': command((c) => ({
    projectId: `p${c.n()}`,
    name: 'Corpus project',
    sector: 'energy',
    partners: ['Partner A'],
    totalProjectSize: usd(c.rng, 100_000_000),
  })),
  'POST /funds/:fundId/allocations': command((c) => ({ allocationId: `a${c.n()}`, projectId: fillParam(c, 'projectId'), amount: usd(c.rng, 10_000) })),
  'POST /funds/:fundId/allocations/:allocationId/approvals': (c) => ({
    ...command(() => ({}))(c),
    params: { allocationId: pickOr(c.rng, allocationsIn(c.fund, 'proposed'), fillParam(c, 'allocationId')) },
  }),
  'POST /funds/:fundId/allocations/:allocationId/rejections': (c) => ({
    ...command(() => ({ reason: 'not now' }))(c),
    params: { allocationId: pickOr(c.rng, allocationsIn(c.fund, 'proposed'), fillParam(c, 'allocationId')) },
  }),
  'POST /funds/:fundId/allocations/:allocationId/fundings': (c) => ({
    ...command(() => ({ amount: usd(c.rng, 1000) }))(c),
    params: { allocationId: pickOr(c.rng, allocationsIn(c.fund, 'committed'), fillParam(c, 'allocationId')) },
  }),
  'POST /funds/:fundId/distributions': command((c, date) => ({ amount: usd(c.rng, 1000), paymentDate: addDays(date, 10) })),
  'POST /funds/:fundId/management-fees': command((c) => ({ amount: usd(c.rng, 1000), period: '2026-Q4' })),
  'POST /funds/:fundId/expenses': command((c) => ({ amount: usd(c.rng, 100), description: 'audit fees' })),
  'POST /funds/:fundId/events/:eventId/reversals': reversal,
  'POST /funds/:fundId/events/:eventId/reversals/approvals': reversalApproval,
  // Another manager refuses a proposal, or its proposer withdraws it: either may.
  'POST /funds/:fundId/events/:eventId/reversals/rejections': (c) => {
    const proposals = [...c.fund.proposals.keys()];
    return proposals.length
      ? { params: { eventId: c.rng.pick(proposals) }, body: { reason: 'refused' } }
      : { params: { eventId: neverProposed(c) }, body: {}, refused: true, twist: 'no reversal proposed' };
  },
  'POST /funds/:fundId/commitments': commitment,
  'POST /funds/:fundId/fx-rates': command((c) => ({ pair: 'USD/JPY', rate: `${140 + c.rng.int(20)}.${String(c.rng.int(100)).padStart(2, '0')}` })),
  'POST /funds/:fundId/projects/:projectId/valuations': command((c) => ({ fairValue: usd(c.rng, 30_000_000_000) })),
  'POST /funds/:fundId/projects/:projectId/proceeds': command((c) => ({ kind: c.rng.chance(0.8) ? 'income' : 'capital', amount: usd(c.rng, 10_000) })),
  'GET /funds/:fundId/balance-sheet': asOf,
  'GET /funds/:fundId/balance-sheet/stream': asOf,
  'GET /funds/:fundId/performance': asOf,
  'GET /funds/:fundId/waterfall': asOf,
  'GET /funds/:fundId/managers/:manager/revenue': (c) => ({ query: `from=${c.fund.inception}&to=${c.fund.latest}` }),
  'GET /funds/:fundId/lps': (c) => ({ query: `limit=${1 + c.rng.int(100)}&asOf=${c.fund.latest}` }),
  'GET /funds/:fundId/lps/:lpId': (c) => {
    if (c.role === 'lp' && c.mode === 'scope') {
      const others = [...c.world.funds.get('usjp')!.lps.keys()].filter((id) => id !== c.subject);
      return c.rng.chance(0.5) && others.length
        ? { fundId: 'usjp', params: { lpId: c.rng.pick(others) }, twist: "an LP reading another LP's account", refused: true, code: 'NOT_YOUR_ACCOUNT' }
        : {
            fundId: c.rng.pick([...c.world.funds.keys()].filter((f) => f !== 'usjp')),
            params: { lpId: c.subject! },
            twist: 'an LP reading in another fund',
            refused: true,
            code: 'NOT_YOUR_ACCOUNT',
          };
    }
    return { ...(c.role === 'lp' ? { fundId: 'usjp' } : {}), query: `asOf=${c.fund.latest}` };
  },
  'GET /funds/:fundId/lps/:lpId/ilpa-statement': (c) => {
    if (c.role === 'lp' && c.mode === 'scope') {
      const others = [...c.world.funds.get('usjp')!.lps.keys()].filter((id) => id !== c.subject);
      return c.rng.chance(0.5) && others.length
        ? { fundId: 'usjp', params: { lpId: c.rng.pick(others) }, twist: "an LP reading another LP's account", refused: true, code: 'NOT_YOUR_ACCOUNT' }
        : {
            fundId: c.rng.pick([...c.world.funds.keys()].filter((f) => f !== 'usjp')),
            params: { lpId: c.subject! },
            twist: 'an LP reading in another fund',
            refused: true,
            code: 'NOT_YOUR_ACCOUNT',
          };
    }
    return { ...(c.role === 'lp' ? { fundId: 'usjp' } : {}), query: `asOf=${c.fund.latest}${c.rng.chance(0.5) ? '&format=csv' : ''}` };
  },
  'POST /funds/:fundId/simulations/lp-commitment': (c) => ({
    ...(c.role === 'lp' ? { fundId: 'usjp' } : {}),
    body: {
      ...(c.rng.chance(0.5) ? { amount: usd(c.rng), currency: 'USD' } : { amount: String(10_000 + c.rng.int(10_000_000)), currency: 'JPY' }),
      date: c.fund.latest,
      paths: 10 + c.rng.int(40),
      seed: c.rng.int(1_000_000),
    },
  }),
  'POST /funds/:fundId/simulations/fund': (c) => ({ body: { from: c.fund.latest, paths: 5 + c.rng.int(15), seed: c.rng.int(1_000_000) } }),
  'GET /events': (c) => ({ query: `limit=${1 + c.rng.int(50)}&fromPosition=${c.rng.int(c.world.next + 1)}` }),
  'GET /funds/:fundId/events': (c) => ({
    query: c.rng.pick([
      `limit=50`,
      `type=CapitalCommitted,ReversalProposed&limit=20`,
      `actor=${c.rng.pick(c.fund.managers)}&limit=10`,
      `effectiveFrom=${c.fund.latest}`,
    ]),
  }),
  'GET /funds/:fundId/events/export': (c) => ({ query: `format=${c.rng.pick(['csv', 'jsonl'])}&what=${c.rng.pick(['events', 'trails'])}` }),
};

/** Any other route: its parameters filled from the fund; a POST is a command dated as the others are. */
export const generic = (method: string): Builder => (method === 'POST' ? command(() => ({})) : () => ({}));
