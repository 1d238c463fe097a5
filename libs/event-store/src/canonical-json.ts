import { InvalidAppendError } from './errors';

/**
 * JSON with object keys sorted at every level and no whitespace, so the same value always has
 * the same bytes: the basis of the hash chain and of idempotency fingerprints.
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
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object)
        .filter((key) => object[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`).join(',')}}`;
    }
    default:
      throw new InvalidAppendError(`Event data holds a value JSON cannot store: ${typeof value}`);
  }
}
