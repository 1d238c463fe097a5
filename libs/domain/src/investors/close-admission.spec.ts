import fc from 'fast-check';
import { formatCents } from '../cents';
import { largestRemainder } from '../largest-remainder';
import { decideClose } from '../fund/fund.decider';
import { evolveFund, initialFundState, type FundState } from '../fund/fund.state';
import { at, closeHeld, usJapanFundEstablished } from '../testing/fund-fixtures';
import { CloseAdmission } from './close-admission';
import { InvestorLedger, type CommitmentTerms } from './investor-ledger';

/** Commitments of a few LPs (some LPs twice), with amounts from a small set so that LPs tie. */
const commitments = fc.array(
  fc.record({ lp: fc.integer({ min: 0, max: 30 }), cents: fc.constantFrom(100_000, 150_000, 250_050, 333_333, 1_000_001), jpy: fc.boolean() }),
  { minLength: 1, maxLength: 60 },
);

const terms = (lp: number, cents: number, jpy: boolean): CommitmentTerms => ({
  lpId: `lp-${String(lp).padStart(2, '0')}`,
  kind: lp < 2 ? 'sovereign' : 'retail',
  country: jpy ? 'JP' : 'US',
  currency: jpy ? 'JPY' : 'USD',
  amount: jpy ? String(Math.round(cents * 1.5)) : formatCents(BigInt(cents)),
  amountUsd: formatCents(BigInt(cents)),
});

function ledgerOf(list: { lp: number; cents: number; jpy: boolean }[]): InvestorLedger {
  const ledger = new InvestorLedger();
  // An LP keeps its first currency.
  const currency = new Map<number, boolean>();
  list.forEach((c, i) => {
    const jpy = currency.get(c.lp) ?? c.jpy;
    currency.set(c.lp, jpy);
    ledger.addCommitment(`e-${i}`, terms(c.lp, c.cents, jpy), i + 1, '2026-06-01');
  });
  return ledger;
}

/** A fund whose first close admitted 1,000.00 and called 15% of it: a later close charges catch-up and interest. */
function fundAfterACall(room: string): FundState {
  const hardCap = formatCents(BigInt(room.replace('.', '')) + 100_000n);
  return [
    usJapanFundEstablished(hardCap),
    closeHeld(1, '2026-03-01', '1000.00', 0),
    at('2026-04-01', {
      type: 'CapitalCalled',
      data: { callNumber: 1, percentage: '0.15', dueDate: '2026-04-15', admittedUsd: '1000.00', totalUsd: '150.00', lpCount: 1 },
    }),
  ].reduce(evolveFund, initialFundState());
}

describe('a close admits by one rule: all pending, or each LP its largest-remainder share of the room', () => {
  it('scales back exactly as largest remainder over the LPs pending, ties by LP id', () => {
    fc.assert(
      fc.property(commitments, fc.integer({ min: 0, max: 100 }), (list, percent) => {
        const set = ledgerOf(list).pendingOn('2026-06-30');
        const room = (set.summary.cents * BigInt(percent)) / 100n;
        const admission = new CloseAdmission(set, room);
        const expected = largestRemainder(
          room,
          set.lps.map((p) => ({ key: p.lp.lpId, weight: BigInt(p.cents) })),
        );
        for (const a of admission.all()) expect(BigInt(a.cents)).toBe(expected.get(a.lp.lpId));
        // The histogram of what it admits is the LPs' admitted amounts counted.
        const counted = new Map<number, number>();
        for (const a of admission.all()) counted.set(a.cents, (counted.get(a.cents) ?? 0) + 1);
        expect(new Map([...admission.histogram()].sort())).toEqual(new Map([...counted].sort()));
      }),
      { numRuns: 300 },
    );
  });

  it('decides the same close over a set with a commitment added as over the ledger that recorded it', () => {
    fc.assert(
      // The commitment of a new LP (99), or of one already pending (5): its pending total grows.
      fc.property(
        commitments,
        fc.constantFrom(100_000, 150_000, 777_777),
        fc.boolean(),
        fc.integer({ min: 50, max: 110 }),
        fc.constantFrom(5, 99),
        (list, cents, jpyIfNew, percent, lpNumber) => {
          const ledger = ledgerOf(list);
          const known = ledger.lp(`lp-${String(lpNumber).padStart(2, '0')}`);
          const jpy = known ? known.currency === 'JPY' : jpyIfNew;
          const base = ledger.pendingOn('2026-06-30');
          // Some of the ties' ids order: asked of the base first, as a kept set has it.
          base.byId();
          const added = terms(lpNumber, cents, jpy);
          const { set, added: mine } = base.withCommitment(
            { lpId: added.lpId, kind: added.kind, country: added.country, currency: added.currency, close: 0, cents: 0, local: 0 },
            cents,
            jpy ? Math.round(cents * 1.5) : cents,
            1_000,
          );
          ledger.addCommitment('mine', added, 1_000, '2026-06-01');
          const room = formatCents(((base.summary.cents + BigInt(cents)) * BigInt(percent)) / 100n);
          const fund = fundAfterACall(room);
          const command = { type: 'HoldClose' as const, data: {}, metadata: { actor: 'us-treasury', effectiveDate: '2026-06-30' } };
          const real = decideClose(command, fund, ledger);
          const simulated = decideClose(command, fund, { pendingOn: () => set, lp: (id) => ledger.lp(id) });
          expect(simulated).toEqual(real);
          const real_ = new CloseAdmission(ledger.pendingOn('2026-06-30'), BigInt(real.data.admittedUsd.replace('.', ''))).all();
          const mineReal = real_.find((a) => a.lp.lpId === added.lpId)!;
          expect(new CloseAdmission(set, BigInt(simulated.data.admittedUsd.replace('.', ''))).centsOf(mine)).toBe(mineReal.cents);
        },
      ),
      { numRuns: 200 },
    );
  });
});
