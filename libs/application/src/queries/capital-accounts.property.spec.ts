import { parseCents } from '@fundsim/domain';
import { FundBooks, LINE_KEYS, type AsOfQuery } from '@fundsim/projections';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { dateAfter, runRandomHistory, step } from '../testing/random-fund';

/** Statements cover [FROM, asOf] when they can: the opening balance is then the day before's register. */
const FROM = '2026-02-15';
const sumCents = (values: string[]) => values.reduce((sum, v) => sum + parseCents(v), 0n);
const ROLL_FORWARD_SIGNS = {
  contributions: 1n,
  distributions: -1n,
  transfersIn: 1n,
  transfersOut: -1n,
  managementFees: -1n,
  expenses: -1n,
  interest: -1n,
  income: 1n,
  realizedGain: 1n,
  changeInUnrealizedGain: 1n,
} as const;

/** Everything a user can read of the books on a date, as JSON: what the three folds must agree on. */
function everything(books: FundBooks, query: AsOfQuery) {
  const register = books.register(query, 0, 1000);
  return {
    balanceSheet: books.balanceSheet(query),
    performance: books.performance(query),
    register,
    accounts: register.rows.map((r) => books.capitalAccount('f', r.lpId, query.asOf >= FROM ? { ...query, from: FROM } : query)),
  };
}

describe('LP capital accounts over random histories (property)', () => {
  it('after every event: the register sums to net assets, each roll-forward closes and chains, and rebuilt = incremental = from snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        // Kept up to date event by event, with a snapshot every 3 events.
        const incremental = new FundBooks(3);
        let position = 0;
        let firstRecordedAt: string | undefined;
        await runRandomHistory(steps, async (history, _command, date, i, store) => {
          position = (await catchUpBooks(store, 'f', incremental, position)).position;
          const rebuilt = new FundBooks(1_000_000);
          await catchUpBooks(store, 'f', rebuilt, 0);
          firstRecordedAt ??= history[history.length - 1].metadata.recordedAt;
          for (const query of [{ asOf: date }, { asOf: dateAfter(i * 7 + 40) }, { asOf: date, knownAt: firstRecordedAt }] as AsOfQuery[]) {
            const books = everything(rebuilt, query);
            expect(everything(incremental, query)).toEqual(books);

            const { register, balanceSheet, performance, accounts } = books;
            expect(register.netAssets).toBe(balanceSheet.netAssets);
            expect(sumCents(register.rows.map((r) => r.netAssets))).toBe(parseCents(balanceSheet.netAssets));
            expect(sumCents(register.rows.map((r) => r.contributions))).toBe(parseCents(performance.rollForward.contributions));
            for (const account of accounts) {
              const r = account.rollForward;
              const moved = Object.entries(ROLL_FORWARD_SIGNS).reduce((sum, [k, sign]) => sum + sign * parseCents(r[k as keyof typeof ROLL_FORWARD_SIGNS]), 0n);
              expect(parseCents(r.beginningNav) + moved).toBe(parseCents(r.endingNav));
              expect(r.endingNav).toBe(register.rows.find((row) => row.lpId === account.lpId)!.netAssets);
              // The distributions line is cash: from inception, what was paid plus what is payable (issue 25).
              const itd = query.asOf >= FROM ? rebuilt.capitalAccount('f', account.lpId, query) : account;
              const usd = itd.performance.find((p) => p.currency === 'USD')!;
              // (With the prices of transfers: received, in what it was paid; paid, in what it paid in.)
              expect(parseCents(itd.rollForward.distributions) + parseCents(itd.transfers.priceReceived)).toBe(
                parseCents(usd.distributed) + parseCents(usd.distributionsPayable),
              );
              // And the contributions line: paid in (less equalization interest, outside its capital) plus
              // owed (called and not yet due, or defaulted), to the cent, whatever the date.
              expect(parseCents(itd.rollForward.contributions) + parseCents(itd.equalizationInterestPaid) + parseCents(itd.transfers.pricePaid)).toBe(
                parseCents(usd.paidIn) + parseCents(usd.contributionsOwed),
              );
              expect(parseCents(usd.contributionsOwed)).toBe(parseCents(itd.defaultedUnpaid) + parseCents(itd.contributionsReceivable));
              if (query.asOf >= FROM) {
                const opening = rebuilt.capitalAccount('f', account.lpId, { ...query, asOf: '2026-02-14' });
                expect(r.beginningNav).toBe(opening.rollForward.endingNav);
              }
            }
            // Each line of the LPs' statements adds up to the fund's line, within a cent per LP;
            // the distributions line exactly (each distribution is split to the cent).
            const fund = rebuilt.performance({ ...query });
            expect(sumCents(register.rows.map((row) => rebuilt.capitalAccount('f', row.lpId, query).rollForward.distributions))).toBe(
              parseCents(fund.rollForward.distributions),
            );
            for (const k of LINE_KEYS) {
              const key = k === 'unrealizedGain' ? 'changeInUnrealizedGain' : k;
              const fromInception = register.rows.map((row) => rebuilt.capitalAccount('f', row.lpId, query).rollForward[key]);
              const gap = sumCents(fromInception) - parseCents(fund.rollForward[k]);
              expect(gap <= BigInt(register.rows.length) && gap >= -BigInt(register.rows.length)).toBe(true);
            }
          }
        });
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});
