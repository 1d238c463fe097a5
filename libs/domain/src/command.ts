/** What every command carries besides its data: who, when in the books, and its idempotency key. */
export interface CommandMetadata {
  actor: string;
  effectiveDate: string;
  commandId?: string;
  correlationId?: string;
}

export interface Command<T extends string = string, D = unknown> {
  type: T;
  data: D;
  metadata: CommandMetadata;
}

/** An event as deciders and folds see it: metadata holds at least the books' date. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
  metadata: { effectiveDate: string; actor: string; recordedAt?: string; position?: number; eventId?: string };
}
