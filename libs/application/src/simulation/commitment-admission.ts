import {
  bearsNoCarry,
  callRuleOf,
  callShare,
  commitmentCents,
  commitmentLocalUnits,
  daysBetween,
  decide,
  decideClose,
  Dec,
  evolveFund,
  evolveInvestors,
  formatCents,
  InvestorLedger,
  Money,
  opensEpoch,
  parseCents,
  parseFraction,
  reject,
  timesRate,
  type FundState,
  type LpEntry,
  type LpKind,
  type PendingSet,
  type RecordedFundEvent,
} from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import type { FollowedLp } from '@fundsim/simulation';
import { fundLogAfter } from '../log/fund-log';

/** A hypothetical commitment: what a retail investor would commit (the date is the fork's). */
export interface CommitmentInput {
  amount: string;
  currency: 'USD' | 'JPY';
  lpKind?: LpKind;
  country?: string;
}

/** What the commitment would be on admission, by the fund's own rules (decimal figures, as strings). */
export interface Admission {
  lpId: string;
  commitment: { amount: string; currency: 'USD' | 'JPY'; amountUsd: string; fxRate: string | null };
  lpKind: LpKind;
  country: string;
  closeNumber: number;
  scaledBack: boolean;
  admittedUsd: string;
  afterFirstClose: boolean;
  /** Capital paid on joining (the calls made before, caught up): part of the LP's capital, not a cost. */
  catchUpUsd: string;
  /** Interest to the LPs admitted before, on what they paid earlier: a cost of joining late. */
  equalizationInterestUsd: string;
  /** What joining pays on the day: catch-up plus equalization interest. */
  equalizationPaymentUsd: string;
  ownership: string;
  /** Carried interest: whether the LP's share goes through the waterfall (false for an LP the terms exempt). */
  bearsCarry: boolean;
  fundAgeQuarters: number;
  lookThrough: { projects: { projectId: string; name: string; sector: string; exposureUsd: string }[]; sectors: { sector: string; exposureUsd: string }[] };
}

export const SIMULATED_LP = 'simulated-lp';

/**
 * Admits a hypothetical commitment on the books as of `date` (the fund's state, and the
 * commitments pending then with this one added, nothing else copied): a `CommitCapital` for a
 * simulated LP and a `HoldClose` on the date, decided by the deciders that run the real fund, so it
 * gets what a real one would (its yen converted at the rate in force, a scale-back at the hard cap,
 * the catch-up and the equalization interest when it joins after the first close). Returns the
 * fund's state after that close (its cash, commitments, waterfall and carry exemptions with the new
 * LP in), the admission in the books' decimal figures, and the LP as the model follows it. Nothing
 * is written.
 */
