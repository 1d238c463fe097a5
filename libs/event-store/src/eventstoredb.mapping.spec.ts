import {
  ANY,
  AccessDeniedError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { prepareAppend } from './append-plan';
import { StoreUnavailableError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import {
  expectedLinkHash,
  fromEsdbEvent,
  isSupportedServerVersion,
  mapEsdbError,
  toEsdbEvent,
  toEsdbExpectedRevision,
  type EsdbMetadata,
} from './eventstoredb.mapping';
import { GENESIS_HASH } from './hash-chain';
import { commitmentEvent } from './testing/fixtures';

const now = () => '2026-04-01T09:00:00.000Z';

describe('EventStoreDB mapping', () => {
  it('maps expected revisions to the client constants', () => {
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream-exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
  });

  it('writes $correlationId, $causationId and the chain link in metadata, and reads them back', () => {
    const plan = prepareAppend('lp-1', [commitmentEvent('lp-1', '10.00', { causationId: 'cause', commandId: 'cmd' })], 'any', now());
    const written = toEsdbEvent('lp-1', 0, GENESIS_HASH, plan.events[0]);
    const metadata = written.metadata as EsdbMetadata;
    expect(metadata).toMatchObject({
      actor: 'platform',
      effectiveDate: '2026-03-31',
      recordedAt: now(),
      $correlationId: 'corr-lp-1',
      $causationId: 'cause',
      commandId: 'cmd',
      previousHash: GENESIS_HASH,
    });
    expect(metadata).not.toHaveProperty('correlationId');
    expect(written.id).toBe(plan.events[0].id);

    const recorded = {
      streamId: 'lp-1',
      id: written.id!,
      isJson: true as const,
      revision: 0n,
      type: written.type,
      created: new Date(),
      data: written.data,
      metadata,
      position: { commit: 1000n, prepare: 1024n },
    };
    const event = fromEsdbEvent(recorded);
    expect(event).toMatchObject({
      stream: 'lp-1',
      revision: 0,
      position: 1024,
      data: { amount: '10.00' },
      metadata: { correlationId: 'corr-lp-1', causationId: 'cause', commandId: 'cmd' },
    });
    expect(expectedLinkHash(GENESIS_HASH, event)).toBe(metadata.hash);
    expect(expectedLinkHash(GENESIS_HASH, { ...event, data: { ...event.data, amount: '11.00' } })).not.toBe(metadata.hash);
  });

  it('maps the client errors to the port errors, connection failures to one line saying what to change', () => {
    const where = 'esdb://db:2113?tls=false';
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 'lp-1', expected: 3n, current: 5n } as never);
    expect(mapEsdbError(wrong, 'lp-1', where, 3)).toMatchObject({ constructor: WrongExpectedRevisionError, expected: 3, actual: 5 });
    const none = new WrongExpectedVersionError(undefined, { streamName: 'lp-1', expected: STREAM_EXISTS, current: NO_STREAM } as never);
    expect(mapEsdbError(none, 'lp-1', where, 'stream-exists')).toMatchObject({ actual: 'no-stream' });
    expect(mapEsdbError(new EsdbStreamNotFoundError(undefined, 'lp-9'), 'lp-9', where)).toBeInstanceOf(StreamNotFoundError);
    expect(mapEsdbError(EsdbStreamDeletedError.fromStreamName('lp-8'), 'lp-8', where)).toMatchObject({
      constructor: StreamDeletedError,
      code: 'STREAM_DELETED',
      stream: 'lp-8',
    });
    const down = mapEsdbError(new UnavailableError(undefined, '14 UNAVAILABLE: No connection established\n  at ...'), 'lp-1', where) as StoreUnavailableError;
    expect(down).toBeInstanceOf(StoreUnavailableError);
    expect(down.message).toBe(
      `EventStoreDB at ${where} does not answer (14 UNAVAILABLE: No connection established); check that it runs and that FUNDSIM_STORE names it`,
    );
    expect((mapEsdbError(new AccessDeniedError(undefined, 'denied'), 'lp-1', where) as Error).message).toContain('refused access');
    const other = new Error('a bug');
    expect(mapEsdbError(other, 'lp-1', where)).toBe(other);
  });

  it('supports EventStoreDB 22.10 and later, and KurrentDB; refuses older or unknown servers', () => {
    for (const ok of ['22.10.0', '23.10.1', '24.10.0-rc1', '25.0.0']) expect([ok, isSupportedServerVersion(ok)]).toEqual([ok, true]);
    for (const old of ['21.10.9', '22.6.0', '', 'unknown']) expect([old, isSupportedServerVersion(old)]).toEqual([old, false]);
  });
});
