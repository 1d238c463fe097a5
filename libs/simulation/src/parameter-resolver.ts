/**
 * The resolver of the fund model's parameters (fund-parameters.ts; one table per model, should
 * another come): a named scenario's defaults, then the user's overrides,
 * each checked against its entry in the model's table of parameters. A value out of its range is
 * refused (never clamped) with an error that names the parameter and the range; a name the table
 * does not know is refused with the list of names it does.
 */
export class InvalidParameterError extends Error {
  readonly code = 'INVALID_PARAMETER';
}

/** How one parameter's value is read from what the user sent. */
export interface Parameter<V> {
  parse(name: string, value: unknown): V;
}

const inRange = (name: string, value: unknown, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new InvalidParameterError(`${name} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
  return value;
};

/** A number in [min, max]. */
export const numberIn = (min: number, max: number): Parameter<number> => ({ parse: (name, value) => inRange(name, value, min, max) });

/** An integer in [min, max]. */
export const integerIn = (min: number, max: number): Parameter<number> => ({
  parse(name, value) {
    const n = inRange(name, value, min, max);
    if (!Number.isInteger(n)) throw new InvalidParameterError(`${name} must be an integer, got ${n}`);
    return n;
  },
});

/** A non-empty list of numbers, each in [min, max]. */
export const listIn = (min: number, max: number): Parameter<number[]> => ({
  parse(name, value) {
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'number' || !(v >= min && v <= max)))
      throw new InvalidParameterError(`${name} must be a non-empty list of numbers in [${min}, ${max}]`);
    return [...(value as number[])];
  },
});

/** A model's parameters that the user may set by name, each with its range. */
export type ParameterTable<T> = { readonly [K in keyof T]?: Parameter<T[K]> };

/**
 * Names the table does not hold but the model reads (the fund model's `correlation`, `growth` for
 * every sector, `<sector>.growth`...): `apply` takes one when it knows it (returns false when not),
 * `names` lists them in the error for an unknown name.
 */
export interface MoreParameters<T> {
  names: readonly string[];
  apply(params: T, name: string, value: unknown): boolean;
}

/** Sets a table's parameter (typed by its key: the table's parser returns that key's type). */
function set<T, K extends keyof T>(params: T, key: K, value: T[K]): void {
  params[key] = value;
}

const holds = <T>(table: ParameterTable<T>, key: string): key is Extract<keyof T, string> => Object.hasOwn(table, key);

/** The scenario's changes from the base, or a refusal naming the scenarios there are. */
export function scenarioOf<S>(scenarios: Readonly<Record<string, S>>, scenario: string): S {
  if (!Object.hasOwn(scenarios, scenario))
    throw new InvalidParameterError(`Unknown scenario ${JSON.stringify(scenario)}: use one of ${Object.keys(scenarios).join(', ')}`);
  return scenarios[scenario];
}

/** `params` with each override checked and set in turn (the first refused one throws); `params` is changed in place. */
export function applyOverrides<T>(params: T, table: ParameterTable<T>, overrides: Record<string, unknown>, more?: MoreParameters<T>): T {
  for (const [key, value] of Object.entries(overrides)) {
    if (holds(table, key)) set(params, key, table[key]!.parse(key, value));
    else if (!more?.apply(params, key, value))
      throw new InvalidParameterError(`Unknown parameter ${JSON.stringify(key)}: known are ${[...Object.keys(table), ...(more?.names ?? [])].join(', ')}`);
  }
  return params;
}
