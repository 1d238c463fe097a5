import {
  accrueInterest,
  liquidation,
  asCorrected,
  isCommitmentReversal,
  evolveFund,
  initialFundState,
  Money,
  type EventReversed,
  type FundState,
  type RecordedFundEvent,
  parseCents,
  divFloor,
  type WaterfallSplit,
  opensEpoch,
  ownershipRule,
  type EpochOpening,
  type OwnershipEvent,
  type EpochRecord,
  managersSplit,
  shareRule,
  feeRule,
  type CallRule,
} from '@fundsim/domain';

/**
 * The fund's figures as cumulative lines of the ILPA roll-forward, in cents, from inception to a
 * mark. Net assets are their signed sum; between two marks, their differences are the period's
 * lines. `interest` counts interest paid plus interest accrued to the mark; `unrealizedGain` is a
 * level (fair value less cost), so its difference is the change in unrealized gain.
 */
export interface Lines {
  contributions: bigint;
  /** To the LPs: the whole of each distribution, or in a fund with a waterfall the LPs' part. */
  distributions: bigint;
  /**
   * In a fund with a waterfall: the managers' part of distributions (catch-up and carried
   * interest) plus the carry accrued at the mark, what they would receive if the net assets were
   * distributed that day (like `interest`: paid plus accrued).
   */
  carriedInterest: bigint;
  managementFees: bigint;
  expenses: bigint;
  interest: bigint;
  income: bigint;
  realizedGain: bigint;
  unrealizedGain: bigint;
}

/**
 * The lines at a mark, with what of `carriedInterest` was accrued at it (the rest was paid), and
 * what of `contributions` and `managementFees` were fees called from the fee-bearing LPs
 * (fee-exemption.ts): each such LP's own, not shared by commitment.
 */
export interface Mark extends Lines {
  carryAccrued: bigint;
  feesCalled: bigint;
}

export const LINE_KEYS = [
  'contributions',
  'distributions',
  'carriedInterest',
  'managementFees',
  'expenses',
  'interest',
  'income',
  'realizedGain',
  'unrealizedGain',
] as const;
/** How each line moves net assets. */
export const LINE_SIGNS: Record<keyof Lines, 1n | -1n> = {
  contributions: 1n,
  distributions: -1n,
  carriedInterest: -1n,
  managementFees: -1n,
  expenses: -1n,
  interest: -1n,
  income: 1n,
  realizedGain: 1n,
  unrealizedGain: 1n,
};

export const ZERO_LINES: Lines = {
  contributions: 0n,
  distributions: 0n,
  carriedInterest: 0n,
  managementFees: 0n,
  expenses: 0n,
  interest: 0n,
  income: 0n,
  realizedGain: 0n,
  unrealizedGain: 0n,
};

export const netAssetsOf = (l: Lines): bigint => LINE_KEYS.reduce((sum, k) => sum + LINE_SIGNS[k] * l[k], 0n);
/** What LPs share by commitment: everything but their own contributions, and the fees called from the fee-bearing LPs (which net to nothing). */
export const sharedOf = (m: Mark): bigint => netAssetsOf(m) - m.contributions + m.feesCalled;

/**
 * An ownership epoch (libs/domain ownership.ts): between two events that change who owns what (a
 * close, or a transfer of an LP interest) the owners do not change, and P&L of the epoch is shared among the owners at its
 * start, by commitment (allocation-policy.ts). Epoch n starts at the n-th such event (after what
 * those entering pay in: a close's catch-up, and the equalization interest it brings, which
 * belongs to the owners before it). `catchUp`, `catchUpFraction`, `interestFactor` and
 * `paidInCents` are what it asks of the pieces entering in it (`EpochOpening`).
 */
export interface Epoch extends EpochRecord, EpochOpening {
  /** Admitted commitments of the whole fund from this epoch on (its owners' weights), in cents. */
  admittedCents: bigint;
  /** Of them, the carry-exempt LPs' (carry-exemption.ts). */
  exemptCents: bigint;
  start: Mark;
  /** Set when the next ownership event starts a new epoch. */
  end?: Mark;
}

export interface Payout {
  distributionNumber: number;
  date: string;
  paymentDate: string;
  /** To the LPs (in a fund with a waterfall, their part: the carry-exempt LPs' share and the tiers' part to the LPs). */
  cents: bigint;
  /** In a fund with a waterfall: the distribution's split by tier, as recorded. */
  split?: WaterfallSplit;
  /** Index into `epochs`. */
  epoch: number;
}

