import type { CallPurposes } from './call-purposes';
import type { DomainEvent } from '../command';
import type { LpKind } from '../investors/commitment.events';
import { daysBetween } from '../dates';
import { GrowingSet } from '../growing-set';
import { Dec, Money } from '../money';
import type { FundEstablished, FundEvent } from './fund.events';
import type { ReversalProposed } from './correction.events';
import type { DayCount } from './leverage.events';
import { parseCents, parseFraction } from '../cents';
import { callRuleOf, type CallRule } from '../investors/call-split';
import { opensEpoch, withEpochOpened, type EpochRecord } from '../investors/ownership';
import type { Stakes } from '../waterfall/manager-shares';
import { noneExempt, type CarryExempt } from '../waterfall/carry-exemption';
import { openDeals, withDistribution, withFunding, withProceeds, type DealBook } from '../waterfall/deal-by-deal';
import { contribute, openWaterfall, recordDistribution, type WaterfallLedger } from '../waterfall/waterfall';

export interface CallRecord {
  callNumber: number;
  date: string;
  dueDate: string;
  percentage: Dec;
  totalUsd: Money;
  /** Each LP's amount (`callShare`). */
  rule: CallRule;
  /** What the call is for, as recorded (absent: all investments). */
  purposes?: CallPurposes;
}

export interface CloseRecord {
  closeNumber: number;
  date: string;
  throughPosition: number;
  admittedUsd: Money;
  /** What LPs joining at this close paid to catch up on earlier calls. */
  catchUpUsd: Money;
  /** Calls made before this close: the LPs it admits take part from the call after them on. */
  callsBefore: number;
  /** Where the close admits only commitments dated on or before it: its date (absent for closes recorded before that rule). */
  admitsThroughDate?: string;
}

export interface FacilityState {
  facilityId: string;
  lender: string;
  limit: Money;
  annualRate: Dec;
  dayCount: DayCount;
  maturityDate: string;
  principal: Money;
  /** Interest accrued and not yet paid, exact (rounded only when booked). */
  accrued: Dec;
  accruedThrough: string;
}

export interface ProjectState {
  projectId: string;
  name: string;
  sector: string;
  cost: Money;
  fairValue: Money;
  /** Sum of committed allocations: what the concentration limit bounds. */
  committed: Money;
}

export interface AllocationState {
  allocationId: string;
  projectId: string;
  amount: Money;
  approvals: readonly string[];
  status: 'proposed' | 'committed' | 'rejected';
  funded: Money;
}

/** What the fund's rules need to know, folded from the fund stream. */
export interface FundState {
  config?: FundEstablished['data'];
  managers: ReadonlySet<string>;
  /** Managers the fund names that have not yet accepted (a manager established it naming them). */
  awaitingAcceptance: ReadonlySet<string>;
  latestEffectiveDate?: string;
  /** The latest effective date of a decision (any event but a fact or a correction): decisions only move forward. */
  latestDecisionDate?: string;
  /** The latest effective date of a decision one of the managers recorded: it opens the period facts may be dated in. */
  managersDate?: string;
  /** Reversals of events under dual control waiting for the other required managers, by the reversed event's id. */
  pendingReversals: ReadonlyMap<string, ReversalProposed['data']>;
  /** Calls and distributions reversed without a replacement: their numbers stay used (a notice, a default name them). */
  numbersRetired: { calls: number; distributions: number };
  /** USD/JPY by effective date, ascending. */
  fxRates: { date: string; rate: string }[];
  closes: CloseRecord[];
  /** The ownership epochs opened so far (ownership.ts): one per close or transfer. */
  epochs: EpochRecord[];
  admittedUsd: Money;
  calls: CallRecord[];
  calledFraction: Dec;
  /** `defaultKey(call, lp)` of every default recorded; grows in place (a fold stays linear). */
  defaults: GrowingSet;
  defaultedUsd: ReadonlyMap<number, Money>;
  /**
   * Cash booked so far, not counting contributions of calls (received on their due dates) that
   * `cashOn` adds.
   */
  bookedCash: Money;
  facilities: ReadonlyMap<string, FacilityState>;
  projects: ReadonlyMap<string, ProjectState>;
  allocations: ReadonlyMap<string, AllocationState>;
  distributions: { distributionNumber: number; amount: Money; paymentDate: string }[];
  /** In a fund with a waterfall: the LPs' account with the managers (contributions, tiers paid). */
  waterfall?: WaterfallLedger;
  /** In a fund with an American waterfall: its deals, and the proceeds not yet distributed (deal-by-deal.ts). */
  deals?: DealBook;
  /** In a fund whose managers share by stake: the governments' admitted commitments, as the last close recorded them. */
  stakes?: Stakes;
  /** In a fund whose terms exempt LPs from carry, once a close admits one (carry-exemption.ts). */
  carryExempt?: CarryExempt;
  /** In a fund whose terms exempt LPs from management fees, once a close admits one (fee-exemption.ts): their admitted commitments. */
  feeExempt?: Pick<CarryExempt, 'admitted' | 'cents'>;
  /**
   * LPs that entered the fund by a transfer (transfer.decider.ts), with no commitment of their own then:
   * their terms, and who recorded the transfer (few; a commitment's rules read them as they read an
   * LP's first commitment).
   */
  transferees?: ReadonlyMap<string, { kind: LpKind; country: string; currency: 'USD' | 'JPY'; onboardedBy: string }>;
  /** Transfers of LP interests recorded (transfer.decider.ts). */
  transferCount?: number;
}

