import {
  divRoundHalfEven,
  evolveInvestors,
  fxRateOn,
  formatCents,
  parseCents,
  InvestorLedger,
  ownsBy,
  reject,
  type InvestorLedgerEvent,
  type LpEntry,
  type RecordedFundEvent,
} from '@fundsim/domain';
import { balanceSheetOf, knownAtInstant, type AsOfQuery, type BalanceSheet } from './balance-sheet/balance-sheet.projection';
import {
  accountBasis,
  contributionsOf,
  distributionsTo,
  epochWeights,
  ownersAt,
  payoutSplit,
  piecesAt,
  SCALE,
  scaledGrossNavOf,
  type AccountBasis,
  type EpochWeights,
  type Payouts,
  type PayoutSplit,
} from './capital-accounts/allocation-policy';
import { scaledCarry } from './capital-accounts/carry-allocation';
import { registerCutoff, registerRow, type RegisterCutoff, type RegisterRow } from './capital-accounts/register';
import { capitalAccount, type CapitalAccount } from './capital-accounts/statement';
import { ilpaStatement, type IlpaStatement } from './capital-accounts/ilpa-statement';
import { transactionLedger, type CommitmentRecord, type TransactionLedger } from './capital-accounts/transactions';
import { callIndexOf, callNotice, distributionNotice, payoutIndexOf, type CallNotice, type DistributionNotice } from './capital-accounts/notices';
import { LedgerTimeline } from './ledger/ledger-timeline';
import { fundPerformance, type FundPerformance } from './performance/fund-performance';
import { dayBefore, managerRevenue, type LpPosition, type Revenue } from './waterfall/revenue';
import { borneByGroup, type Borne } from './waterfall/net-transfer';
import { termsOf, waterfallReport, type WaterfallReport } from './waterfall/waterfall-report';

export interface RegisterPage {
  asOf: string;
  knownAt: string | null;
  netAssets: string;
  /** Admitted LPs in the whole register. */
  total: number;
  offset: number;
  rows: RegisterRow[];
}

interface Dated {
  basis: AccountBasis;
  cutoff?: RegisterCutoff;
  payouts?: Payouts;
}

/** The first day of the calendar quarter a date falls in. */
function quarterStart(date: string): string {
  const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
}

/**
 * One fund's books, read side: its history folded with snapshots, the investor ledger (the same
 * fold the deciders read), the register's rounding per date and each payout's split, all kept in
 * memory and brought up to date event by event. Pure (no I/O): the application feeds it from the
 * store, in log order.
 */
export class FundBooks {
  readonly timeline: LedgerTimeline;
  private readonly dated = new Map<string, Dated>();
  private readonly weightsByEpoch = new Map<string, EpochWeights>();
  private readonly splits = new Map<string, PayoutSplit>();

  /** `investors`: a ledger restored from a snapshot, with `restoreHistory` given the fund's events up to it. */
  constructor(
    snapshotEvery = 500,
    readonly investors = new InvestorLedger(),
  ) {
    this.timeline = new LedgerTimeline(snapshotEvery);
  }

  /** The fund's own events up to where a restored investor ledger stands: the timeline only. */
  restoreHistory(events: readonly RecordedFundEvent[]): void {
    if (events.length === 0) return;
    this.timeline.append(events);
    this.dated.clear();
  }

  /** Events of the fund's own stream, in log order (after the commitments they may admit). */
  applyFundEvents(events: readonly RecordedFundEvent[]): void {
    if (events.length === 0) return;
    this.timeline.append(events);
    for (const e of events) {
      evolveInvestors(this.investors, { id: e.metadata.eventId ?? '', type: e.type, data: e.data, position: e.metadata.position ?? 0, metadata: e.metadata });
    }
    this.dated.clear();
  }

  /** An event of an LP's stream (a commitment), in log order. */
  applyLpEvent(event: InvestorLedgerEvent): void {
    evolveInvestors(this.investors, event);
  }

  get established(): boolean {
    return this.timeline.history.length > 0;
  }

