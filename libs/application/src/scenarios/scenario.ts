import { Injectable } from '@nestjs/common';
import { COMMAND_TYPES, commandEntry, Rejection, type AnyCommand, type RejectionCode } from '@fundsim/domain';
import { OverlayEventStore, StreamChangedError, WrongExpectedRevisionError, type AppendRequest, type EventStore, type StoredEvent } from '@fundsim/event-store';
import { createHash } from 'node:crypto';
import { InjectEventStore } from '../event-store.provider';
import { decodedEvent, versioned } from '../log/event-codec';
import { appendGroups, namesPositionAfter, reappend } from '../log/reappend';
import { FundCommandService, type CommandResult } from '../commands/fund-commands.service';
import { FundFollower } from '../follow/fund-follower';
import { FUND_ID, fundStream, importsStream, isFundStream } from '../streams';

/**
 * A scenario file: `{ "fundId": "usjp", "commands": [ { "type": "CommitCapital",
 * "effectiveDate": "2026-04-01", "actor": "retail-platform", "commandId"?: "...", ...fields } ] }`.
 */
export interface ScenarioFile {
  fundId: string;
  commands: Record<string, unknown>[];
}

const METADATA_FIELDS = ['type', 'effectiveDate', 'actor', 'commandId', 'recordedAt'];

/** A command of a scenario, with the time it is to be recorded at when the file gives one (an import, a demo). */
export type ScenarioCommand = AnyCommand & { recordedAt?: string };

/** The file itself is malformed: nothing was decided. */
export class ScenarioFormatError extends Error {
  readonly code = 'SCENARIO_INVALID';
}

/** A command of the scenario broke a rule: nothing was written. */
export class ScenarioRejectedError extends Error {
  readonly code: RejectionCode;
  constructor(
    readonly index: number,
    readonly type: string,
    readonly rejection: Rejection,
  ) {
    super(`Command ${index} (${type}) rejected: ${rejection.code}: ${rejection.message}. Nothing was written.`);
    this.code = rejection.code;
  }
}

export interface ScenarioResult {
  fundId: string;
  commands: number;
  eventsWritten: number;
  /** Positions of the first and last event written (absent when nothing new was written). */
  fromPosition?: number;
  toPosition?: number;
}

/** What a sandbox wrote to the store. */
type Written = Pick<ScenarioResult, 'eventsWritten' | 'fromPosition' | 'toPosition'>;

/**
 * Reads and checks the file's shape. Entries without a commandId get one derived from the file's
 * content and the entry's index, so applying the same file twice books it once.
 */
