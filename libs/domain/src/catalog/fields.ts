/**
 * The grammar of a command's data: each field's shape (a pattern and the reason a value that
 * misses it is refused, a list, a group of fields, or an object the domain itself checks), with
 * the example and description the API's contract shows. The HTTP layer builds its request
 * validation from it; `Schema<D>` makes the compiler hold it to the command's data type, so the
 * two cannot differ.
 */

interface Doc {
  example?: unknown;
  description?: string;
}

/** A string: matching `pattern` (refused with `reason`), one of `values`, or a date. */
export interface TextField extends Doc {
  kind: 'text';
  pattern?: RegExp;
  reason?: string;
  max?: number;
  values?: readonly string[];
  format?: 'date';
}

export interface IntField extends Doc {
  kind: 'int';
}

/** A non-empty list of strings, each matching `pattern` when there is one. */
export interface ListField extends Doc {
  kind: 'list';
  pattern?: RegExp;
  reason?: string;
  nonEmpty?: boolean;
}

/** A group of fields, validated field by field (`name` names it in the contract). */
export interface GroupField<F = Readonly<Record<string, Field>>> extends Doc {
  kind: 'group';
  name: string;
  fields: F;
}

/** An object whose rules are the domain's own (waterfall terms, a call's purposes): only its being an object is checked at the door. */
export interface ObjectField extends Doc {
  kind: 'object';
  /** The contract's schema for it, when the contract says more than "an object". */
  schema?: Record<string, unknown>;
}

/** A field of a command's data; `optional` when the data may leave it out. */
export type Field = (TextField | IntField | ListField | GroupField | ObjectField) & { optional?: true };

type Presence<T> = undefined extends T ? { optional: true } : { optional?: undefined };

type FieldFor<T> = [T] extends [number]
  ? IntField
  : [T] extends [readonly string[]]
    ? ListField
    : [T] extends [string]
      ? string extends T
        ? TextField
        : TextField & { values: readonly T[] }
      : [T] extends [object]
        ? ObjectField | GroupField<Schema<T>>
        : never;

/** A field for every key of the data, optional exactly where the data's key is. */
export type Schema<D> = { [K in keyof D]-?: FieldFor<NonNullable<D[K]>> & Presence<D[K]> };

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;
/** What an id may be (an LP, a project, a facility, an allocation, a manager): the same grammar as an LP id. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The field builders. */
export const field = {
  /** A non-negative decimal string (a size, a rate, a fraction), in `unit` when it has one. */
  decimal: (doc: Doc & { unit?: string; reason?: string } = {}): TextField => ({
    kind: 'text',
    pattern: DECIMAL,
    reason: doc.reason ?? `must be a decimal string${doc.unit ? ` in ${doc.unit}` : ''}`,
    ...docOf(doc),
  }),
  /** An amount: a decimal string the domain checks further (its sign, its places: `INVALID_AMOUNT`). */
  amount: (doc: Doc = {}): TextField => ({ kind: 'text', pattern: SIGNED_DECIMAL, reason: 'must be a decimal string such as "10000.00"', ...docOf(doc) }),
  id: (doc: Doc & { reason?: string } = {}): TextField => ({ kind: 'text', pattern: ID, reason: doc.reason ?? 'must be an id', ...docOf(doc) }),
  /** Any string, at most `max` characters when given. */
  text: (doc: Doc & { max?: number } = {}): TextField => ({ kind: 'text', ...(doc.max !== undefined ? { max: doc.max } : {}), ...docOf(doc) }),
  pattern: (pattern: RegExp, reason: string, doc: Doc = {}): TextField => ({ kind: 'text', pattern, reason, ...docOf(doc) }),
  date: (doc: Doc = {}): TextField => ({ kind: 'text', format: 'date', ...docOf(doc) }),
  oneOf: <T extends string>(values: readonly T[], doc: Doc = {}): TextField & { values: readonly T[] } => ({ kind: 'text', values, ...docOf(doc) }),
  int: (doc: Doc = {}): IntField => ({ kind: 'int', ...docOf(doc) }),
  ids: (doc: Doc & { reason?: string } = {}): ListField => ({
    kind: 'list',
    pattern: ID,
    reason: doc.reason ?? 'must be an id',
    nonEmpty: true,
    ...docOf(doc),
  }),
  texts: (doc: Doc = {}): ListField => ({ kind: 'list', ...docOf(doc) }),
  group: <F extends Readonly<Record<string, Field>>>(name: string, fields: F, doc: Doc = {}): GroupField<F> => ({ kind: 'group', name, fields, ...docOf(doc) }),
  /** The same field, optional. */
  optional: <F extends Field>(f: F): F & { optional: true } => ({ ...f, optional: true }),
  object: (doc: Doc & { schema?: Record<string, unknown> } = {}): ObjectField => ({
    kind: 'object',
    ...docOf(doc),
    ...(doc.schema ? { schema: doc.schema } : {}),
  }),
};

function docOf(doc: Doc): Doc {
  return { ...(doc.example !== undefined ? { example: doc.example } : {}), ...(doc.description !== undefined ? { description: doc.description } : {}) };
}