  balanceSheet(query: AsOfQuery): BalanceSheet {
    return balanceSheetOf(this.at(query).basis.ledger, query);
  }

  performance(query: AsOfQuery): FundPerformance {
    const { basis } = this.at(query);
    return fundPerformance(basis.ledger, basis.asOf, basis.knownAt);
  }

  /** A page of the register, by LP id. */
  register(query: AsOfQuery, offset = 0, limit = 100): RegisterPage {
    const dated = this.withCutoff(query);
    const lps = this.admittedAt(dated.basis);
    return {
      asOf: query.asOf,
      knownAt: dated.basis.knownAt,
      netAssets: formatCents(dated.basis.netAssets),
      total: lps.length,
      offset,
      rows: lps.slice(offset, offset + limit).map((lp) => registerRow(dated.basis, dated.cutoff, lp)),
    };
  }

  /** Every row of the register, by LP id, for a streamed export. */
  *registerRows(query: AsOfQuery): Generator<RegisterRow> {
    const dated = this.withCutoff(query);
    for (const lp of this.admittedAt(dated.basis)) yield registerRow(dated.basis, dated.cutoff, lp);
  }

  /** An LP's capital account for [from, asOf] (from inception when `from` is absent). */
  /** An LP admitted at some close (UNKNOWN_LP otherwise). */
  admittedLp(fundId: string, lpId: string): LpEntry {
    const lp = this.investors.lp(lpId);
    if (!lp || !ownsBy(lp, this.investors.epochsOpened)) return reject('UNKNOWN_LP', `LP ${lpId} has no admitted commitment in fund ${fundId}`);
    return lp;
  }

  capitalAccount(fundId: string, lpId: string, query: AsOfQuery & { from?: string }): CapitalAccount {
    const lp = this.admittedLp(fundId, lpId);
    if (query.from !== undefined && query.from > query.asOf) reject('INVALID_DATE', `from ${query.from} is after asOf ${query.asOf}`);
    const to = this.withCutoff(query);
    const before = query.from === undefined ? undefined : { ...this.withCutoff({ asOf: dayBefore(query.from), knownAt: query.knownAt }), from: query.from };
    return capitalAccount({ fundId, lp, to: { ...to, payouts: this.payoutsOf(to) }, before });
  }

  /** An LP's transaction ledger from inception to `asOf` (`commitments`: its own stream's, as known at the date). */
  transactions(fundId: string, lpId: string, query: AsOfQuery, commitments: readonly CommitmentRecord[]): TransactionLedger {
    const lp = this.admittedLp(fundId, lpId);
    const dated = this.withCutoff(query);
    const statement = this.capitalAccount(fundId, lpId, query);
    const knownAt = dated.basis.knownAt;
    const history = knownAt === null ? this.timeline.history : this.timeline.history.filter((e) => (e.metadata.recordedAt ?? '') <= knownAt);
    return transactionLedger({
      fundId,
      lp,
      basis: dated.basis,
      payouts: this.payoutsOf(dated),
      statement,
      history,
      commitments,
      basisAt: (asOf) => this.at({ asOf, knownAt: query.knownAt }).basis,
    });
  }

  /**
   * The LP's ILPA statement on asOf: the period [from, asOf] (from the first day of asOf's quarter
   * when `from` is absent), the year to date and since inception, each the capital account for its
   * dates, with the accounts from inception to the day before each column starts.
   */
  ilpaStatement(fundId: string, lpId: string, query: AsOfQuery & { from?: string }): IlpaStatement {
    const from = query.from ?? quarterStart(query.asOf);
    const yearStart = `${query.asOf.slice(0, 4)}-01-01`;
    const account = (q: AsOfQuery & { from?: string }) => this.capitalAccount(fundId, lpId, { knownAt: query.knownAt, ...q });
    const accounts = {
      period: account({ asOf: query.asOf, from }),
      yearToDate: account({ asOf: query.asOf, from: yearStart }),
      inceptionToDate: account({ asOf: query.asOf }),
    };
    const openings = { period: account({ asOf: dayBefore(from) }), yearToDate: account({ asOf: dayBefore(yearStart) }), inceptionToDate: null };
    const state = this.at(query).basis.ledger.state;
    const rate = (date: string) => fxRateOn(state, date);
    const rates =
      accounts.inceptionToDate.currency === 'JPY'
        ? { opening: { period: rate(dayBefore(from)), yearToDate: rate(dayBefore(yearStart)), inceptionToDate: undefined }, closing: rate(query.asOf) }
        : undefined;
    return ilpaStatement({ accounts, openings, rates });
  }

