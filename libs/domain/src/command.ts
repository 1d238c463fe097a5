/** What every command carries besides its data: who, when in the books, and its idempotency key. */
/**
 * The kind of principal an actor is, when the command comes through an API key. Scope rules read
 * it: a manager acts only in funds that name it, an operator only for the LPs its platform
 * onboarded. Absent for scenario files and the CLI, which the store's owner runs (an admin).
 */
export type ActorRole = 'manager' | 'operator' | 'admin';

export interface CommandMetadata {
  actor: string;
  role?: ActorRole;
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
