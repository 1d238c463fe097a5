import { evolveInvestors, InvestorLedger, type InvestorLedgerEvent } from './investor-ledger';

/** A small seeded history: commitments in both currencies, reversals, and closes that scale back. */
function history(seed: number, length: number): InvestorLedgerEvent[] {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const events: InvestorLedgerEvent[] = [];
  const pending: string[] = [];
  let closes = 0;
  for (let position = 1; position <= length; position++) {
    const r = random();
    const id = `e-${position}`;
    if (r < 0.75) {
      const lp = Math.floor(random() * 40);
      const jpy = lp % 3 === 0;
      const usd = `${100 + Math.floor(random() * 10_000)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
      const amount = jpy ? String(Math.round(Number(usd) * 150)) : usd;
      events.push({
        id,
        type: 'CapitalCommitted',
        position,
        metadata: { effectiveDate: '2026-03-01' },
        data: { lpId: `lp-${lp}`, kind: lp < 2 ? 'sovereign' : 'retail', country: jpy ? 'JP' : 'US', currency: jpy ? 'JPY' : 'USD', amount, amountUsd: usd },
      });
      pending.push(id);
    } else if (r < 0.85 && pending.length > 0) {
      const target = pending.splice(Math.floor(random() * pending.length), 1)[0];
      events.push({
        id,
        type: 'EventReversed',
        position,
        metadata: { effectiveDate: '2026-03-01' },
        data: { eventId: target, reversedType: 'CapitalCommitted', reason: 'test' },
      });
    } else {
      // Admit a random share of what is pending (sometimes all of it), as a close at the cap would.
      const probe = new InvestorLedger();
      for (const e of events) evolveInvestors(probe, e);
      const { cents, throughPosition } = probe.pendingSummary();
      if (throughPosition === 0) continue;
      const admitted = random() < 0.5 ? cents : (cents * BigInt(Math.floor(random() * 100))) / 100n;
      events.push({
        id,
        type: 'CloseHeld',
        position,
        metadata: { effectiveDate: '2026-06-30' },
        data: { closeNumber: ++closes, throughPosition, admittedUsd: `${admitted / 100n}.${String(admitted % 100n).padStart(2, '0')}` },
      });
      pending.length = 0;
    }
  }
  return events;
}

const fold = (events: readonly InvestorLedgerEvent[], ledger = new InvestorLedger()) => {
  for (const e of events) evolveInvestors(ledger, e);
  return ledger;
};

/** Everything the deciders and the projections ask of a ledger. */
function observe(ledger: InvestorLedger) {
  const summary = ledger.pendingSummary();
  return {
    summary,
    admission: ledger.admission(summary.throughPosition, summary.cents / 2n).map((a) => [a.lp.lpId, a.cents, a.local]),
    call: ledger.callSplit({ numerator: 7n, denominator: 100n }),
    admitted: ledger.admittedSorted().map((lp) => ({ ...lp })),
    count: ledger.admittedCount,
    closes: ledger.closesApplied,
    lps: [...ledger.lps.values()].map((lp) => ({ ...lp })),
  };
}

describe('InvestorLedger snapshots', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('restores a ledger that answers and folds on exactly like the original (seed %i)', (seed) => {
    const events = history(seed, 400);
    for (const cut of [0, 57, 200, 399]) {
      const original = fold(events.slice(0, cut));
      const restored = InvestorLedger.fromSnapshot(JSON.parse(JSON.stringify(original.toSnapshot())));
      expect(observe(restored)).toEqual(observe(original));
      for (const e of events.slice(cut, cut + 20))
        if (e.type === 'EventReversed')
          expect(restored.pendingCommitment((e.data as { eventId: string }).eventId)).toEqual(
            original.pendingCommitment((e.data as { eventId: string }).eventId),
          );
      fold(events.slice(cut), original);
      fold(events.slice(cut), restored);
      expect(observe(restored)).toEqual(observe(original));
      expect(restored.toSnapshot()).toEqual(original.toSnapshot());
    }
  });

  it('refuses a snapshot of another version or whose columns do not hang together', () => {
    const snapshot = fold(history(9, 200)).toSnapshot();
    expect(() => InvestorLedger.fromSnapshot({ ...snapshot, version: 99 })).toThrow(/version 99/);
    expect(() => InvestorLedger.fromSnapshot({ ...snapshot, lps: { ...snapshot.lps, cents: snapshot.lps.cents.slice(1) } })).toThrow(/differ in length/);
    expect(() => InvestorLedger.fromSnapshot({ ...snapshot, lps: { ...snapshot.lps, ids: snapshot.lps.ids.map(() => 'same') } })).toThrow(/duplicate/);
  });
});

describe('a close admits only the commitments dated on or before it (issue 24)', () => {
  const dated = (lpId: string, cents: string, position: number, effectiveDate: string): InvestorLedgerEvent => ({
    id: `c-${lpId}`,
    type: 'CapitalCommitted',
    data: { fundId: 'usjp', lpId, kind: 'retail', country: 'US', amount: cents, currency: 'USD', amountUsd: cents },
    position,
    metadata: { effectiveDate },
  });
  const close = (closeNumber: number, admittedUsd: string, throughPosition: number, admitsThroughDate?: string): InvestorLedgerEvent => ({
    id: `close-${closeNumber}`,
    type: 'CloseHeld',
    data: { closeNumber, throughPosition, admittedUsd, ...(admitsThroughDate ? { admitsThroughDate } : {}) },
    position: throughPosition + 100,
    metadata: { effectiveDate: admitsThroughDate ?? '2026-06-30' },
  });

  it("one platform's commitment dated ahead keeps out no one else's: it waits for the close on or after its date", () => {
    const ledger = new InvestorLedger();
    // b is dated after the close; a, c and d (all platforms') are dated before it, c and d recorded after b.
    for (const e of [
      dated('a', '100.00', 1, '2026-06-01'),
      dated('b', '50.00', 2, '2026-09-30'),
      dated('c', '25.00', 3, '2026-06-15'),
      dated('d', '5.00', 4, '2026-06-20'),
    ])
      evolveInvestors(ledger, e);
    expect(ledger.pendingSummary('2026-06-30')).toEqual({ count: 3, cents: 13000n, throughPosition: 4 });
    evolveInvestors(ledger, close(1, '130.00', 4, '2026-06-30'));
    expect(['a', 'b', 'c', 'd'].map((id) => ledger.lp(id)!.close)).toEqual([1, 0, 1, 1]);
    expect(ledger.pendingSummary()).toEqual({ count: 1, cents: 5000n, throughPosition: 2 });
    expect(ledger.pendingCommitment('c-b')).toMatchObject({ lpId: 'b', effectiveDate: '2026-09-30' });
    // Restored from a snapshot, the same; the next close on or after its date admits it.
    const restored = InvestorLedger.fromSnapshot(JSON.parse(JSON.stringify(ledger.toSnapshot())));
    for (const l of [ledger, restored]) {
      evolveInvestors(l, dated('e', '7.00', 5, '2026-09-01'));
      expect(l.pendingSummary('2026-09-30')).toEqual({ count: 2, cents: 5700n, throughPosition: 5 });
      evolveInvestors(l, close(2, '57.00', 5, '2026-09-30'));
      expect(['b', 'e'].map((id) => l.lp(id)!.close)).toEqual([2, 2]);
      expect(l.pendingSummary()).toEqual({ count: 0, cents: 0n, throughPosition: 0 });
    }
  });

  it('a close recorded before the rule (no admitsThroughDate) admits what it admitted then, whatever the date', () => {
    const ledger = new InvestorLedger();
    for (const e of [dated('a', '100.00', 1, '2026-06-01'), dated('b', '50.00', 2, '2026-09-30')]) evolveInvestors(ledger, e);
    evolveInvestors(ledger, close(1, '150.00', 2));
    expect(['a', 'b'].map((id) => ledger.lp(id)!.close)).toEqual([1, 1]);
  });
});