  /** The waterfall on a date: the LPs' account with the managers, a liquidation, each distribution's split, the managers' accounts. */
  waterfall(fundId: string, query: AsOfQuery): WaterfallReport {
    const { basis } = this.at(query);
    return waterfallReport(fundId, basis.ledger, basis.asOf, basis.knownAt);
  }

  /**
   * A manager's revenue by quarter over [from, to] (from the fund's inception when `from` is
   * absent): its fees and carry, and its government's returns as an LP when the terms name its
   * LP account, from that account's statement for each quarter.
   */
  revenue(fundId: string, manager: string, query: { from?: string; to: string; knownAt?: string }): Revenue {
    const terms = termsOf(this.timeline.ledger, fundId);
    const inception = this.timeline.history[0].metadata.effectiveDate;
    // Nothing before the fund's inception: a period starting earlier starts there.
    const from = query.from === undefined || query.from < inception ? inception : query.from;
    if (from > query.to) reject('INVALID_DATE', `from ${from} is after to ${query.to}`);
    const lpId = terms.managerShares.find((s) => s.manager === manager)?.lpId;
    const lp = lpId === undefined ? undefined : this.investors.lp(lpId);
    const admitted = lp !== undefined && ownsBy(lp, this.investors.epochsOpened);
    return managerRevenue({
      fundId,
      manager,
      from,
      to: query.to,
      knownAt: query.knownAt === undefined ? null : knownAtInstant(query.knownAt),
      terms,
      ledgerAsOf: (asOf) => this.at({ asOf, knownAt: query.knownAt }).basis.ledger,
      yen: admitted && lp.currency === 'JPY',
      lpPosition: admitted ? (asOf) => this.lpPosition(lp, { asOf, knownAt: query.knownAt }) : undefined,
      government:
        lpId === undefined ? undefined : { lps: [lpId], borne: (asOf) => this.borneByGovernment(fundId, { asOf, knownAt: query.knownAt }).get(manager)! },
    });
  }

  /**
   * What each government's LPs (the terms' `managerShares[].lpId`, keyed by manager) and every
   * other LP together (`OTHER_LPS`) bear of the fees, expenses and carry, cumulative to a date, in
   * cents: they sum to the fund's lines exactly. O(the governments' LPs x (epochs + distributions)).
   */
  borneByGovernment(fundId: string, query: AsOfQuery): Map<string, Borne> {
    const terms = termsOf(this.timeline.ledger, fundId);
    const dated = this.at(query);
    const groups = terms.managerShares.map((s) => {
      const lp = s.lpId === undefined ? undefined : this.investors.lp(s.lpId);
      return { key: s.manager, lps: lp === undefined ? [] : [lp] };
    });
    return borneByGroup(dated.basis, this.payoutsOf(dated), groups);
  }

  /**
   * An LP's contributions and share of distributions declared, to the cent, and its net assets
   * rounded half to even from its exact share, in O(its closes + the fund's calls and payouts):
   * no register rounding pass (the register may give it a cent more or less).
   */
  lpPosition(lp: LpEntry, query: AsOfQuery): LpPosition {
    const dated = this.at(query);
    const { basis } = dated;
    const pieces = piecesAt(basis, lp);
    if (pieces.length === 0) return { admitted: 0n, contributions: 0n, distributions: 0n, netAssets: 0n };
    const payouts = this.payoutsOf(dated).toLps;
    const net = scaledGrossNavOf(basis, lp)! - scaledCarry(basis, pieces, lp);
    return {
      admitted: pieces.reduce((sum, p) => sum + p.cents, 0n),
      contributions: contributionsOf(basis, pieces, lp.lpId),
      distributions: distributionsTo(basis, payouts, pieces, lp.lpId),
      netAssets: divRoundHalfEven(net, SCALE),
    };
  }