/** A movement of cash between the fund and a lender: what ILPA's "without the facility" undoes. */
export interface FacilityFlow {
  date: string;
  facilityId: string;
  kind: 'draw' | 'repayment' | 'interest';
  cents: bigint;
}

/** A management fee called from the fee-bearing LPs (fee-exemption.ts): what each of them paid, and bore. */
export interface FeeCall {
  date: string;
  /** Index into `epochs`: the LPs admitted then, by their weight in it. */
  epoch: number;
  rule: CallRule;
}

export interface Ledger {
  state: FundState;
  /** Cumulative flows booked by events (interest paid, not accrued; no unrealized gain). */
  flows: Omit<Lines, 'interest' | 'unrealizedGain'> & { interestPaid: bigint; feesCalled: bigint };
  /** Management fees called from the fee-bearing LPs, in the order folded. */
  feeCalls: readonly FeeCall[];
  epochs: readonly Epoch[];
  /** Distributions declared, with the epoch whose LPs share them. */
  payouts: readonly Payout[];
  /** Draws, repayments and interest paid, in the order folded. */
  facilityFlows: readonly FacilityFlow[];
  /** Events of the (corrected) history folded so far. */
  folded: number;
  /** In a fund whose managers share fees by stake: each manager's share of the fees, each fee split on its own date, cumulative. */
  feesByManager?: ReadonlyMap<string, bigint>;
}

export const emptyLedger = (): Ledger => ({
  state: initialFundState(),
  flows: {
    contributions: 0n,
    distributions: 0n,
    carriedInterest: 0n,
    managementFees: 0n,
    expenses: 0n,
    interestPaid: 0n,
    income: 0n,
    realizedGain: 0n,
    feesCalled: 0n,
  },
  feeCalls: [],
  epochs: [],
  payouts: [],
  facilityFlows: [],
  folded: 0,
});

const cents = (m: Money): bigint => parseCents(m.toString());

/** The cumulative lines at a date, from a ledger folded up to that date. */
export function linesAt(ledger: Ledger, date: string): Mark {
  let accrued = 0n;
  for (const f of ledger.state.facilities.values()) accrued += cents(Money.of(accrueInterest(f, date).accrued, 'USD'));
  let unrealized = 0n;
  for (const p of ledger.state.projects.values()) unrealized += cents(p.fairValue) - cents(p.cost);
  const f = ledger.flows;
  const lines: Lines = {
    contributions: f.contributions,
    distributions: f.distributions,
    carriedInterest: f.carriedInterest,
    managementFees: f.managementFees,
    expenses: f.expenses,
    interest: f.interestPaid + accrued,
    income: f.income,
    realizedGain: f.realizedGain,
    unrealizedGain: unrealized,
  };
  const carryAccrued =
    liquidationOn(ledger.state, bearingNetAssets(ledger, { ...lines, carryAccrued: 0n, feesCalled: f.feesCalled }), date)?.accruedCarry ?? 0n;
  return { ...lines, carriedInterest: f.carriedInterest + carryAccrued, carryAccrued, feesCalled: f.feesCalled };
}

/**
 * What a liquidation at a mark distributes through the waterfall: the fund's net assets before
 * the carry accrued, less the carry-exempt LPs' (`exemptNetAssets`) when they are above zero; never
 * more than the fund has (exempt LPs below zero owe it, and a liquidation cannot pay that out).
 */
export function bearingNetAssets(ledger: Ledger, mark: Mark): bigint {
  const exempt = exemptNetAssets(ledger, mark);
  return netAssetsOf(mark) + mark.carryAccrued - (exempt > 0n ? exempt : 0n);
}

/** P&L shared by commitment at a mark: everything but contributions, the fees called and the carry accrued. */
export const grossShared = (m: Mark): bigint => sharedOf(m) + m.carryAccrued;

/**
 * The carry-exempt LPs' net assets at a mark (carry-exemption.ts): what they contributed and
 * their share by commitment of each epoch's P&L (distributions and carry paid included: an LP's
 * distributions plus its carry are its share by commitment, exempt or not), rounded down per
 * run of epochs with the same weights. The carry-bearing LPs' net assets, what the waterfall liquidates, are the rest. Zero in
 * a fund that exempts no one.
 */
