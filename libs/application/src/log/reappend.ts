import type { AppendRequest, JsonObject, StoredEvent } from '@fundsim/event-store';

/*
 * Events already decided (a scenario's sandbox) or already stored (a log being copied), written
 * again into a store: one append per stream and command, at the revisions they had, the data
 * that names a log position moved to where the event it names was written.
 */

/** The data fields that name a log position, by event type. */
const POSITION_FIELDS: Readonly<Record<string, readonly string[]>> = {
  CloseHeld: ['throughPosition'],
  ScenarioImported: ['fromPosition', 'toPosition'],
};

/** Whether the event's data names a log position after `position` (a close counting the commitments of its own batch). */
export const namesPositionAfter = (event: StoredEvent, position: number): boolean =>
  (POSITION_FIELDS[event.type] ?? []).some((f) => typeof event.data[f] === 'number' && (event.data[f] as number) > position);

/** An event's data with each position it names passed through `move`. */
export function movePositions(type: string, data: JsonObject, move: (position: number) => number): JsonObject {
  const fields = POSITION_FIELDS[type];
  if (!fields) return data;
  return { ...data, ...Object.fromEntries(fields.filter((f) => typeof data[f] === 'number').map((f) => [f, move(data[f] as number)])) };
}

/** Whether `next` belongs in the append `first` starts: one stream, one command (an event without a command id alone). */
export const sameAppend = (first: StoredEvent, next: StoredEvent): boolean =>
  next.metadata.commandId !== undefined && first.stream === next.stream && first.metadata.commandId === next.metadata.commandId;

/** One append's events written again at their revisions, their position references moved. */
export function reappend(group: readonly StoredEvent[], move: (position: number) => number): AppendRequest {
  return {
    stream: group[0].stream,
    expectedRevision: group[0].revision === 0 ? 'no-stream' : group[0].revision - 1,
    events: group.map((e) => ({ id: e.id, type: e.type, data: movePositions(e.type, e.data, move), metadata: e.metadata })),
  };
}

/** Consecutive events grouped into appends (each group yielded once the next one starts). */
export function* appendGroups(events: Iterable<StoredEvent>): Generator<StoredEvent[]> {
  let group: StoredEvent[] = [];
  for (const e of events) {
    if (group.length > 0 && !sameAppend(group[0], e)) {
      yield group;
      group = [];
    }
    group.push(e);
  }
  if (group.length > 0) yield group;
}