  /** One LP's notice of a capital call, as of the call's date (UNKNOWN_CALL, UNKNOWN_LP: 404). */
  callNotice(fundId: string, callNumber: number, lpId: string, query: { knownAt?: string } = {}): CallNotice {
    const { basis, k } = this.callAt(fundId, callNumber, query);
    const notice = callNotice(fundId, basis, this.admittedLp(fundId, lpId), k);
    return notice ?? reject('UNKNOWN_LP', `LP ${lpId} was admitted after capital call ${callNumber} of fund ${fundId}: the call asked nothing of it`);
  }

  /** The notices of one call for every LP it called, by LP id, for a streamed export. */
  *callNotices(fundId: string, callNumber: number, query: { knownAt?: string } = {}): Generator<CallNotice> {
    const { basis, k } = this.callAt(fundId, callNumber, query);
    for (const lp of this.admittedAt(basis)) {
      const notice = callNotice(fundId, basis, lp, k);
      if (notice) yield notice;
    }
  }

  /** One LP's notice of a distribution, as of its declaration (UNKNOWN_DISTRIBUTION, UNKNOWN_LP: 404). */
  distributionNotice(fundId: string, distributionNumber: number, lpId: string, query: { knownAt?: string } = {}): DistributionNotice {
    const { dated, i } = this.distributionAt(fundId, distributionNumber, query);
    const notice = distributionNotice(fundId, dated.basis, this.payoutsOf(dated), this.admittedLp(fundId, lpId), i);
    return notice ?? reject('UNKNOWN_LP', `LP ${lpId} was admitted after distribution ${distributionNumber} of fund ${fundId}: it has no share of it`);
  }

  /** The notices of one distribution for every LP that shares it, by LP id. */
  *distributionNotices(fundId: string, distributionNumber: number, query: { knownAt?: string } = {}): Generator<DistributionNotice> {
    const { dated, i } = this.distributionAt(fundId, distributionNumber, query);
    const payouts = this.payoutsOf(dated);
    for (const lp of this.admittedAt(dated.basis)) {
      const notice = distributionNotice(fundId, dated.basis, payouts, lp, i);
      if (notice) yield notice;
    }
  }

  /** The basis on a call's date (as known at `knownAt`), and the call's index in it. */
  private callAt(fundId: string, callNumber: number, query: { knownAt?: string }): { basis: AccountBasis; k: number } {
    const call = this.ledgerAsKnown(query).state.calls.find((c) => c.callNumber === callNumber);
    if (!call) return reject('UNKNOWN_CALL', `Fund ${fundId} has no capital call number ${callNumber}`);
    const { basis } = this.at({ asOf: call.date, knownAt: query.knownAt });
    return { basis, k: callIndexOf(basis, fundId, callNumber) };
  }

  private distributionAt(fundId: string, distributionNumber: number, query: { knownAt?: string }): { dated: Dated; i: number } {
    const payout = this.ledgerAsKnown(query).payouts.find((p) => p.distributionNumber === distributionNumber);
    if (!payout) return reject('UNKNOWN_DISTRIBUTION', `Fund ${fundId} has no distribution number ${distributionNumber}`);
    const dated = this.at({ asOf: payout.date, knownAt: query.knownAt });
    return { dated, i: payoutIndexOf(dated.basis, fundId, distributionNumber) };
  }

  /** The whole history (every effective date), as known now or at `knownAt`. */
  private ledgerAsKnown(query: { knownAt?: string }) {
    return query.knownAt === undefined ? this.timeline.ledger : this.timeline.asOf({ asOf: '9999-12-31', knownAt: knownAtInstant(query.knownAt) });
  }

