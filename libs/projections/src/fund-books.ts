import { reject, type RecordedFundEvent } from '@fundsim/domain';
import { formatCents, parseCents } from './cents';
import { balanceSheetOf, knownAtInstant, type AsOfQuery, type BalanceSheet } from './balance-sheet/balance-sheet.projection';
import { accountBasis, capitalAccount, registerCutoff, registerRow, type AccountBasis, type CapitalAccount, type RegisterCutoff, type RegisterRow } from './capital-accounts/capital-account';
import { LpIndex, type CommitmentTerms } from './capital-accounts/lp-index';
import { LedgerTimeline } from './ledger/ledger-timeline';
import { fundPerformance, type FundPerformance } from './performance/fund-performance';

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
}

/**
 * One fund's books, read side: its history folded with snapshots, every LP's admitted pieces, and
 * the register's rounding per date, all kept in memory and brought up to date event by event.
 * Pure (no I/O): the application feeds it from the store, in log order.
 */
export class FundBooks {
  readonly timeline: LedgerTimeline;
  readonly lps = new LpIndex();
  private readonly dated = new Map<string, Dated>();

  constructor(snapshotEvery = 500) {
    this.timeline = new LedgerTimeline(snapshotEvery);
  }

  /** Events of the fund's own stream, in log order (after the commitments they may admit). */
  applyFundEvents(events: readonly RecordedFundEvent[]): void {
    if (events.length === 0) return;
    this.timeline.append(events);
    for (const e of events) {
      if (e.type === 'CloseHeld') this.lps.applyClose({ closeNumber: e.data.closeNumber, throughPosition: e.data.throughPosition, admittedCents: parseCents(e.data.admittedUsd) });
    }
    this.dated.clear();
  }

  addCommitment(id: string, terms: CommitmentTerms, position: number): void {
    this.lps.addCommitment(id, terms, position);
  }

  reverseCommitment(commitmentId: string, replacementUsd?: string): void {
    this.lps.reverseCommitment(commitmentId, replacementUsd);
  }

  get established(): boolean {
    return this.timeline.history.length > 0;
  }

  balanceSheet(query: AsOfQuery): BalanceSheet {
    return balanceSheetOf(this.at(query).basis.ledger.state, query);
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
  capitalAccount(fundId: string, lpId: string, query: AsOfQuery & { from?: string }): CapitalAccount {
    const lp = this.lps.lps.get(lpId);
    if (!lp || lp.close === 0) reject('UNKNOWN_LP', `LP ${lpId} has no admitted commitment in fund ${fundId}`);
    if (query.from !== undefined && query.from > query.asOf) reject('INVALID_DATE', `from ${query.from} is after asOf ${query.asOf}`);
    const to = this.withCutoff(query);
    const before = query.from === undefined ? undefined : { ...this.withCutoff({ asOf: dayBefore(query.from), knownAt: query.knownAt }), from: query.from };
    return capitalAccount({ fundId, lp: lp!, to, before });
  }

  private at(query: AsOfQuery): Dated {
    const knownAt = query.knownAt === undefined ? null : knownAtInstant(query.knownAt);
    const key = `${query.asOf}|${knownAt ?? ''}`;
    let dated = this.dated.get(key);
    if (!dated) {
      const ledger = this.timeline.asOf({ asOf: query.asOf, knownAt: knownAt ?? undefined });
      dated = { basis: accountBasis(ledger, query.asOf, knownAt) };
      if (this.dated.size >= 64) this.dated.delete(this.dated.keys().next().value!);
      this.dated.set(key, dated);
    }
    return dated;
  }

  private withCutoff(query: AsOfQuery): Required<Dated> {
    const dated = this.at(query);
    dated.cutoff ??= registerCutoff(dated.basis, this.admittedAt(dated.basis));
    return dated as Required<Dated>;
  }

  /** LPs admitted by the closes held as of the basis date. */
  private admittedAt(basis: AccountBasis) {
    const closes = basis.ledger.epochs.length;
    const all = this.lps.admittedSorted();
    return closes === this.lps.closesApplied ? all : all.filter((lp) => lp.close <= closes);
  }
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
