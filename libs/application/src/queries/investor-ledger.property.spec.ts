import { callShare, lpCallCents, parseCents, parseFraction, piecesOf, timesRate, type InvestorLedger } from '@fundsim/domain';
import { FundBooks } from '@fundsim/projections';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { investorStep, runRandomHistory } from '../testing/random-fund';

/** Later than any date of a random history: every event counts. */
const AS_OF = '2027-12-31';
const sum = (values: Iterable<bigint>) => [...values].reduce((a, b) => a + b, 0n);

/** What the command side and the read side must agree on for every LP. */
function ledgerView(ledger: InvestorLedger) {
  return {
    admitted: ledger.admittedSorted().map((lp) => ({ lpId: lp.lpId, currency: lp.currency, pieces: piecesOf(lp) })),
    pending: ledger.pendingSummary(),
    admittedCount: ledger.admittedCount,
  };
}

/**
 * The auditor (TigerBeetle's idea): after every event of a random history, sums across levels
 * must hold to the cent, and the deciders' ledger must equal the projections'.
 */
describe('the investor ledger over random histories (auditor property)', () => {
  it.each([
    ['a fund far from its hard cap', '300000000000.00'],
    ['a fund that scales closes back at a hard cap of 5,000.00', '5000.00'],
  ])(
    'after every event of %s: calls, defaults, payouts, contributions and the register add up, and both sides agree on every LP',
    async (_name, hardCap) => {
      await fc.assert(
        fc.asyncProperty(fc.array(investorStep, { minLength: 10, maxLength: 40, size: 'max' }), async (steps) => {
          await runRandomHistory(
            steps,
            async (_history, _command, _date, _i, store, service) => {
              const books = new FundBooks();
              await catchUpBooks(store, 'f', books, 0);
              const decided = await service.investors('f');
              expect(ledgerView(decided)).toEqual(ledgerView(books.investors));

              const query = { asOf: AS_OF };
              const state = books.timeline.asOf(query).state;
              const lps = books.investors.admittedSorted();
              // Each call's total is its rate of the commitments admitted before it, rounded once, and
              // what it asks of the LPs sums to it exactly (no dust).
              const callsBeforeEpoch = state.epochs.map((e) => e.callsBefore);
              state.calls.forEach((call, k) => {
                const admitted = sum(
                  lps.map((lp) =>
                    sum(
                      piecesOf(lp)
                        .filter((p) => callsBeforeEpoch[p.closeNumber - 1] <= k)
                        .map((p) => BigInt(p.cents)),
                    ),
                  ),
                );
                expect(parseCents(call.totalUsd.toString())).toBe(timesRate(admitted, parseFraction(call.percentage.toString())));
                expect(sum(lps.map((lp) => lpCallCents(piecesOf(lp), lp.lpId, k, callsBeforeEpoch, call.rule)))).toBe(parseCents(call.totalUsd.toString()));
              });
              // So is each close's catch-up, over the LPs it admits (a transfer's epoch asks none).
              const ledger = books.timeline.asOf(query);
              ledger.epochs.forEach((epoch, e) => {
                const pieces = lps.flatMap((lp) =>
                  piecesOf(lp)
                    .filter((p) => p.closeNumber === e + 1)
                    .map((p) => ({ lpId: lp.lpId, cents: BigInt(p.cents) })),
                );
                const catchUp = sum(pieces.map((p) => callShare(p.cents, p.lpId, epoch.catchUp)));
                expect(catchUp).toBe(timesRate(sum(pieces.map((p) => p.cents)), epoch.catchUpFraction));
                const close = epoch.openedBy === 'CloseHeld' ? state.closes.find((c) => c.closeNumber === epoch.openedByNumber) : undefined;
                expect(catchUp).toBe(close ? parseCents(close.catchUpUsd.toString()) : 0n);
              });

              const accounts = lps.map((lp) => books.capitalAccount('f', lp.lpId, query));
              const usd = accounts.map((a) => a.performance[0]);
              // The LPs' unpaid defaults are the fund's defaulted receivable.
              expect(sum(accounts.map((a) => parseCents(a.defaultedUnpaid)))).toBe(sum([...state.defaultedUsd.values()].map((m) => parseCents(m.toString()))));
              // The LPs' shares of the distributions, paid or payable, are the distributions declared (a transfer's price is between LPs).
              expect(sum(usd.map((p) => parseCents(p.distributed) + parseCents(p.distributionsPayable)))).toBe(
                sum(accounts.map((a) => parseCents(a.transfers.priceReceived))) + sum(state.distributions.map((d) => parseCents(d.amount.toString()))),
              );
              // The register is net assets; the LPs' contributions are the fund's.
              const register = books.register(query, 0, 1000);
              expect(sum(register.rows.map((r) => parseCents(r.netAssets)))).toBe(parseCents(books.balanceSheet(query).netAssets));
              expect(sum(register.rows.map((r) => parseCents(r.contributions)))).toBe(parseCents(books.performance(query).rollForward.contributions));
              // A scaled-back LP shows what it was admitted for, and what it subscribed beside it.
              for (const a of accounts) {
                expect(parseCents(a.commitment.subscribedUsd) >= parseCents(a.commitment.usd)).toBe(true);
                expect(a.commitment.scaledBack).toBe(a.commitment.subscribedUsd !== a.commitment.usd);
              }
            },
            { hardCap },
          );
        }),
        { numRuns: 100 },
      );
    },
    300_000,
  );
});
