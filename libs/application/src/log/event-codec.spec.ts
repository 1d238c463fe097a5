import { EventShapeError, type CapitalCalled } from '@fundsim/domain';
import type { NewEvent, StoredEvent } from '@fundsim/event-store';
import { asRecorded, decodeStored, STORE_CODEC, versioned, type ScenarioImported } from './event-codec';

const stored = (type: string, data: object, schemaVersion?: number): StoredEvent => ({
  id: 'e',
  stream: 'fund-usjp',
  revision: 0,
  position: 17,
  type,
  data: data as StoredEvent['data'],
  metadata: { actor: 'a', effectiveDate: '2026-06-30', recordedAt: '2026-06-30T00:00:00Z', ...(schemaVersion ? { schemaVersion } : {}) },
  hash: '',
});
const call: CapitalCalled['data'] = {
  callNumber: 1,
  percentage: '0.25',
  dueDate: '2026-07-31',
  admittedUsd: '1000.00',
  totalUsd: '250.00',
  lpCount: 2,
  split: { remainderAbove: '3', tiedThrough: 'lp-a' },
};
const imported = { fundId: 'usjp', importedBy: 'os:alice', sha256: 'ab12', fromPosition: 3, toPosition: 9 };

describe('the store codec', () => {
  it('decodes a well-formed event as it is (no copy), and a legacy call without its split', () => {
    const event = stored('CapitalCalled', call);
    expect(decodeStored(event)).toBe(event.data);
    const { split: _none, ...legacy } = call;
    expect(asRecorded(stored('CapitalCalled', legacy))).toMatchObject({ type: 'CapitalCalled', data: legacy, metadata: { eventId: 'e', position: 17 } });
  });

  it.each([
    ['percentage', 0.25, 'data.percentage must be a decimal string, got 0.25'],
    ['percentage', '25%', 'data.percentage must be a decimal string, got "25%"'],
    ['dueDate', '2026-13-01', 'data.dueDate must be an ISO date (YYYY-MM-DD), got "2026-13-01"'],
    ['callNumber', -1, 'data.callNumber must be an integer >= 0, got -1'],
    ['totalUsd', undefined, 'data.totalUsd is missing'],
    ['split', { remainderAbove: 3 }, 'data.split.remainderAbove must be a decimal string, got 3'],
    ['purposes', { investment: '1' }, 'data.purposes.investment is not a field of this event'],
    ['percentge', '0.25', 'data.percentge is not a field of this event'],
  ])('names the field: %s = %j', (field, value, reason) => {
    expect(() => decodeStored(stored('CapitalCalled', { ...call, [field]: value }))).toThrow(new EventShapeError('event 17', 'CapitalCalled', reason));
  });

  it('names a bad enum, a replacement that is not its event, an unknown type and a version from a newer fundsim', () => {
    const commitment = { fundId: 'usjp', lpId: 'a', kind: 'retail', country: 'US', amount: '1.00', currency: 'USD', amountUsd: '1.00' };
    expect(() => decodeStored(stored('CapitalCommitted', { ...commitment, currency: 'EUR' }))).toThrow('data.currency must be one of USD, JPY, got "EUR"');
    const reversal = {
      eventId: 'x',
      reversedType: 'ProjectValued',
      reason: '',
      replacement: { type: 'ProjectValued', data: { projectId: 'p', fairValue: 5 } },
    };
    expect(() => decodeStored(stored('EventReversed', reversal))).toThrow(
      'event 17 (EventReversed): data.replacement (ProjectValued): data.replacement.data.fairValue must be a decimal string, got 5',
    );
    expect(() => decodeStored(stored('CapitalCalledd', call))).toThrow(/event 17 \(CapitalCalledd\): not an event type this fundsim knows/);
    expect(() => decodeStored(stored('CapitalCalled', call, 9))).toThrow(/written at version 9; this fundsim reads CapitalCalled up to version 1/);
  });

  it('upcasts a ScenarioImported of version 1 (events) to version 2 (eventCount), and reads version 2 as it is', () => {
    expect(STORE_CODEC.versionOf('ScenarioImported')).toBe(2);
    expect(decodeStored<ScenarioImported>(stored('ScenarioImported', { ...imported, events: 7 }))).toEqual({ ...imported, eventCount: 7 });
    expect(decodeStored<ScenarioImported>(stored('ScenarioImported', { ...imported, eventCount: 7 }, 2))).toEqual({ ...imported, eventCount: 7 });
    // Version 1's shape is checked before its upcaster runs: a version 2 event written without its version is refused.
    expect(() => decodeStored(stored('ScenarioImported', { ...imported, eventCount: 7 }))).toThrow('data.events is missing (version 1)');
  });

  it("stamps a new event with its type's current version, and refuses a type it has no schema for or data its shape refuses", () => {
    const metadata: NewEvent['metadata'] = { actor: 'a', effectiveDate: '2026-01-01' };
    const imported = { fundId: 'usjp', importedBy: 'admin', sha256: 'ab'.repeat(32), eventCount: 3, fromPosition: 1, toPosition: 3 };
    const event: NewEvent = { type: 'ScenarioImported', data: imported, metadata };
    expect(versioned(event).metadata.schemaVersion).toBe(2);
    const called = { callNumber: 1, percentage: '0.1', dueDate: '2026-02-01', admittedUsd: '100.00', totalUsd: '10.00', lpCount: 2 };
    expect(versioned({ type: 'CapitalCalled', data: called, metadata }).metadata.schemaVersion).toBe(1);
    expect(() => versioned({ ...event, type: 'Unknown' })).toThrow(/No schema for Unknown/);
    // What would not read back is not written: a 422 with the field, before any append.
    expect(() => versioned({ type: 'CapitalCalled', data: { ...called, percentage: 0.1 }, metadata })).toThrow(
      expect.objectContaining({ code: 'INVALID_FORMAT', message: expect.stringMatching(/percentage.*nothing was written/) }),
    );
  });

  it('decodes commitments fast enough for the read path', () => {
    const event = stored('CapitalCommitted', {
      fundId: 'usjp',
      lpId: 'lp-1',
      kind: 'retail',
      country: 'US',
      amount: '1000.00',
      currency: 'USD',
      amountUsd: '1000.00',
    });
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) decodeStored(event);
    const nsPerEvent = Number(process.hrtime.bigint() - start) / 200_000;
    console.log(`decode: ${nsPerEvent.toFixed(0)} ns per CapitalCommitted`);
    expect(nsPerEvent).toBeLessThan(5_000);
  });
});