export function parseScenario(text: string): { fundId: string; commands: ScenarioCommand[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ScenarioFormatError(`The scenario is not valid JSON: ${(error as Error).message}`);
  }
  const file = parsed as Partial<ScenarioFile>;
  if (typeof file !== 'object' || file === null || typeof file.fundId !== 'string' || !FUND_ID.test(file.fundId)) {
    throw new ScenarioFormatError('The scenario needs "fundId": 1-32 lowercase letters, digits or "-"');
  }
  if (!Array.isArray(file.commands) || file.commands.length === 0) throw new ScenarioFormatError('The scenario needs a non-empty "commands" array');
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const commands = file.commands.map((entry, index): ScenarioCommand => {
    const where = `Command ${index}`;
    if (typeof entry !== 'object' || entry === null) throw new ScenarioFormatError(`${where} is not an object`);
    const type = entry.type as AnyCommand['type'];
    // Only the catalog's own keys: "constructor" or "__proto__" is an unknown type, not Object's.
    const catalogued = typeof type === 'string' ? commandEntry(type) : undefined;
    if (!catalogued) throw new ScenarioFormatError(`${where} has unknown type ${JSON.stringify(entry.type)}; known: ${COMMAND_TYPES.join(', ')}`);
    // The command's data fields, but the fund's id, which the file gives once.
    const fields = Object.keys(catalogued.data).filter((f) => f !== 'fundId');
    for (const key of ['effectiveDate', 'actor'] as const) {
      if (typeof entry[key] !== 'string') throw new ScenarioFormatError(`${where} (${type}) needs "${key}" as a string`);
    }
    const unknown = Object.keys(entry).filter((k) => !METADATA_FIELDS.includes(k) && !fields.includes(k));
    if (unknown.length > 0) throw new ScenarioFormatError(`${where} (${type}) has fields ${type} does not take: ${unknown.join(', ')}`);
    const data = Object.fromEntries(fields.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
    if (Object.hasOwn(catalogued.data, 'fundId')) data.fundId = file.fundId;
    const commandId = typeof entry.commandId === 'string' ? entry.commandId : `scenario-${digest}-${index}`;
    if (entry.recordedAt !== undefined && (typeof entry.recordedAt !== 'string' || Number.isNaN(Date.parse(entry.recordedAt)))) {
      throw new ScenarioFormatError(`${where} (${type}) has "recordedAt" that is not an ISO timestamp`);
    }
    const command = { type, data, metadata: { actor: entry.actor as string, effectiveDate: entry.effectiveDate as string, commandId } } as ScenarioCommand;
    if (typeof entry.recordedAt === 'string') command.recordedAt = new Date(entry.recordedAt).toISOString();
    return command;
  });
  return { fundId: file.fundId, commands };
}

/**
 * Decides every command of a scenario against an overlay of the log, and writes only if all
 * pass: on SQLite in one transaction, behind whatever other writers appended meanwhile (the
 * positions its events refer to moved with it), refused only if what it was decided on changed.
 */
@Injectable()
export class ScenarioService {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  /**
   * `importedBy`: the principal importing the file. Its events keep each command's declared actor;
   * a ScenarioImported event on the fund's imports stream, written in the same batch, names the
   * importer and the positions written, and the audit trail shows it beside the actor.
   */
  async apply(
    text: string,
    onProgress?: (done: number, total: number) => void | Promise<void>,
    options: { importedBy?: string } = {},
  ): Promise<ScenarioResult> {
    const { fundId, commands } = parseScenario(text);
    const digest = createHash('sha256').update(text).digest('hex');
    return this.applyCommands(fundId, commands, onProgress, options.importedBy === undefined ? undefined : { importedBy: options.importedBy, digest });
  }

  /** The commands of a scenario, decided in a sandbox, written all or nothing. */
  async applyCommands(
    fundId: string,
    commands: readonly ScenarioCommand[],
    onProgress?: (done: number, total: number) => void | Promise<void>,
    imported?: ImportRecord,
  ): Promise<ScenarioResult> {
    const { written } = await this.inSandbox(fundId, imported, async (run) => {
      for (const [index, command] of commands.entries()) {
        try {
          await run(command);
        } catch (error) {
          if (error instanceof Rejection) throw new ScenarioRejectedError(index, command.type, error);
          throw error;
        }
        await onProgress?.(index + 1, commands.length);
      }
    });
    return { fundId, commands: commands.length, ...written };
  }

  /**
   * Runs `work` against an overlay of the store (reads go through to the store as it stood when
   * the work began; new events are buffered), then writes every event it added in one atomic
   * batch, behind whatever was appended meanwhile (see writeOver). When what the work read
   * changed, it is stale and runs again on a fresh overlay, up to `ATTEMPTS` times. A command's
   * `recordedAt`, when given, is the overlay clock's reading for it.
   */
  async inSandbox<T>(
    fundId: string,
    imported: ImportRecord | undefined,
    work: (run: (command: ScenarioCommand) => Promise<CommandResult>) => Promise<T>,
  ): Promise<{ value: T; written: Written }> {
    // Events an earlier attempt wrote on a store without atomic batches: a later failure must say so.
    const progress = { events: 0 };
    try {
      return await this.attempts(fundId, imported, work, progress);
    } catch (error) {
      if (progress.events > 0 && !(error instanceof ScenarioPartlyWrittenError)) throw new ScenarioPartlyWrittenError(fundId, progress.events, error as Error);
      throw error;
    }
  }

  private async attempts<T>(
    fundId: string,
    imported: ImportRecord | undefined,
    work: (run: (command: ScenarioCommand) => Promise<CommandResult>) => Promise<T>,
    progress: { events: number },
  ): Promise<{ value: T; written: Written }> {
    for (let attempt = 1; ; attempt++) {
      let recordedAt: string | undefined;
      const overlay = await OverlayEventStore.over(this.store, { now: () => recordedAt ?? new Date().toISOString() });
      // Its own follower over the sandbox: read from the store's snapshot, never written to it.
      let service: FundCommandService | undefined = new FundCommandService(overlay, new FundFollower(overlay, false));
      const value = await work((command) => {
        recordedAt = command.recordedAt;
        return service!.execute(fundId, command);
      });
      // Its folds (a million LPs for the demo) need not outlive the deciding.
      service = undefined;
      const added = overlay.added();
      if (added.length === 0) return { value, written: { eventsWritten: 0 } };
      // What the deciders made reads back as the events it claims to be, before any is written.
      added.forEach(decodedEvent);
      const written = this.store.atomicBatches
        ? await this.writeOver(fundId, overlay.basePosition, added, imported)
        : await this.writeInOrder(fundId, overlay.basePosition, added, imported, progress);
      if (written) return { value, written };
      if (attempt === ATTEMPTS) throw new ScenarioConflictError(fundId, ATTEMPTS);
    }
  }

  /**
   * Writes the added events in one atomic batch behind whatever was appended since `base`, the
   * positions they name moved with them inside the write (so no writer can slip in between and
   * no head is chased). Undefined, nothing written, when what they were decided on changed
   * since `base`: the fund's own stream, a stream the batch writes (an LP it commits for), or,
   * when a close counts the batch's own commitments, any stream of the fund (a commitment in
   * between would be counted by a close that did not decide on it). Other funds, and the fund's
   * other LPs otherwise, only move the head.
   */
  private async writeOver(fundId: string, base: number, added: readonly StoredEvent[], imported?: ImportRecord): Promise<Written | undefined> {
    const streams = new Set(added.map((e) => e.stream)).add(fundStream(fundId));
    const prefixes = added.some((e) => namesPositionAfter(e, base)) ? [`${fundStream(fundId)}.`] : [];
    let head = base;
    const requests = (at: number): Iterable<AppendRequest> => {
      head = at;
      const moved = toRequests(added, base, (position) => position + at - base);
      const marker = imported && importMarker(fundId, imported, added.length, at + 1, at + added.length);
      return marker ? withLast(moved, marker) : moved;
    };
    try {
      await this.store.appendBatch(requests, { unchangedSince: { position: base, streams, prefixes }, omitEvents: true });
    } catch (error) {
      if (error instanceof StreamChangedError || error instanceof WrongExpectedRevisionError) return undefined;
      throw error;
    }
    return { eventsWritten: added.length, fromPosition: head + 1, toPosition: head + added.length };
  }

  /**
   * A store without atomic batches (EventStoreDB): the appends in order, each with the revision
   * it was decided at, a close's `throughPosition` mapped to where the events it counts were
   * written. Not atomic: an append that fails leaves the ones before it written. A concurrent
   * writer on the fund's own stream or a stream the file writes (a revision that moved), or any
   * event of another writer in the fund's streams before a close is written (a commitment it would
   * count without having decided on it), sends the file back to be decided again on the log as it now stands, where the
   * commands already written are recognised by their ids and write nothing; any other failure
   * says how far it got, and applying the same file again writes the rest. Undefined when the
   * file is to be decided again; `progress` counts the events written.
   */
  private async writeInOrder(
    fundId: string,
    base: number,
    added: readonly StoredEvent[],
    imported: ImportRecord | undefined,
    progress: { events: number },
  ): Promise<Written | undefined> {
    const ours = new Set<string>();
    let checkedFrom = base + 1;
    /** Whether another writer added to the fund's streams since the last look. */
    const othersWrote = async (): Promise<boolean> => {
      for await (const event of this.store.readAll({ fromPosition: checkedFrom, streamPrefix: fundStream(fundId) })) {
        if (!ours.has(event.id) && isFundStream(fundId, event.stream)) return true;
        checkedFrom = event.position + 1;
      }
      return false;
    };
    // What the file was decided on; the fund's other LPs matter only to a close (looked at before each).
    const decidedOn = new Set(added.map((e) => e.stream)).add(fundStream(fundId));
    for await (const event of this.store.readAll({ fromPosition: base + 1, streamPrefix: fundStream(fundId) }))
      if (decidedOn.has(event.stream)) return undefined;
    const written = new Map<number, number>();
    const whereWritten = (position: number): number => {
      const real = written.get(position);
      if (real === undefined) throw new Error(`A close counts position ${position} of the scenario, which was not written as an append's last event`);
      return real;
    };
    let appends = 0;
    let fromPosition: number | undefined;
    let toPosition = base;
    let done = 0;
    try {
      for (const request of toRequests(added, base, whereWritten)) {
        if (request.events.some((e) => e.type === 'CloseHeld') && (await othersWrote())) return undefined;
        const result = await this.store.append(request.stream, request.events, request);
        for (const e of request.events) ours.add(e.id!);
        const decided = added[done + request.events.length - 1].position;
        done += request.events.length;
        progress.events += request.events.length;
        written.set(decided, result.position);
        result.events?.forEach((e, i) => written.set(added[done - request.events.length + i].position, e.position));
        fromPosition ??= result.events?.[0]?.position ?? result.position;
        toPosition = result.position;
        appends++;
      }
      if (imported) await this.store.append(importsStream(fundId), importMarker(fundId, imported, added.length, fromPosition!, toPosition).events);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return undefined;
      throw new ScenarioPartlyWrittenError(fundId, progress.events, error as Error, { events: added.length, appends });
    }
    return { eventsWritten: added.length, fromPosition, toPosition };
  }
}

/** A store without atomic batches failed part way: the events before the failure are written. */
export class ScenarioPartlyWrittenError extends Error {
  readonly code = 'PARTLY_WRITTEN';
  constructor(
    fundId: string,
    /** At least these (an append the store failed to acknowledge may be written too). */
    readonly eventsWritten: number,
    readonly failure: Error,
    readonly attempt?: { events: number; appends: number },
  ) {
    super(
      `Fund ${fundId}: at least ${eventsWritten}${attempt ? ` of ${attempt.events}` : ''} events were written${attempt ? ` (${attempt.appends} appends, in order)` : ''} before it stopped: ${failure.message}. ` +
        'This store cannot write them all or none; apply the same file again to write the rest (the commands already written are recognised by their ids).',
    );
  }
}

/** Who imports a scenario file, and the file's SHA-256. */
export interface ImportRecord {
  importedBy: string;
  digest: string;
}

/** The record of an import: the importer, the file and the positions its events took. */
function importMarker(fundId: string, imported: ImportRecord, events: number, fromPosition: number, toPosition: number): AppendRequest {
  return {
    stream: importsStream(fundId),
    events: [
      versioned({
        type: 'ScenarioImported',
        data: { fundId, importedBy: imported.importedBy, sha256: imported.digest, eventCount: events, fromPosition, toPosition },
        metadata: { actor: imported.importedBy, effectiveDate: new Date().toISOString().slice(0, 10) },
      }),
    ],
  };
}

function* withLast<T>(items: Iterable<T>, last: T): Generator<T> {
  yield* items;
  yield last;
}

/** How many times a scenario is decided again when its fund's log keeps changing under it. */
const ATTEMPTS = 5;

/** The fund's log kept changing while the scenario was being decided: nothing was written. */
export class ScenarioConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(fundId: string, attempts: number) {
    super(`Fund ${fundId} kept changing while the scenario was being decided; gave up after ${attempts} attempts. Nothing was written. Try again.`);
  }
}

/**
 * Consecutive events of one stream and one command become one append, at the revision they had.
 * A close's `throughPosition` that pointed into the batch (after `base`) is moved to where the
 * event it names was written (`moved`), each request made only once those before it are written.
 */
function* toRequests(events: readonly StoredEvent[], base: number, moved: (position: number) => number): Generator<AppendRequest> {
  for (const group of appendGroups(events)) yield reappend(group, (position) => (position > base ? moved(position) : position));
}