export const initialFundState = (): FundState => ({
  managers: new Set(),
  awaitingAcceptance: new Set(),
  pendingReversals: new Map(),
  numbersRetired: { calls: 0, distributions: 0 },
  fxRates: [],
  closes: [],
  epochs: [],
  admittedUsd: Money.zero('USD'),
  calls: [],
  calledFraction: new Dec(0),
  defaults: GrowingSet.empty(),
  defaultedUsd: new Map(),
  bookedCash: Money.zero('USD'),
  facilities: new Map(),
  projects: new Map(),
  allocations: new Map(),
  distributions: [],
});

/**
 * Facts: what the market and the projects tell the fund (a rate, a value, cash received). They
 * may arrive after later-dated events (a valuation as of 30 September learnt in October), so they
 * are recorded at their own date within the open period, and every fold takes the fund's events in
 * date order: a fact never waits for, nor blocks, anyone else's dates.
 */
export const FACT_EVENTS: ReadonlySet<string> = new Set(['FxRateRecorded', 'ProjectValued', 'ProceedsReceived', 'CapitalCommitted']);
/** The commands that record a fact (each yields one of FACT_EVENTS); every other command is a decision. */
export const FACT_COMMANDS: ReadonlySet<string> = new Set(['RecordFxRate', 'ValueProject', 'ReceiveProceeds', 'CommitCapital']);
/** Corrections carry the date of the event they correct; they neither move nor are bound by the fund's dates. */
export const CORRECTION_EVENTS: ReadonlySet<string> = new Set(['EventReversed', 'ReversalProposed', 'ReversalApproved', 'ReversalRejected']);

export const defaultKey = (callNumber: number, lpId: string): string => `${callNumber}:${lpId}`;

export type RecordedFundEvent = FundEvent & { metadata: DomainEvent['metadata'] };

export function evolveFund(state: FundState, event: RecordedFundEvent): FundState {
  const next = evolveFigures(state, event);
  // Whatever changes who owns what opens an epoch, the same way for every kind of change.
  return opensEpoch(event) ? { ...next, epochs: withEpochOpened(state.epochs, event, event.metadata.effectiveDate, state.calls.length) } : next;
}

