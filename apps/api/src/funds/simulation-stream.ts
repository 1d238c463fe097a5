import { Logger, StreamableFile } from '@nestjs/common';
import type { Principal, SimulationRunOptions } from '@fundsim/application';
import { Readable } from 'node:stream';
import { errorBody, type ErrorBody } from '../http-errors';

/** A line of a simulation's answer as JSON lines (`Accept: application/x-ndjson`). */
export type SimulationStreamLine<T> =
  | { type: 'queued'; position: number }
  | { type: 'started' }
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; result: T }
  | { type: 'error'; error: ErrorBody };

export const SIMULATION_STREAM_DESCRIPTION =
  'With `Accept: application/x-ndjson`: one JSON object a line as the run goes: `{"type":"queued","position":n}` while it waits (1: next to start; again when the place changes), ' +
  '`{"type":"started"}`, `{"type":"progress","done":n,"total":n}`, then `{"type":"result","result":{...}}` (the JSON answer) or `{"type":"error","error":ErrorBody}`. ' +
  'Refusals before the run is in the pool (400, 404, 422, 429 SIMULATION_QUOTA_EXCEEDED) are plain HTTP errors.';

/** Whose turn a run takes: an LP is one principal per fund (LP ids are unique only within a fund). */
export function ownerOf(principal: Principal): string {
  return principal.role === 'lp' ? `lp:${principal.fundId}/${principal.subject}` : `${principal.role}:${principal.subject}`;
}

const logger = new Logger('SimulationStream');

/**
 * A simulation answered as JSON lines: its place in the line while it waits, its progress, then
 * the result. The stream (and its 200) starts with the run's first event, so a refusal before the
 * run is queued or started is still an HTTP status; a failure after that is the last line.
 */
export async function simulationStream<T>(
  run: (events: Pick<SimulationRunOptions, 'onQueued' | 'onStarted' | 'onProgress'>) => Promise<T>,
): Promise<StreamableFile> {
  const lines = new Readable({ read: () => undefined });
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const send = (line: SimulationStreamLine<T>) => {
    if (!lines.destroyed) lines.push(`${JSON.stringify(line)}\n`);
    opened();
  };
  const answer = run({
    onQueued: (position) => send({ type: 'queued', position }),
    onStarted: () => send({ type: 'started' }),
    onProgress: (done, total) => send({ type: 'progress', done, total }),
  });
  await Promise.race([open, answer]);
  answer
    .then(
      (result) => send({ type: 'result', result }),
      (error: unknown) => send({ type: 'error', error: errorBody(error, logger) }),
    )
    .finally(() => lines.destroyed || lines.push(null));
  return new StreamableFile(lines, { type: 'application/x-ndjson; charset=utf-8' });
}