export function exemptNetAssets(ledger: Ledger, mark: Mark): bigint {
  const exempt = ledger.state.carryExempt;
  if (exempt === undefined) return 0n;
  let cents = exempt.contributed;
  // Rounded down once per run of epochs with the same weights (a transfer between carry-bearing LPs
  // opens an epoch but changes neither), so the figure does not depend on how many such runs there were.
  const epochs = ledger.epochs;
  for (let i = 0; i < epochs.length;) {
    const e = epochs[i];
    let j = i;
    while (j + 1 < epochs.length && epochs[j + 1].exemptCents === e.exemptCents && epochs[j + 1].admittedCents === e.admittedCents) j++;
    if (e.exemptCents !== 0n) cents += divFloor(e.exemptCents * (grossShared(epochs[j].end ?? mark) - grossShared(e.start)), e.admittedCents);
    i = j + 1;
  }
  return cents;
}

/**
 * The carry-bearing LPs' net assets (`netAssetsBeforeCarry`: the fund's less the exempt LPs') distributed through the
 * waterfall on a date (a fund with one): what the tiers would give, and the clawback. Defaulted
 * contributions still owed are in net assets as a receivable but not in the LPs' contributed
 * capital, so they are left out: owed, not profit.
 */
export function liquidationOn(
  state: FundState,
  netAssetsBeforeCarry: bigint,
  date: string,
): (ReturnType<typeof liquidation> & { liquidated: bigint }) | undefined {
  const terms = state.config?.waterfall;
  if (!terms || !state.waterfall) return undefined;
  let owed = 0n;
  for (const d of state.defaultedUsd.values()) owed += cents(d);
  const liquidated = netAssetsBeforeCarry - owed;
  return { ...liquidation(terms, state.waterfall, liquidated, date), liquidated };
}

type Data = Record<string, string>;

/** Folds one event, as it counts in the books (a replacement in place of what it reverses). */
export function evolveLedger(ledger: Ledger, event: RecordedFundEvent): Ledger {
  const state = evolveFund(ledger.state, event);
  const d = event.data as unknown as Data;
  const flows = { ...ledger.flows };
  let epochs = ledger.epochs;
  let payouts = ledger.payouts;
  let facilityFlows = ledger.facilityFlows;
  let feesByManager = ledger.feesByManager;
  let feeCalls = ledger.feeCalls;
  const facilityFlow = (kind: FacilityFlow['kind']) =>
    (facilityFlows = [...facilityFlows, { date: event.metadata.effectiveDate, facilityId: d.facilityId, kind, cents: parseCents(d.amount) }]);
  switch (event.type) {
    case 'CapitalCalled':
      flows.contributions += parseCents(d.totalUsd);
      break;
    case 'CloseHeld':
      // The catch-up is capital; the equalization interest, income of the LPs admitted before.
      flows.contributions += parseCents(d.catchUpUsd);
      flows.income += parseCents(d.equalizationInterestUsd);
      break;
    case 'DistributionDeclared': {
      // In a fund with a waterfall the LPs share their part; the managers' part is carried interest.
      const split = event.data.waterfall;
      const toLps = split ? parseCents(split.toLps) + parseCents(split.exempt ?? '0') : parseCents(d.amount);
      flows.distributions += toLps;
      flows.carriedInterest += parseCents(split?.toManagers ?? '0');
      const payout: Payout = {
        distributionNumber: event.data.distributionNumber,
        date: event.metadata.effectiveDate,
        paymentDate: d.paymentDate,
        cents: toLps,
        epoch: Math.max(0, epochs.length - 1),
        ...(split ? { split } : {}),
      };
      payouts = [...payouts, payout];
      break;
    }
    case 'ManagementFeeCharged': {
      flows.managementFees += parseCents(d.amount);
      const called = event.data.calledFrom;
      if (called) {
        // Paid in by the fee-bearing LPs as it is paid out: each one's contribution and fee, the same cents.
        flows.contributions += parseCents(d.amount);
        flows.feesCalled += parseCents(d.amount);
        const rule = feeRule(parseCents(d.amount), parseCents(called.bearingUsd), called.split);
        feeCalls = [...feeCalls, { date: event.metadata.effectiveDate, epoch: Math.max(0, epochs.length - 1), rule }];
      }
      const terms = state.config?.waterfall;
      if (terms && shareRule(terms, 'fees') === 'by-stake') {
        const by = new Map(feesByManager);
        for (const [manager, part] of managersSplit(terms, parseCents(d.amount), 'fees', state.stakes)) by.set(manager, (by.get(manager) ?? 0n) + part);
        feesByManager = by;
      }
      break;
    }
    case 'ExpenseRecorded':
      flows.expenses += parseCents(d.amount);
      break;
    case 'InterestPaid':
      flows.interestPaid += parseCents(d.amount);
      facilityFlow('interest');
      break;
    case 'LeverageDrawn':
      facilityFlow('draw');
      break;
    case 'LeverageRepaid':
      facilityFlow('repayment');
      break;
    case 'ProceedsReceived':
      if (d.kind === 'income') flows.income += parseCents(d.amount);
      else flows.realizedGain += parseCents(d.realizedGain);
      break;
    default:
      // The others move no line of the roll-forward (the state folds them).
      break;
  }
  if (opensEpoch(event)) epochs = withEpochOpened(ledger, state, flows, event);
  return { state, flows, feeCalls, epochs, payouts, facilityFlows, folded: ledger.folded + 1, ...(feesByManager ? { feesByManager } : {}) };
}