function evolveFigures(state: FundState, event: RecordedFundEvent): FundState {
  const date = event.metadata.effectiveDate;
  const later = (a: string | undefined) => (a && a > date ? a : date);
  const next: FundState = {
    ...state,
    latestEffectiveDate: later(state.latestEffectiveDate),
    // Facts move neither: only the managers' decisions open later periods.
    ...(FACT_EVENTS.has(event.type)
      ? {}
      : {
          latestDecisionDate: later(state.latestDecisionDate),
          ...(state.managers.has(event.metadata.actor) ? { managersDate: later(state.managersDate) } : {}),
        }),
  };
  switch (event.type) {
    case 'FundEstablished':
      return {
        ...next,
        config: event.data,
        managers: new Set(event.data.managers),
        awaitingAcceptance: new Set(event.data.awaitingAcceptance ?? []),
        managersDate: date,
        ...(event.data.waterfall ? { waterfall: openWaterfall(date) } : {}),
        ...(event.data.waterfall?.style === 'american' ? { deals: openDeals() } : {}),
      };
    case 'ManagementAccepted': {
      const awaiting = new Set(state.awaitingAcceptance);
      awaiting.delete(event.data.manager);
      return { ...next, awaitingAcceptance: awaiting };
    }
    case 'MilestoneRecorded':
      return next;
    case 'FxRateRecorded': {
      // Kept in date order (a rate may be recorded after a later one): after those on or before its date.
      const fxRates = [...state.fxRates];
      let at = fxRates.length;
      while (at > 0 && fxRates[at - 1].date > date) at--;
      fxRates.splice(at, 0, { date, rate: event.data.rate });
      return { ...next, fxRates };
    }
    case 'CloseHeld': {
      const admitted = Money.parse(event.data.admittedUsd, 'USD');
      const close: CloseRecord = {
        closeNumber: event.data.closeNumber,
        date,
        throughPosition: event.data.throughPosition,
        admittedUsd: admitted,
        catchUpUsd: usd(event.data.catchUpUsd),
        callsBefore: state.calls.length,
      };
      if (event.data.admitsThroughDate !== undefined) close.admitsThroughDate = event.data.admitsThroughDate;
      // New LPs pay their catch-up and equalization interest at the close.
      const received = usd(event.data.catchUpUsd).plus(usd(event.data.equalizationInterestUsd));
      // The catch-up is capital (the equalization interest goes to the LPs admitted before).
      const exempt = event.data.carryExempt;
      const exemptCatchUp = exempt === undefined ? 0n : parseCents(exempt.catchUpUsd);
      // The waterfall's capital is the carry-bearing LPs'.
      const waterfall = contributed(state, parseCents(event.data.catchUpUsd) - exemptCatchUp, date);
      return {
        ...next,
        closes: [...state.closes, close],
        admittedUsd: state.admittedUsd.plus(admitted),
        bookedCash: state.bookedCash.plus(received),
        ...waterfall,
        ...(event.data.stakes === undefined ? {} : { stakes: event.data.stakes }),
        ...(exempt === undefined ? {} : { carryExempt: withExemptAdmitted(state.carryExempt ?? noneExempt(), exempt.admitted, exemptCatchUp) }),
        ...(event.data.feeExempt === undefined ? {} : { feeExempt: withExemptAdmitted(state.feeExempt ?? noneExempt(), event.data.feeExempt.admitted, 0n) }),
      };
    }
    case 'CapitalCalled': {
      const percentage = new Dec(event.data.percentage);
      const call: CallRecord = {
        callNumber: event.data.callNumber,
        date,
        dueDate: event.data.dueDate,
        percentage,
        totalUsd: Money.parse(event.data.totalUsd, 'USD'),
        rule: callRuleOf(parseFraction(event.data.percentage), event.data.split),
        ...(event.data.purposes ? { purposes: event.data.purposes } : {}),
      };
      const exemptCents = event.data.carryExemptUsd === undefined ? 0n : parseCents(event.data.carryExemptUsd);
      return {
        ...next,
        calls: [...state.calls, call],
        calledFraction: state.calledFraction.plus(percentage),
        ...contributed(state, parseCents(event.data.totalUsd) - exemptCents, date, event.data.dueDate),
        ...(state.carryExempt && exemptCents !== 0n ? { carryExempt: { ...state.carryExempt, contributed: state.carryExempt.contributed + exemptCents } } : {}),
      };
    }
    case 'InterestTransferred': {
      const newLp = event.data.newLp;
      const transferCount = (state.transferCount ?? 0) + 1;
      if (!newLp) return { ...next, transferCount };
      const transferees = new Map(state.transferees);
      transferees.set(event.data.toLpId, { ...newLp, onboardedBy: event.metadata.actor });
      return { ...next, transferCount, transferees };
    }
    case 'ContributionDefaulted': {
      const defaulted = new Map(state.defaultedUsd);
      defaulted.set(event.data.callNumber, (defaulted.get(event.data.callNumber) ?? Money.zero('USD')).plus(usd(event.data.amountUsd)));
      // What was called and not paid is not capital contributed (an exempt LP's, not the waterfall's).
      const unpaid = parseCents(event.data.amountUsd);
      const exempt = state.carryExempt;
      return {
        ...next,
        defaults: state.defaults.with(defaultKey(event.data.callNumber, event.data.lpId)),
        defaultedUsd: defaulted,
        ...(exempt?.admitted.has(event.data.lpId)
          ? { carryExempt: { ...exempt, contributed: exempt.contributed - unpaid } }
          : contributed(state, -unpaid, date, state.calls.find((c) => c.callNumber === event.data.callNumber)?.dueDate)),
      };
    }
    case 'CreditFacilityOpened': {
      const d = event.data;
      const facility: FacilityState = {
        facilityId: d.facilityId,
        lender: d.lender,
        limit: usd(d.limit),
        annualRate: new Dec(d.annualRate),
        dayCount: d.dayCount,
        maturityDate: d.maturityDate,
        principal: Money.zero('USD'),
        accrued: new Dec(0),
        accruedThrough: date,
      };
      return { ...next, facilities: withFacility(state, facility) };
    }
    case 'CreditFacilityAmended': {
      const f = facilityOf(state, event.data.facilityId, date);
      return { ...next, facilities: withFacility(state, { ...f, limit: usd(event.data.limit), maturityDate: event.data.maturityDate }) };
    }
    case 'LeverageDrawn': {
      const f = accrueInterest(facilityOf(state, event.data.facilityId, date), date);
      const amount = usd(event.data.amount);
      return { ...next, facilities: withFacility(state, { ...f, principal: f.principal.plus(amount) }), bookedCash: state.bookedCash.plus(amount) };
    }
    case 'InterestPaid': {
      const f = accrueInterest(facilityOf(state, event.data.facilityId, date), date);
      const amount = usd(event.data.amount);
      return { ...next, facilities: withFacility(state, { ...f, accrued: f.accrued.minus(amount.amount) }), bookedCash: state.bookedCash.minus(amount) };
    }
    case 'LeverageRepaid': {
      const f = accrueInterest(facilityOf(state, event.data.facilityId, date), date);
      const amount = usd(event.data.amount);
      return { ...next, facilities: withFacility(state, { ...f, principal: f.principal.minus(amount) }), bookedCash: state.bookedCash.minus(amount) };
    }
    case 'ProjectRegistered': {
      const zero = Money.zero('USD');
      const project = { projectId: event.data.projectId, name: event.data.name, sector: event.data.sector, cost: zero, fairValue: zero, committed: zero };
      return { ...next, projects: withEntry(state.projects, project.projectId, project) };
    }
    case 'AllocationProposed': {
      const d = event.data;
      const allocation: AllocationState = {
        allocationId: d.allocationId,
        projectId: d.projectId,
        amount: usd(d.amount),
        approvals: [event.metadata.actor],
        status: 'proposed',
        funded: Money.zero('USD'),
      };
      return { ...next, allocations: withEntry(state.allocations, d.allocationId, allocation) };
    }
    case 'AllocationApproved': {
      const a = allocationOf(state, event.data.allocationId);
      return { ...next, allocations: withEntry(state.allocations, a.allocationId, { ...a, approvals: event.data.approvals }) };
    }
    case 'AllocationRejected': {
      const a = allocationOf(state, event.data.allocationId);
      return { ...next, allocations: withEntry(state.allocations, a.allocationId, { ...a, status: 'rejected' }) };
    }
    case 'AllocationCommitted': {
      const a = allocationOf(state, event.data.allocationId, event.data.projectId, event.data.amount);
      const p = projectOf(state, a.projectId);
      return {
        ...next,
        allocations: withEntry(state.allocations, a.allocationId, { ...a, status: 'committed' }),
        projects: withEntry(state.projects, p.projectId, { ...p, committed: p.committed.plus(a.amount) }),
      };
    }
    case 'ProjectFunded': {
      const amount = usd(event.data.amount);
      const a = allocationOf(state, event.data.allocationId, event.data.projectId);
      const p = projectOf(state, event.data.projectId);
      return {
        ...next,
        bookedCash: state.bookedCash.minus(amount),
        allocations: withEntry(state.allocations, a.allocationId, { ...a, funded: a.funded.plus(amount) }),
        projects: withEntry(state.projects, p.projectId, { ...p, cost: p.cost.plus(amount), fairValue: p.fairValue.plus(amount) }),
        ...(state.deals ? { deals: withFunding(state.deals, p.projectId, parseCents(event.data.amount)) } : {}),
      };
    }
    case 'ProjectValued': {
      const p = projectOf(state, event.data.projectId);
      return { ...next, projects: withEntry(state.projects, p.projectId, { ...p, fairValue: usd(event.data.fairValue) }) };
    }
    case 'ProceedsReceived': {
      const d = event.data;
      const p = projectOf(state, d.projectId);
      const amount = usd(d.amount);
      const project = d.kind === 'capital' ? { ...p, fairValue: p.fairValue.minus(amount), cost: p.cost.minus(usd(d.costRelieved)) } : p;
      return {
        ...next,
        bookedCash: state.bookedCash.plus(amount),
        projects: withEntry(state.projects, p.projectId, project),
        ...(state.deals ? { deals: withProceeds(state.deals, p.projectId, parseCents(d.amount)) } : {}),
      };
    }
    case 'DistributionDeclared': {
      const d = event.data;
      const waterfall =
        state.waterfall && state.config?.waterfall && d.waterfall
          ? { waterfall: recordDistribution(state.config.waterfall, state.waterfall, d.waterfall, date) }
          : {};
      const attributed = d.waterfall?.deals;
      return {
        ...next,
        distributions: [...state.distributions, { distributionNumber: d.distributionNumber, amount: usd(d.amount), paymentDate: d.paymentDate }],
        ...waterfall,
        ...(state.deals && attributed
          ? {
              deals: withDistribution(
                state.deals,
                attributed.map((a) => ({ projectId: a.projectId, cents: parseCents(a.amount) })),
              ),
            }
          : {}),
      };
    }
    case 'EventReversed': {
      // Its effect on the figures is applied by foldFundHistory, at the reversed event's place.
      const { reversedType, replacement } = event.data;
      const retired = replacement
        ? state.numbersRetired
        : {
            calls: state.numbersRetired.calls + (reversedType === 'CapitalCalled' ? 1 : 0),
            distributions: state.numbersRetired.distributions + (reversedType === 'DistributionDeclared' ? 1 : 0),
          };
      return {
        ...state,
        numbersRetired: retired,
        ...(state.pendingReversals.has(event.data.eventId) ? { pendingReversals: without(state.pendingReversals, event.data.eventId) } : {}),
      };
    }
    case 'ReversalProposed':
      return { ...state, pendingReversals: withEntry(state.pendingReversals, event.data.eventId, event.data) };
    case 'ReversalApproved': {
      const proposal = state.pendingReversals.get(event.data.eventId);
      return proposal
        ? { ...state, pendingReversals: withEntry(state.pendingReversals, event.data.eventId, { ...proposal, approvals: event.data.approvals }) }
        : state;
    }
    case 'ReversalRejected':
      return { ...state, pendingReversals: without(state.pendingReversals, event.data.eventId) };
    case 'ManagementFeeCharged': {
      const called = event.data.calledFrom;
      if (called === undefined) return { ...next, bookedCash: state.bookedCash.minus(usd(event.data.amount)) };
      // Called from the fee-bearing LPs as it is paid: no cash moves; what the carry-bearing of them paid is the waterfall's capital.
      return { ...next, ...contributed(state, parseCents(event.data.amount) - parseCents(called.carryExemptUsd ?? '0'), date) };
    }
    case 'ExpenseRecorded':
      return { ...next, bookedCash: state.bookedCash.minus(usd(event.data.amount)) };
    default:
      return next;
  }
}

