import { csvLine } from '../csv';
import type { AllocationTrail } from './trails';

/** A stored event as exported: every field the store keeps, including its chain hash. */
export interface ExportedEvent {
  id: string;
  stream: string;
  revision: number;
  position: number;
  type: string;
  data: unknown;
  metadata: { actor: string; effectiveDate: string; recordedAt: string; correlationId?: string; causationId?: string; commandId?: string };
  hash: string;
}

export type ExportFormat = 'csv' | 'jsonl';

export const EVENT_COLUMNS = [
  'position',
  'id',
  'stream',
  'revision',
  'type',
  'effectiveDate',
  'recordedAt',
  'actor',
  'correlationId',
  'causationId',
  'commandId',
  'hash',
  'data',
];

/** Events as CSV (data as a JSON field) or JSON lines, one at a time: memory stays bounded. */
export async function* exportEvents(events: AsyncIterable<ExportedEvent>, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(EVENT_COLUMNS);
  for await (const e of events) {
    if (format === 'jsonl') {
      yield `${JSON.stringify(e)}\n`;
      continue;
    }
    const m = e.metadata;
    yield csvLine([
      String(e.position),
      e.id,
      e.stream,
      String(e.revision),
      e.type,
      m.effectiveDate,
      m.recordedAt,
      m.actor,
      m.correlationId ?? '',
      m.causationId ?? '',
      m.commandId ?? '',
      e.hash,
      JSON.stringify(e.data),
    ]);
  }
}

export const TRAIL_COLUMNS = ['allocationId', 'projectId', 'position', 'eventId', 'type', 'effectiveDate', 'recordedAt', 'actor', 'data', 'corrections'];

/** Allocation trails: one line per trail line in CSV, one trail per line in JSON lines. */
export function* exportTrails(trails: Iterable<AllocationTrail>, format: ExportFormat): Generator<string> {
  if (format === 'csv') yield csvLine(TRAIL_COLUMNS);
  for (const t of trails) {
    if (format === 'jsonl') {
      yield `${JSON.stringify(t)}\n`;
      continue;
    }
    for (const l of t.lines) {
      yield csvLine([
        t.allocationId,
        t.projectId,
        String(l.position),
        l.eventId,
        l.type,
        l.effectiveDate,
        l.recordedAt,
        l.actor,
        JSON.stringify(l.data),
        l.corrections.length ? JSON.stringify(l.corrections) : '',
      ]);
    }
  }
}