  private at(query: AsOfQuery): Dated {
    const knownAt = query.knownAt === undefined ? null : knownAtInstant(query.knownAt);
    const key = `${query.asOf}|${knownAt ?? ''}`;
    let dated = this.dated.get(key);
    if (!dated) {
      const ledger = this.timeline.asOf({ asOf: query.asOf, knownAt: knownAt ?? undefined });
      const exempt = [...(ledger.state.carryExempt?.admitted.keys() ?? [])].map((lpId) => this.investors.lp(lpId)!);
      dated = { basis: accountBasis(ledger, query.asOf, knownAt, this.individual(), exempt, (lpId) => this.investors.lp(lpId)) };
      if (this.dated.size >= 64) this.dated.delete(this.dated.keys().next().value!);
      this.dated.set(key, dated);
    }
    return dated;
  }

  private withCutoff(query: AsOfQuery): Dated & { cutoff: RegisterCutoff } {
    const dated = this.at(query);
    dated.cutoff ??= registerCutoff(dated.basis, this.admittedAt(dated.basis));
    return dated as Dated & { cutoff: RegisterCutoff };
  }

  /**
   * Each distribution of the basis split over its epoch's LPs, and its managers' part likewise
   * (kept: a split never changes). With carry-exempt LPs, the exempt LPs share their part of each
   * distribution and nothing of the managers' part; the others, the rest (carry-exemption.ts).
   */
  private payoutsOf(dated: Dated): Payouts {
    const exempt = dated.basis.exempt;
    const splitOf = (epoch: number, cents: bigint, who: 'all' | 'bearing' | 'exempt'): PayoutSplit => {
      const key = `${epoch}|${cents}|${who}`;
      let split = this.splits.get(key);
      if (!split) this.splits.set(key, (split = payoutSplit(cents, this.weightsOf(epoch, who, exempt))));
      return split;
    };
    const routed = (epoch: number, bearing: bigint, exemptCents: bigint): PayoutSplit =>
      exempt === undefined
        ? splitOf(epoch, bearing + exemptCents, 'all')
        : { ...splitOf(epoch, bearing, 'bearing'), exempt: { ids: exempt, split: splitOf(epoch, exemptCents, 'exempt') } };
    const payouts = dated.basis.ledger.payouts;
    dated.payouts ??= {
      toLps: payouts.map((p) => {
        const exemptCents = parseCents(p.split?.exempt ?? '0');
        return routed(p.epoch, p.cents - exemptCents, exemptCents);
      }),
      carry: payouts.map((p) => routed(p.epoch, parseCents(p.split?.toManagers ?? '0'), 0n)),
    };
    return dated.payouts;
  }

  /** LPs admitted at more than one close or party to a transfer (the ledger keeps them as they change). */
  private individual(): readonly LpEntry[] {
    return this.investors.individualLps;
  }

  /**
   * The owners of an epoch by weight (`epochWeights`): all, the carry-bearing or the carry-exempt
   * ones (`exempt`: those admitted by the basis date, a superset of the epoch's), found in one pass and kept.
   */
  private weightsOf(epoch: number, who: 'all' | 'bearing' | 'exempt', exempt: ReadonlySet<string> = new Set()): EpochWeights {
    const key = `${epoch}|${who}`;
    let weights = this.weightsByEpoch.get(key);
    if (!weights) {
      const lps = this.investors.admittedSorted();
      weights =
        who === 'all'
          ? epochWeights(lps, epoch)
          : who === 'bearing'
            ? epochWeights(lps, epoch, exempt)
            : epochWeights(
                [...exempt].sort().map((lpId) => this.investors.lp(lpId)!),
                epoch,
              );
      this.weightsByEpoch.set(key, weights);
    }
    return weights;
  }

  /** LPs that own something as of the basis date (the epochs opened by then). */
  private admittedAt(basis: AccountBasis): readonly LpEntry[] {
    return ownersAt(basis, this.investors.admittedSorted(), this.investors.epochsOpened);
  }
}