const usd = (text: string): Money => Money.parse(text, 'USD');

/** The exempt LPs after a close admits `admitted` (USD by LP) of them, who pay `catchUp` cents. */
function withExemptAdmitted(
  exempt: Pick<CarryExempt, 'admitted' | 'cents'> & Partial<CarryExempt>,
  admitted: Readonly<Record<string, string>>,
  catchUp: bigint,
): CarryExempt {
  const byLp = new Map(exempt.admitted);
  let cents = exempt.cents;
  for (const [lpId, usd] of Object.entries(admitted)) {
    byLp.set(lpId, (byLp.get(lpId) ?? 0n) + parseCents(usd));
    cents += parseCents(usd);
  }
  return { admitted: byLp, cents, contributed: (exempt.contributed ?? 0n) + catchUp };
}

/** The waterfall's contributed capital after `cents` (negative: a default) on `date`, due on `dueDate`, where the fund has a waterfall. */
function contributed(state: FundState, cents: bigint, date: string, dueDate = date): { waterfall?: WaterfallLedger } {
  if (!state.waterfall || !state.config?.waterfall) return {};
  return { waterfall: contribute(state.config.waterfall, state.waterfall, cents, date, dueDate) };
}

function without<V>(map: ReadonlyMap<string, V>, key: string): Map<string, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): Map<string, V> {
  const copy = new Map(map);
  copy.set(key, value);
  return copy;
}

