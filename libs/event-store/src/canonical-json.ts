import { InvalidAppendError } from './errors';

/**
 * Event data as stored: plain JSON.stringify, after refusing what JSON would silently change
 * (NaN and Infinity become null) or cannot carry. The hash chain covers these exact bytes, so
 * they need not be canonical; sorting keys here cost 3x as much per appended event.
 */
export function serializeData(data: object): string {
  assertJsonSafe(data);
  return JSON.stringify(data);
}

function assertJsonSafe(value: unknown): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidAppendError(`Event data holds a non-finite number: ${value}`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        for (const item of value) assertJsonSafe(item);
      } else {
        for (const key in value) assertJsonSafe((value as Record<string, unknown>)[key]);
      }
      return;
    default:
      throw new InvalidAppendError(`Event data holds a value JSON cannot store: ${typeof value}`);
  }
}

/**
 * JSON with object keys sorted at every level and no whitespace, so equal values have equal
 * bytes: used to tell a retried command from a reused key when the key order differs.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidAppendError(`Event data holds a non-finite number: ${value}`);
      return JSON.stringify(value);
    case 'object': {
      // Loops rather than map/join: this runs for every event appended.
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i] === undefined ? null : value[i]);
        return out + ']';
      }
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object).sort();
      out = '{';
      for (const key of keys) {
        const child = object[key];
        if (child === undefined) continue;
        out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(child);
      }
      return out + '}';
    }
    default:
      throw new InvalidAppendError(`Event data holds a value JSON cannot store: ${typeof value}`);
  }
}
