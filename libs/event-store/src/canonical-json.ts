import { InvalidAppendError } from './errors';

/**
 * Event data as stored: canonical JSON (so anyone can recompute the hash chain from the event
 * alone), refusing what JSON would silently change (NaN and Infinity become null) or cannot
 * carry. Data whose keys are already in order, at every level, takes JSON.stringify's native
 * path: a third of the cost of sorting.
 */
export function serializeData(data: object): string {
  return inspect(data) ? JSON.stringify(data) : canonicalJson(data);
}

/** Throws on values JSON cannot carry faithfully; true when every object's keys are sorted. */
function inspect(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidAppendError(`Event data holds a non-finite number: ${value}`);
      return true;
    case 'object': {
      if (value === null) return true;
      let sorted = true;
      if (Array.isArray(value)) {
        for (const item of value) sorted = inspect(item) && sorted;
        return sorted;
      }
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      for (let i = 0; i < keys.length; i++) {
        if (i > 0 && keys[i - 1] > keys[i]) sorted = false;
        sorted = inspect(object[keys[i]]) && sorted;
      }
      return sorted;
    }
    default:
      throw new InvalidAppendError(`Event data holds a value JSON cannot store: ${typeof value}`);
  }
}

/**
 * JSON with object keys sorted at every level and no whitespace, so equal values have equal
 * bytes: the form in which event data is stored and hashed.
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