/**
 * The epochs after an event that changes who owns what: the current one ends and the next starts
 * at the mark after the event's own lines (what those entering paid in).
 */
function withEpochOpened(ledger: Ledger, state: FundState, flows: Ledger['flows'], event: OwnershipEvent & RecordedFundEvent): Epoch[] {
  const epochs = ledger.epochs;
  const mark = linesAt({ ...ledger, state, flows }, event.metadata.effectiveDate);
  const previous = epochs.length ? [...epochs.slice(0, -1), { ...epochs[epochs.length - 1], end: mark }] : [];
  return [
    ...previous,
    {
      // As the fund's state opened it (evolveFund), with what it asks of those entering.
      ...state.epochs[state.epochs.length - 1],
      ...ownershipRule(event).opening(event.data),
      admittedCents: cents(state.admittedUsd),
      exemptCents: state.carryExempt?.cents ?? 0n,
      // Whatever P&L came before the first epoch belongs to the LPs it admits.
      start: previous.length ? mark : { ...ZERO_LINES, carryAccrued: 0n, feesCalled: 0n, contributions: mark.contributions },
    },
  ];
}

/** Where the fold of a history can resume from: a ledger after the first `index` events. */
export interface LedgerSnapshot {
  index: number;
  /** Latest effective date among the events folded: usable for as-of dates on or after it. */
  maxEffectiveDate: string;
  /** Latest recorded-at among them: usable for known-at times on or after it. */
  maxRecordedAt: string;
  ledger: Ledger;
}

export interface LedgerQuery {
  asOf: string;
  /** An ISO instant; absent: as known now. */
  knownAt?: string;
}

/**
 * The ledger as of a date, as known at an instant: events recorded by then, with effective date
 * on or before the date, each correction known by then applied in place of what it reverses.
 * Resumes from the latest usable snapshot (taken on the history as known now) when one is given.
 */
export function ledgerAsOf(history: readonly RecordedFundEvent[], query: LedgerQuery, snapshots: readonly LedgerSnapshot[] = []): Ledger {
  const known = (e: RecordedFundEvent) => query.knownAt === undefined || (e.metadata.recordedAt ?? '') <= query.knownAt;
  const reversals = new Map<string, EventReversed['data']>();
  // Reversals recorded after knownAt: a snapshot past the event one of them reverses saw it as corrected.
  let earliestUnknownReversal = Infinity;
  const positionOf = new Map<string, number>();
  for (const [i, e] of history.entries()) {
    if (e.metadata.eventId !== undefined) positionOf.set(e.metadata.eventId, i);
    if (e.type !== 'EventReversed' || isCommitmentReversal(e)) continue;
    if (known(e)) reversals.set(e.data.eventId, e.data);
    else earliestUnknownReversal = Math.min(earliestUnknownReversal, positionOf.get(e.data.eventId) ?? -1);
  }
  let start: LedgerSnapshot | undefined;
  for (const s of snapshots) {
    const usable =
      s.maxEffectiveDate <= query.asOf && (query.knownAt === undefined || (s.maxRecordedAt <= query.knownAt && s.index <= earliestUnknownReversal));
    if (usable && (!start || s.index > start.index)) start = s;
  }
  let ledger = start?.ledger ?? emptyLedger();
  for (let i = start?.index ?? 0; i < history.length; i++) {
    const event = history[i];
    if (event.type === 'EventReversed' || event.metadata.effectiveDate > query.asOf || !known(event)) continue;
    const counted = asCorrected(event, reversals);
    if (counted) ledger = evolveLedger(ledger, counted);
  }
  return ledger;
}
