export * from './event-store.port';
export * from './errors';
export { canonicalJson } from './canonical-json';
export { GENESIS_HASH, chainHash, canonicalEventJson } from './hash-chain';
export { deterministicEventId } from './event-ids';
export { MemoryEventStore } from './memory.event-store';
export { SqliteEventStore, SchemaVersionError } from './sqlite.event-store';
export { EventStoreDbEventStore } from './eventstoredb.event-store';
export * from './store-config';