/*
 * A log written around the deciders (an import, or rules that have since changed) may name a
 * facility, project or allocation it never opened. The fold still books the money, against a
 * placeholder, so that the audit can show the breach instead of the replay failing on it.
 */
function facilityOf(state: FundState, facilityId: string, date: string): FacilityState {
  return (
    state.facilities.get(facilityId) ?? {
      facilityId,
      lender: 'unknown',
      limit: Money.zero('USD'),
      annualRate: new Dec(0),
      dayCount: 'ACT/365',
      maturityDate: date,
      principal: Money.zero('USD'),
      accrued: new Dec(0),
      accruedThrough: date,
    }
  );
}

function projectOf(state: FundState, projectId: string): ProjectState {
  const zero = Money.zero('USD');
  return state.projects.get(projectId) ?? { projectId, name: projectId, sector: 'unknown', cost: zero, fairValue: zero, committed: zero };
}

function allocationOf(state: FundState, allocationId: string, projectId = 'unknown', amount = '0.00'): AllocationState {
  return state.allocations.get(allocationId) ?? { allocationId, projectId, amount: usd(amount), approvals: [], status: 'proposed', funded: Money.zero('USD') };
}

function withFacility(state: FundState, facility: FacilityState): Map<string, FacilityState> {
  const facilities = new Map(state.facilities);
  facilities.set(facility.facilityId, facility);
  return facilities;
}

/** Simple interest on the outstanding principal, by the facility's day count, up to `date`. */
export function accrueInterest(f: FacilityState, date: string): FacilityState {
  const days = daysBetween(f.accruedThrough, date);
  if (days <= 0) return f;
  const basis = f.dayCount === 'ACT/360' ? 360 : 365;
  return { ...f, accrued: f.accrued.plus(f.principal.amount.times(f.annualRate).times(days).dividedBy(basis)), accruedThrough: date };
}

/** The USD/JPY rate in force on a date: the latest one recorded on or before it. */
export function fxRateOn(state: FundState, date: string): string | undefined {
  // Rates are recorded in date order: the last one on or before the date, by bisection.
  const rates = state.fxRates;
  let lo = 0;
  let hi = rates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rates[mid].date <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : rates[lo - 1].rate;
}
