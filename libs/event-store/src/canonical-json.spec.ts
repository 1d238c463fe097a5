import { canonicalJson, serializeData } from './canonical-json';
import { canonicalEventJson, storedMetadata } from './hash-chain';

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, u: undefined })).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
    expect(canonicalJson([undefined, 2])).toBe('[null,2]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('equals JSON.stringify of a value whose keys are already sorted', () => {
    const value = { amount: '10000.00', currency: 'USD', nested: { a: [1, { b: 'é"\\n' }] } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it('stores data canonically, refusing what JSON would silently change', () => {
    expect(serializeData({ b: '1', a: [1, { d: null, c: 2 }] })).toBe('{"a":[1,{"c":2,"d":null}],"b":"1"}');
    expect(serializeData({ a: [1, { c: 2, d: null }], b: '1' })).toBe('{"a":[1,{"c":2,"d":null}],"b":"1"}');
    expect(serializeData({ 9: 'x', 10: 'y', a: undefined })).toBe(canonicalJson({ 10: 'y', 9: 'x' }));
    expect(() => serializeData({ nested: { x: Number.POSITIVE_INFINITY } })).toThrow(/non-finite/);
    expect(() => serializeData({ list: [Number.NaN] })).toThrow(/non-finite/);
    expect(() => serializeData({ f: () => 1 })).toThrow(/function/);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ x: 10n })).toThrow(/bigint/);
  });

  it('writes a whole event exactly as canonicalJson would, metadata included', () => {
    const metadata = storedMetadata(
      { actor: 'jp-mof', effectiveDate: '2027-06-30', correlationId: 'c', commandId: 'k', causationId: null },
      '2027-07-01T00:00:00.000Z',
    );
    const fields = { id: 'e1', stream: 'fund-usjp', revision: 3, position: 17, type: 'CloseHeld', metadata };
    const data = { z: '1', a: ['b'] };
    expect(canonicalEventJson({ ...fields, dataJson: canonicalJson(data) })).toBe(canonicalJson({ ...fields, data }));
  });

  it('writes a schema version only where the event has one, so links of events written before versions are unchanged', () => {
    const base = { id: 'e1', stream: 'lp-1', revision: 0, position: 1, type: 'CapitalCommitted', dataJson: '{}' };
    const unversioned = storedMetadata({ actor: 'a', effectiveDate: '2026-01-01', schemaVersion: null }, '2026-01-01T00:00:00.000Z');
    // The text as written before versions existed: the chain over an old log verifies as before.
    expect(canonicalEventJson({ ...base, metadata: unversioned })).toBe(
      '{"data":{},"id":"e1","metadata":{"actor":"a","effectiveDate":"2026-01-01","recordedAt":"2026-01-01T00:00:00.000Z"},"position":1,"revision":0,"stream":"lp-1","type":"CapitalCommitted"}',
    );
    const versioned = { ...base, metadata: storedMetadata({ actor: 'a', effectiveDate: '2026-01-01', schemaVersion: 2 }, '2026-01-01T00:00:00.000Z') };
    expect(canonicalEventJson(versioned)).toBe(canonicalJson({ ...base, dataJson: undefined, data: {}, metadata: versioned.metadata }));
    expect(canonicalEventJson(versioned)).toContain('"schemaVersion":2}');
  });
});
