import type { Rng } from './rng';

/** A request being built: what a mutation may change. */
export interface Draft {
  /** The route's path with `:name` parameters, filled from `params` when the request is sent. */
  template: string;
  query: string;
  headers: Record<string, string>;
  /** The body as sent (JSON text, or anything else a mutation makes of it). */
  body?: string;
  /** The values that filled the path's parameters, by name, so a mutation can replace one. */
  params: Record<string, string>;
}

const CONTROL = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u202e', '\u200b', '\u2066', '\ufeff', '\ud800', '\r\n'];
const WRONG_TYPES: unknown[] = [123, -1, true, null, [], {}, ['x'], { $gt: '' }, [[[]]], 0.1];
/** Numbers no numeric field takes: out of range, not decimal strings, or not strings at all. */
const HUGE: unknown[] = [
  '9'.repeat(60) + '.00',
  1e308,
  -1e308,
  '1e400',
  2 ** 63,
  Number.MAX_SAFE_INTEGER + 2,
  '-0.01',
  '0x10',
  'NaN',
  'Infinity',
  '１０００.００',
  '1_000.00',
  '٣',
];
const NUMERIC = [
  'amount',
  'rate',
  'percentage',
  'fairValue',
  'limit',
  'targetSize',
  'hardCap',
  'totalProjectSize',
  'annualRate',
  'paths',
  'seed',
  'concentrationLimit',
  'equalizationRate',
];
/** Path parameters meant to escape their segment, or not to be one. */
export const TRAVERSAL = [
  '..',
  '%2e%2e',
  '..%2F..%2Fevents',
  '%2e%2e%2f%2e%2e%2fevents',
  '....%2F%2F',
  'x%00',
  'x%2F..%2F..%2Fetc%2Fpasswd',
  '%252e%252e%252f',
  'A'.repeat(300),
  '%E2%80%AE',
  '%ZZ',
  'x%0d%0aSet-Cookie:a',
  '%C0%AE%C0%AE',
  "x'--",
  '%F0%9F%99%82',
];
/** Ids that are well-formed but name a JavaScript object's own properties: refused or not, never a 5xx nor a write elsewhere. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'];
const BAD_QUERIES = [
  'asOf=9999-99-99',
  'asOf=2026-13-45',
  'asOf=tomorrow',
  'limit=0',
  'limit=-1',
  'limit=0x10',
  'limit=1e3',
  'limit=99999999',
  'fromPosition=-3',
  'knownAt=March%207',
  'type=%27%3BDROP',
  'stream=%00',
  'format=exe',
  'what=everything',
  'actor[$ne]=x',
  '__proto__[x]=1',
  'asOf=2026-01-01&asOf=2026-02-01',
  'x=1',
  'offset=abc',
  'from=2099-99-99',
];
const BAD_KEYS = ['x'.repeat(129), 'a b', '\u00e4\u00f6', ''];

/** The names of a hostile input the corpus sends, each one a way to break a request. */
export type Mutation =
  | 'duplicate-key'
  | 'control-character'
  | 'wrong-type'
  | 'huge-number'
  | 'unknown-field'
  | 'actor-field'
  | 'prototype-key'
  | 'not-json'
  | 'wrong-content-type'
  | 'wrong-charset'
  | 'compressed'
  | 'too-deep'
  | 'too-large'
  | 'bad-idempotency-key'
  | 'path-traversal'
  | 'prototype-name-id'
  | 'bad-query';

/** Hostile input a correct API may accept: an id that is only unusual. */
export const MAY_BE_ACCEPTED: ReadonlySet<Mutation> = new Set(['prototype-name-id']);

const BODY_MUTATIONS: Mutation[] = [
  'duplicate-key',
  'control-character',
  'wrong-type',
  'huge-number',
  'unknown-field',
  'actor-field',
  'prototype-key',
  'not-json',
  'wrong-content-type',
  'wrong-charset',
  'compressed',
  'too-deep',
  'path-traversal',
  'prototype-name-id',
];
const GET_MUTATIONS: Mutation[] = ['bad-query', 'path-traversal', 'bad-query', 'path-traversal', 'control-character', 'prototype-name-id'];

