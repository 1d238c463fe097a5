import type { Check } from './shape';

/*
 * Events as stored -> events as the folds read them. Each type has a current version (the shape
 * new events are written in, recorded in their metadata as `schemaVersion`) and, for each older
 * version, the shape it had and an upcaster to the next; an event stored without a version is at
 * version 1. Decoding checks the data against the shape of the version it was written in, then
 * upcasts it step by step, so a fold only ever sees the current shape, and a malformed event is
 * refused here, naming the event and the field, instead of failing inside a fold.
 */

/** An older version of an event type: the shape its data had, and how it becomes the next version's. */
export interface OlderVersion {
  data: Check<unknown>;
  upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

export interface EventSchema<D> {
  /** The version new events of this type are written at (1 until its shape first changes). */
  version: number;
  /** Its data at that version. */
  data: Check<D>;
  /** Versions 1 .. version - 1, each with its upcaster to the next. */
  older?: Readonly<Record<number, OlderVersion>>;
}

/** A schema for each type of the union `E`, keyed by type. */
export type EventSchemas<E extends { type: string; data: unknown }> = { [T in E['type']]: EventSchema<Extract<E, { type: T }>['data']> };

/** An event as read from the store: its type and data, and the version its metadata records (absent: 1). */
export interface EncodedEvent {
  type: string;
  data: unknown;
  metadata?: { schemaVersion?: number };
}

/** A stored event that cannot be read as the event it claims to be: where, which type, and why. */
export class EventShapeError extends Error {
  readonly code = 'INVALID_EVENT';
  constructor(
    /** Where the event was found, as a reader names it: `event 17` (its log position). */
    readonly where: string,
    readonly type: string,
    readonly reason: string,
  ) {
    super(`${where} (${type}): ${reason}`);
  }
}

/** Events whose data holds another event (a reversal's replacement), decoded as that event too. */
const HOLDS_REPLACEMENT: ReadonlySet<string> = new Set(['EventReversed', 'ReversalProposed']);

export class EventCodec<E extends { type: string; data: unknown } = { type: string; data: unknown }> {
  private readonly schemas: ReadonlyMap<string, EventSchema<unknown>>;

  constructor(schemas: EventSchemas<E>) {
    this.schemas = new Map(Object.entries(schemas as Record<string, EventSchema<unknown>>));
    for (const [type, schema] of this.schemas)
      for (let v = 1; v < schema.version; v++) if (!schema.older?.[v]) throw new Error(`${type} is at version ${schema.version} but has no upcaster from ${v}`);
  }

  /** The version an event of this type is written at now; undefined for a type this codec does not know. */
  versionOf(type: string): number | undefined {
    return this.schemas.get(type)?.version;
  }

  /** The event's data in its type's current shape, checked; throws EventShapeError naming `where` (made only on failure), the type and the field. */
  decode<T extends E>(event: EncodedEvent, where: () => string): T['data'] {
    const decoded = this.tryDecode(event);
    if (typeof decoded === 'string') throw new EventShapeError(where(), typeof event.type === 'string' ? event.type : 'no type', decoded);
    return decoded.data as T['data'];
  }

  /** The data in its current shape, or why it is not an event this codec can read. */
  tryDecode(event: EncodedEvent): { data: unknown } | string {
    const schema = typeof event.type === 'string' ? this.schemas.get(event.type) : undefined;
    if (!schema) return `not an event type this fundsim knows (${[...this.schemas.keys()].length} types)`;
    const version = event.metadata?.schemaVersion ?? 1;
    if (!Number.isSafeInteger(version) || version < 1) return `metadata.schemaVersion must be an integer >= 1, got ${JSON.stringify(version)}`;
    if (version > schema.version)
      return `written at version ${version}; this fundsim reads ${event.type} up to version ${schema.version} (a newer fundsim wrote it)`;
    let data = event.data;
    for (let v = version; v < schema.version; v++) {
      const older = schema.older![v];
      const why = older.data(data, 'data');
      if (why !== undefined) return `${why} (version ${v})`;
      data = older.upcast(data as Record<string, unknown>);
    }
    const why = schema.data(data, 'data');
    if (why !== undefined) return why;
    if (HOLDS_REPLACEMENT.has(event.type)) {
      // A replacement carries no version of its own: one in a reversal written before versions is
      // at version 1, one in a later reversal at its type's current version (see docs/architecture.md).
      const replacement = (data as { replacement?: { type: string; data: unknown } }).replacement;
      if (replacement !== undefined) {
        const at = event.metadata?.schemaVersion === undefined ? undefined : { schemaVersion: this.versionOf(replacement.type) };
        const inner = this.tryDecode({ type: replacement.type, data: replacement.data, metadata: at });
        if (typeof inner === 'string') return `data.replacement (${replacement.type}): ${inner.replace(/^data\b/, 'data.replacement.data')}`;
        if (inner.data !== replacement.data) data = { ...(data as object), replacement: { type: replacement.type, data: inner.data } };
      }
    }
    return { data };
  }
}
