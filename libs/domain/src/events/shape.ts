/*
 * Shape checks for event data read back from the store: each check returns why a value is wrong
 * (naming its path, `data.split.remainderAbove`) or undefined, so a bad event is refused at the
 * door with a reason instead of failing deep inside a fold. Checks never throw and allocate only
 * on failure: they run once per event read.
 *
 * `Check<T>` carries the type it proves, and `shape<T>()` asks for a check of every field of T
 * (an optional field through `optional`), so a field added to an event's type and forgotten here
 * is a compile error.
 */

/** Why `value` (found at `path`) is not a T, or undefined when it is one. */
export type Check<T> = ((value: unknown, path: string) => string | undefined) & { readonly proves?: T };
/** A check of a field that may be absent. */
export type Optional<T> = Check<T | undefined> & { readonly optional: true };

const got = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function primitive<T>(what: string, ok: (value: unknown) => boolean): Check<T> {
  return (value, path) => (ok(value) ? undefined : `${path} must be ${what}, got ${got(value)}`);
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const HEX = /^[0-9a-f]+$/;

/** A decimal string ("1000.00", "-5", "0.125"): money, rates and fractions are never numbers. */
export const decimal: Check<string> = primitive('a decimal string', (v) => typeof v === 'string' && DECIMAL.test(v));
/** An ISO date, YYYY-MM-DD. */
export const isoDate: Check<string> = primitive('an ISO date (YYYY-MM-DD)', (v) => typeof v === 'string' && ISO_DATE.test(v));
/** A non-empty string naming something (a fund, an LP, an event, a manager). */
export const id: Check<string> = primitive('a non-empty string', (v) => typeof v === 'string' && v.length > 0);
/** Any string, empty included (a note, a reason). */
export const text: Check<string> = primitive('a string', (v) => typeof v === 'string');
/** Lower-case hexadecimal (a digest). */
export const hex: Check<string> = primitive('a hexadecimal string', (v) => typeof v === 'string' && HEX.test(v));
/** A count, a number in a sequence or a log position: an integer >= 0. */
export const count: Check<number> = primitive('an integer >= 0', (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
export const bool: Check<boolean> = primitive('true or false', (v) => typeof v === 'boolean');

/** One of a closed set of strings. */
export function oneOf<const V extends string>(...values: V[]): Check<V> {
  const set: ReadonlySet<unknown> = new Set(values);
  return primitive(`one of ${values.join(', ')}`, (v) => set.has(v));
}

export function optional<T>(check: Check<T>): Optional<T> {
  return Object.assign((value: unknown, path: string) => (value === undefined ? undefined : check(value, path)), { optional: true as const });
}

export function list<T>(item: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path} must be a list, got ${got(value)}`;
    for (let i = 0; i < value.length; i++) {
      const why = item(value[i], `${path}[${i}]`);
      if (why !== undefined) return why;
    }
    return undefined;
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object whose every value passes `item` (keys are names: managers, purposes). */
export function record<T>(item: Check<T>, key: Check<string> = id): Check<Record<string, T>> {
  return (value, path) => {
    if (!isObject(value)) return `${path} must be an object, got ${got(value)}`;
    for (const k in value) {
      const why = key(k, `${path} key`) ?? item(value[k], `${path}.${k}`);
      if (why !== undefined) return why;
    }
    return undefined;
  };
}

/** Any JSON object; what it holds is checked elsewhere (a replacement's data, by its own type). */
export const anyObject: Check<Record<string, unknown>> = (value, path) => (isObject(value) ? undefined : `${path} must be an object, got ${got(value)}`);

/**
 * A figure a decider records beside the fact for the audit trail (the cash before a funding, the
 * principal after a draw): no fold reads it, and an event written around the deciders (an import,
 * an older rule set) may lack it, which the compliance replay, recomputing it, reports. Checked
 * when present.
 */
export const figure = <T>(check: Check<T>): Optional<T> => optional(check);

/** A check for every field of T: required fields by `Check` (or `figure`), optional ones by `optional(...)`. */
export type Fields<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? Optional<Exclude<T[K], undefined>> : Check<T[K]> | Optional<T[K]> };

/** An object with exactly these fields: a missing required field, a wrong value or a field T does not have is named. */
export function shape<T>(fields: Fields<T>): Check<T> {
  const entries = Object.entries(fields as Record<string, Check<unknown> & { optional?: true }>);
  const keys = entries.map(([k]) => k);
  const checks = entries.map(([, check]) => check);
  const known = new Set(keys);
  return (value, path) => {
    if (!isObject(value)) return `${path} must be an object, got ${got(value)}`;
    let present = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const check = checks[i];
      const v = value[k];
      if (v === undefined) {
        if (check.optional) continue;
        return `${path}.${k} is missing`;
      }
      present++;
      const why = check(v, `${path}.${k}`);
      if (why !== undefined) return why;
    }
    // Only when the counts differ is it worth finding the stranger.
    let found = 0;
    for (const k in value) if (value[k] !== undefined) found++;
    if (found !== present) for (const k in value) if (!known.has(k)) return `${path}.${k} is not a field of this event`;
    return undefined;
  };
}