/** Breaks a request one way (an Idempotency-Key only where one is read: a command); `too-large` is rare (each is 120 kB on the wire). */
export function mutate(rng: Rng, draft: Draft, method: string, command: boolean): Mutation {
  const mutation: Mutation =
    method === 'GET'
      ? rng.pick(GET_MUTATIONS)
      : rng.chance(0.01)
        ? 'too-large'
        : rng.pick(command ? [...BODY_MUTATIONS, 'bad-idempotency-key'] : BODY_MUTATIONS);
  const object = (): Record<string, unknown> => {
    try {
      const parsed = JSON.parse(draft.body ?? '{}') as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const fields = (o: Record<string, unknown>) => Object.keys(o);
  switch (mutation) {
    case 'duplicate-key': {
      const o = object();
      const key = fields(o).length ? rng.pick(fields(o)) : 'effectiveDate';
      const text = JSON.stringify(o);
      // The same key twice, the second one hidden behind a \u escape half of the time.
      const spelled = rng.chance(0.5) ? key : key.replace(/^./, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      draft.body = `{"${spelled}":${JSON.stringify(o[key] ?? '2026-10-01')}${text.length > 2 ? ',' : ''}${text.slice(1)}`;
      break;
    }
    case 'control-character': {
      const c = rng.pick(CONTROL);
      if (method === 'GET') {
        draft.query = `${draft.query ? `${draft.query}&` : ''}asOf=${encodeURIComponent('2026-10-01' + (c === '\ud800' ? '\u200b' : c))}`;
        break;
      }
      const o = object();
      const strings = fields(o).filter((k) => typeof o[k] === 'string');
      const key = strings.length ? rng.pick(strings) : 'note';
      o[key] = `${String(o[key] ?? 'x').slice(0, 3)}${c}${String(o[key] ?? 'x').slice(3)}`;
      draft.body = JSON.stringify(o);
      break;
    }
    case 'wrong-type': {
      const o = object();
      o[fields(o).length ? rng.pick(fields(o)) : 'effectiveDate'] = rng.pick(WRONG_TYPES);
      draft.body = JSON.stringify(o);
      break;
    }
    case 'huge-number': {
      const o = object();
      const numeric = fields(o).filter((k) => NUMERIC.includes(k));
      o[numeric.length ? rng.pick(numeric) : 'amount'] = rng.pick(HUGE);
      draft.body = JSON.stringify(o);
      break;
    }
    case 'unknown-field':
      draft.body = JSON.stringify({
        ...object(),
        [rng.pick(['role', 'approvedBy', 'commandId', 'recordedAt', 'position', 'x'])]: rng.pick(['admin', ['us-treasury', 'jp-mof'], 1]),
      });
      break;
    case 'actor-field':
      draft.body = JSON.stringify({ ...object(), actor: rng.pick(['jp-mof', 'us-treasury', 'admin']) });
      break;
    case 'prototype-key':
      draft.body = `{"${rng.pick(['__proto__', 'constructor'])}":{"role":"admin","prototype":{"admin":true}},${JSON.stringify(object()).slice(1)}`;
      break;
    case 'not-json':
      draft.body = rng.pick(['{', '{"effectiveDate":', 'null', '"text"', '[1,2]', '{"a":1,}', "{'a':1}", '{"a":NaN}', '\u0000', '{"a":1}{"b":2}']);
      break;
    case 'wrong-content-type':
      draft.headers['Content-Type'] = rng.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json-patch+json',
        'application/jsonx',
      ]);
      break;
    case 'wrong-charset':
      draft.headers['Content-Type'] = rng.pick([
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/json; charset="iso-8859-1"',
        'application/json; charset=nonsense',
      ]);
      break;
    case 'compressed':
      draft.headers['Content-Encoding'] = rng.pick(['gzip', 'deflate', 'br', 'bogus']);
      break;
    case 'too-deep':
      draft.body = JSON.stringify({ ...object(), note: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown });
      break;
    case 'too-large':
      draft.body = JSON.stringify({ ...object(), note: 'x'.repeat(120_000) });
      break;
    case 'bad-idempotency-key':
      draft.headers['Idempotency-Key'] = rng.pick(BAD_KEYS);
      break;
    case 'path-traversal':
    case 'prototype-name-id': {
      const value = rng.pick(mutation === 'path-traversal' ? TRAVERSAL : PROTOTYPE_NAMES);
      const names = Object.keys(draft.params);
      const name =
        names.filter((n) => n !== 'fundId').length && rng.chance(0.7)
          ? rng.pick(names.filter((n) => n !== 'fundId'))
          : names.length
            ? rng.pick(names)
            : undefined;
      if (name) draft.params[name] = value;
      else draft.template = `${draft.template}/${value}`;
      break;
    }
    case 'bad-query':
      draft.query = rng.pick(BAD_QUERIES);
      break;
  }
  return mutation;
}
