import { parseCents } from '@fundsim/domain';
import { dayBefore, FundBooks, ILPA_COLUMNS, signedRollForward, type CapitalAccount, type IlpaRollForwardKey, type IlpaStatement } from '@fundsim/projections';
import type { MemoryEventStore } from '@fundsim/event-store';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { investorStep, runRandomHistory, type Step } from '../testing/random-fund';

const meta = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
/** The investor steps, with more distributions and proceeds so that every line moves; a waterfall half the time. */
const richStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: investorStep, weight: 5 },
  {
    arbitrary: fc.tuple(fc.constantFrom('grid', 'quantum'), fc.integer({ min: 100, max: 3_000 })).map(([projectId, n]): Step => (d) => ({
      type: 'ReceiveProceeds',
      data: { projectId, kind: 'income', amount: `${n}.00` },
      metadata: meta('us-treasury', d),
    })),
    weight: 1,
  },
  {
    arbitrary: fc
      .integer({ min: 50, max: 3_000 })
      .map((n): Step => (d) => ({ type: 'DeclareDistribution', data: { amount: `${n}.00` }, metadata: meta('us-treasury', d) })),
    weight: 2,
  },
);
const WATERFALL = {
  style: 'european',
  preferredReturn: { rate: '0.05', compounding: 'none', dayCount: 'ACT/365' },
  catchUp: '1',
  carriedInterest: '0.2',
  carryBearing: 'all',
  managerShares: [
    { manager: 'us-treasury', share: '0.5' },
    { manager: 'jp-mof', share: '0.5' },
  ],
};

const signed = (account: CapitalAccount, k: IlpaRollForwardKey) => new Map(signedRollForward(account)).get(k)!;
const addsUp = (lines: Record<string, Record<string, string>>, parse: (v: string) => bigint, beginning: string, ending: string) =>
  ILPA_COLUMNS.every(
    (c) =>
      parse(lines[beginning][c]) + Object.entries(lines).reduce((sum, [k, v]) => (k === beginning || k === ending ? sum : sum + parse(v[c])), 0n) ===
      parse(lines[ending][c]),
  );

function checkStatement(books: FundBooks, s: IlpaStatement, knownAt?: string) {
  const { lpId, asOf } = s;
  // Each column adds up: the roll-forward (in USD, and in yen), the commitment.
  expect(addsUp(s.rollForward, parseCents, 'beginningNav', 'endingNav')).toBe(true);
  if (s.yen) expect(addsUp(s.yen.rollForward, BigInt, 'beginningNav', 'endingNav')).toBe(true);
  const { defaultedInPeriod: _memo, ...commitment } = s.commitment;
  expect(addsUp(commitment, parseCents, 'beginningUnfunded', 'endingUnfunded')).toBe(true);

  // Since inception is the statement from inception, line by line.
  const itd = books.capitalAccount('f', lpId, { asOf, knownAt });
  expect(Object.keys(s.rollForward)).toEqual(signedRollForward(itd).map(([k]) => k));
  for (const [k, cents] of signedRollForward(itd)) expect(parseCents(s.rollForward[k].inceptionToDate)).toBe(cents);
  expect(s.commitment.endingUnfunded.inceptionToDate).toBe(itd.unfunded);

  // Each column starts where the statement to the day before it ends; the year to date plus
  // the years before it make the whole: cash lines and balances exactly, each P&L line within a
  // few cents (each column rounds its own P&L lines), their sum exactly.
  for (const c of ['period', 'yearToDate'] as const) {
    const opening = books.capitalAccount('f', lpId, { asOf: dayBefore(s.dates[c].from!), knownAt });
    expect(s.rollForward.beginningNav[c]).toBe(opening.rollForward.endingNav);
    expect(s.commitment.beginningUnfunded[c]).toBe(opening.unfunded);
    let gaps = 0n;
    for (const [k] of signedRollForward(itd)) {
      if (k === 'beginningNav' || k === 'endingNav') continue;
      const gap = parseCents(s.rollForward[k][c]) + signed(opening, k) - signed(itd, k);
      if (k === 'contributions' || k === 'distributions') expect(gap).toBe(0n);
      expect(gap >= -10n && gap <= 10n).toBe(true);
      gaps += gap;
    }
    expect(gaps).toBe(0n);
  }
}

describe('the ILPA statement over random histories (property)', () => {
  it('every column adds up, in USD, in yen and for the commitment; since inception is the statement from inception; the year to date plus the years before it is the whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(richStep, { minLength: 40, maxLength: 70 }), async (withWaterfall, steps) => {
        let store: MemoryEventStore | undefined;
        let firstRecordedAt: string | undefined;
        await runRandomHistory(
          steps,
          (history, _command, _date, _i, s) => {
            store = s;
            firstRecordedAt ??= history[history.length - 1].metadata.recordedAt;
          },
          withWaterfall ? { hardCap: '9000.00', waterfall: WATERFALL } : { hardCap: '9000.00' },
        );
        if (!store) return;
        const books = new FundBooks();
        await catchUpBooks(store, 'f', books, 0);
        const lps = books.register({ asOf: '2027-12-31' }, 0, 1000).rows.map((r) => r.lpId);
        for (const [asOf, from, knownAt] of [
          ['2026-12-31', '2026-10-01', undefined],
          ['2027-02-20', '2026-11-15', undefined],
          ['2027-06-30', undefined, undefined],
          ['2027-02-20', '2027-02-01', firstRecordedAt],
        ] as const) {
          for (const lpId of lps) {
            const query = { asOf, from, knownAt };
            let s: IlpaStatement;
            try {
              s = books.ilpaStatement('f', lpId, query);
            } catch (error) {
              // An LP admitted after the known-at instant has no account then.
              expect(knownAt).toBeDefined();
              expect(error).toMatchObject({ code: 'UNKNOWN_LP' });
              continue;
            }
            checkStatement(books, s, knownAt);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