export async function admitCommitment(
  store: EventStore,
  fundId: string,
  before: FundState,
  date: string,
  input: CommitmentInput,
  pending: PendingCommitments = new PendingCommitments(),
): Promise<{ state: FundState; admission: Admission; lp: FollowedLp }> {
  if (input.currency !== 'USD' && input.currency !== 'JPY')
    reject('UNSUPPORTED_CURRENCY', `currency must be USD or JPY, got ${JSON.stringify(input.currency)}`);
  // Booked as the managers would book it: a hypothetical is not an operator's fact, and so not
  // bound to the fund's open period (a simulation may look past the books' last quarter).
  const manager = before.config!.managers[0];
  const metadata = { actor: manager, effectiveDate: date };
  const lpKind = input.lpKind ?? 'retail';
  const country = input.country ?? (input.currency === 'JPY' ? 'JP' : 'US');
  const [commitment] = decide(
    { type: 'CommitCapital', data: { lpId: SIMULATED_LP, kind: lpKind, country, amount: input.amount, currency: input.currency }, metadata },
    { fund: before, lp: undefined },
  );
  if (commitment.type !== 'CapitalCommitted') throw new Error('A commitment decides a CapitalCommitted');
  const head = await store.headPosition();
  // The commitments pending on the date (kept for the next simulation on it), with this one added:
  // the close is decided by the fund's own decider over that set, as a real close would be.
  const base = await pending.on(store, fundId, before, date);
  const entry: LpEntry = { lpId: SIMULATED_LP, kind: lpKind, country, currency: input.currency, close: 0, cents: 0, local: 0 };
  const { set, added } = base.withCommitment(entry, commitmentCents(commitment.data), commitmentLocalUnits(commitment.data), head + 1);
  const close = decideClose({ type: 'HoldClose', data: {}, metadata }, before, {
    pendingOn: () => set,
    // The governments' stakes before the close, as the last close recorded them (the pending set knows no earlier close).
    lp: (lpId) => stakeBefore(before, lpId),
  });
  const firstClose = before.closes[0]?.date;
  const state = evolveFund(before, { ...close, metadata } as RecordedFundEvent);
  // The simulated LP's share of the close by the close's rule of admission, and what it pays to
  // catch up and in interest, each as its capital account would show it (transactions.ts).
  const admittedCents = BigInt(set.admitting(parseCents(close.data.admittedUsd)).centsOf(added));
  const admitted = Money.parse(formatCents(admittedCents), 'USD');
  const catchUpRule = callRuleOf(parseFraction(close.data.catchUpFraction), close.data.catchUpSplit);
  const catchUp = Money.parse(formatCents(callShare(admittedCents, SIMULATED_LP, catchUpRule)), 'USD');
  const interest = Money.parse(formatCents(timesRate(admittedCents, parseFraction(close.data.equalizationInterestFactor))), 'USD');
  const ownership = state.admittedUsd.isPositive() ? admitted.amount.dividedBy(state.admittedUsd.amount) : new Dec(0);
  const terms = state.config?.waterfall;
  const bearsCarry = terms !== undefined && !bearsNoCarry(terms, { lpId: SIMULATED_LP, kind: lpKind });
  const paysFees = !(state.feeExempt?.admitted.has(SIMULATED_LP) ?? false);
  const projects = [...state.projects.values()];
  const sectors = new Map<string, Money>();
  for (const p of projects) sectors.set(p.sector, (sectors.get(p.sector) ?? Money.zero('USD')).plus(p.fairValue.times(ownership)));
  const paid = catchUp.plus(interest);
  return {
    state,
    admission: {
      lpId: SIMULATED_LP,
      commitment: { amount: commitment.data.amount, currency: input.currency, amountUsd: commitment.data.amountUsd, fxRate: commitment.data.fxRate ?? null },
      lpKind,
      country,
      closeNumber: close.data.closeNumber,
      scaledBack: close.data.scaledBack,
      admittedUsd: admitted.toString(),
      afterFirstClose: firstClose !== undefined,
      catchUpUsd: catchUp.toString(),
      equalizationInterestUsd: interest.toString(),
      equalizationPaymentUsd: paid.toString(),
      ownership: ownership.toDecimalPlaces(12, Dec.ROUND_HALF_EVEN).toFixed(12),
      bearsCarry,
      // The fund's age in quarters, to the day (not rounded down to whole quarters).
      fundAgeQuarters: firstClose === undefined ? 0 : Math.round((daysBetween(firstClose, date) / 91.3125) * 1e4) / 1e4,
      lookThrough: {
        projects: projects.map((p) => ({ projectId: p.projectId, name: p.name, sector: p.sector, exposureUsd: p.fairValue.times(ownership).toString() })),
        sectors: [...sectors].map(([sector, exposure]) => ({ sector, exposureUsd: exposure.toString() })),
      },
    },
    lp: {
      lpId: SIMULATED_LP,
      ownership: ownership.toNumber(),
      // Its capital at admission is its catch-up; it pays the equalization interest on top, that day.
      netAssets: catchUp.amount.toNumber(),
      paidIn: paid.amount.toNumber(),
      paidAtFork: paid.amount.toNumber(),
      bearsCarry,
      paysFees,
      ...(input.currency === 'JPY' ? { fxSpot: Number(commitment.data.fxRate) } : {}),
    },
  };
}

/** What the books' last close recorded of a government's stake (`FundState.stakes`), as the ledger's entry for it. */
function stakeBefore(state: FundState, lpId: string): LpEntry | undefined {
  const stake = state.stakes?.[lpId];
  if (stake === undefined) return undefined;
  const cents = Number(parseCents(stake));
  return { lpId, kind: 'sovereign', country: '', currency: 'USD', close: 1, cents, local: cents };
}

/**
 * The commitments pending on a date, by LP (`PendingSet`): those recorded after the last close
 * held by then, with an effective date up to it (reversals applied). Reading them means reading the
 * log from that close to its head (a correction recorded later may reverse one): between two closes
 * of a fund with a million LPs, a million events. The last sets read are kept, keyed by the log's
 * head (anything appended reads anew), the close and the date: another simulation on the same date
 * (the dashboard's, every investor on the books' latest date) takes the set kept, with what it has
 * worked out already (its histogram, its id order), and adds its commitment to a set of its own
 * (`withCommitment`: the one kept is never changed).
 */
export class PendingCommitments {
  private readonly kept = new Map<string, PendingSet>();

  constructor(private readonly size = 2) {}

  async on(store: EventStore, fundId: string, state: FundState, date: string): Promise<PendingSet> {
    const after = state.closes[state.closes.length - 1]?.throughPosition ?? 0;
    const key = JSON.stringify([fundId, await store.headPosition(), after, date]);
    const kept = this.kept.get(key);
    if (kept) return kept;
    const investors = new InvestorLedger();
    for await (const event of fundLogAfter(store, fundId, after)) {
      // Pending commitments only: no change of ownership (a close would admit them; the LPs it moves are not in this ledger).
      if (opensEpoch(event) || event.metadata.effectiveDate > date) continue;
      evolveInvestors(investors, event);
    }
    const set = investors.pendingOn(date);
    // Built now, so that the ledger itself is not kept with it.
    void set.lps;
    if (this.size > 0) {
      if (this.kept.size >= this.size) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(key, set);
    }
    return set;
  }
}
