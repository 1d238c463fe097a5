import type { CallPurposes } from '../fund/call-purposes';
import type { CorrectionEvent } from '../fund/correction.events';
import type { FundEvent, LeveragePolicy } from '../fund/fund.events';
import type { CallSplitData } from '../investors/call-split';
import type { FeeCallData } from '../waterfall/fee-exemption';
import type { InvestorEvent } from '../investors/commitment.events';
import type { ManagerShareRule } from '../waterfall/manager-shares';
import type { WaterfallSplit, WaterfallTerms } from '../waterfall/waterfall';
import type { EventSchemas } from './event-codec';
import { anyObject, bool, type Check, count, decimal, figure, id, isoDate, list, oneOf, optional, record, shape, text } from './shape';

/*
 * The shape of every event the domain records, by type, at its current version (every one is at
 * version 1: none has changed in a way its readers cannot tell apart). `EventSchemas<...>` asks
 * for every type of the union and for every field of each, so a new event or field fails to
 * compile until it is described here. How to change an event's shape: docs/architecture.md.
 */

const callSplit = shape<CallSplitData>({ remainderAbove: decimal, tiedThrough: optional(id) });
const purposes = shape<CallPurposes>({
  investments: optional(decimal),
  managementFees: optional(decimal),
  expenses: optional(decimal),
  facilityRepayment: optional(decimal),
});
const fixedShares = list(shape<{ manager: string; share: string }>({ manager: id, share: decimal }));
/** `by-stake`, or fixed shares. */
const shareRule: Check<ManagerShareRule> = (value, path) => (value === 'by-stake' ? undefined : fixedShares(value, path));
const waterfallTerms = shape<WaterfallTerms>({
  style: oneOf('european', 'american'),
  preferredReturn: shape<WaterfallTerms['preferredReturn']>({
    rate: decimal,
    compounding: oneOf('annual', 'none'),
    dayCount: oneOf('ACT/365', 'ACT/360'),
    accruesFrom: optional(oneOf('due-date', 'call-date')),
  }),
  catchUp: decimal,
  carriedInterest: decimal,
  carryBearing: oneOf('all', 'non-sovereign'),
  carryExempt: optional(list(id)),
  feeBearing: optional(oneOf('all', 'non-sovereign')),
  feeExempt: optional(list(id)),
  clawback: optional(shape<NonNullable<WaterfallTerms['clawback']>>({ rule: oneOf('share-of-profit', 'rerun'), taxRate: optional(decimal) })),
  managerShares: list(shape<WaterfallTerms['managerShares'][number]>({ manager: id, share: decimal, lpId: optional(id) })),
  feeShares: optional(shareRule),
  carryShares: optional(shareRule),
});
const waterfallSplit = shape<WaterfallSplit>({
  returnOfCapital: decimal,
  preferredReturn: decimal,
  catchUpToLps: decimal,
  catchUpToManagers: decimal,
  carriedInterestToLps: decimal,
  carriedInterestToManagers: decimal,
  toLps: decimal,
  toManagers: decimal,
  exempt: optional(decimal),
  managers: record(decimal),
  capitalReturnable: optional(decimal),
  deals: optional(list(shape<NonNullable<WaterfallSplit['deals']>[number]>({ projectId: id, amount: decimal }))),
});
/** A replacement's data is checked again as the event it stands for (`EventCodec`). */
const replacement = shape<{ type: string; data: Record<string, unknown> }>({ type: id, data: anyObject });

type Schemas<E extends { type: string; data: unknown }> = EventSchemas<E>;

const fundEvents: Schemas<Exclude<FundEvent, CorrectionEvent>> = {
  FundEstablished: {
    version: 1,
    data: shape({
      fundId: id,
      name: id,
      baseCurrency: oneOf('USD'),
      targetSize: decimal,
      hardCap: decimal,
      managers: list(id),
      approvalsRequired: list(id),
      leveragePolicy: shape<LeveragePolicy>({ maxRatio: decimal, basis: oneOf('commitments', 'net-assets') }),
      concentrationLimit: decimal,
      equalizationRate: decimal,
      inceptionDate: isoDate,
      waterfall: optional(waterfallTerms),
      awaitingAcceptance: optional(list(id)),
    }),
  },
  ManagementAccepted: { version: 1, data: shape({ manager: id }) },
  MilestoneRecorded: { version: 1, data: shape({ milestone: text, note: text }) },
  FxRateRecorded: { version: 1, data: shape({ pair: oneOf('USD/JPY'), rate: decimal }) },
  CloseHeld: {
    version: 1,
    data: shape({
      closeNumber: count,
      throughPosition: count,
      pendingCount: count,
      pendingUsd: decimal,
      admittedUsd: decimal,
      scaledBack: bool,
      catchUpFraction: decimal,
      equalizationInterestFactor: decimal,
      catchUpUsd: decimal,
      catchUpSplit: optional(callSplit),
      equalizationInterestUsd: decimal,
      admitsThroughDate: optional(isoDate),
      stakes: optional(record(decimal)),
      carryExempt: optional(shape({ admitted: record(decimal), catchUpUsd: decimal })),
      feeExempt: optional(shape({ admitted: record(decimal) })),
    }),
  },
  CapitalCalled: {
    version: 1,
    data: shape({
      callNumber: count,
      percentage: decimal,
      dueDate: isoDate,
      admittedUsd: decimal,
      totalUsd: decimal,
      lpCount: count,
      split: optional(callSplit),
      purposes: optional(purposes),
      carryExemptUsd: optional(decimal),
    }),
  },
  ContributionDefaulted: { version: 1, data: shape({ callNumber: count, lpId: id, amountUsd: decimal }) },
  InterestTransferred: {
    version: 1,
    data: shape({
      transferNumber: count,
      fromLpId: id,
      toLpId: id,
      commitmentUsd: decimal,
      fromAmount: decimal,
      toAmount: decimal,
      toCurrency: optional(oneOf('USD', 'JPY')),
      fxRate: optional(decimal),
      priceUsd: decimal,
      newLp: optional(shape({ kind: oneOf('sovereign', 'retail', 'institutional'), country: id, currency: oneOf('USD', 'JPY') })),
    }),
  },
  CreditFacilityOpened: {
    version: 1,
    data: shape({ facilityId: id, lender: text, limit: decimal, annualRate: decimal, dayCount: oneOf('ACT/365', 'ACT/360'), maturityDate: isoDate }),
  },
  CreditFacilityAmended: {
    version: 1,
    data: shape({ facilityId: id, limit: decimal, maturityDate: isoDate, limitBefore: decimal, maturityDateBefore: isoDate, principal: decimal }),
  },
  LeverageDrawn: {
    version: 1,
    data: shape({ facilityId: id, amount: decimal, principalAfter: figure(decimal), totalDebtAfter: figure(decimal), leverageCap: figure(decimal) }),
  },
  InterestPaid: { version: 1, data: shape({ facilityId: id, amount: decimal, throughDate: isoDate }) },
  LeverageRepaid: { version: 1, data: shape({ facilityId: id, amount: decimal, principalAfter: figure(decimal) }) },
  ProjectRegistered: { version: 1, data: shape({ projectId: id, name: text, sector: text, partners: list(text), totalProjectSize: decimal }) },
  AllocationProposed: { version: 1, data: shape({ allocationId: id, projectId: id, amount: decimal }) },
  AllocationApproved: { version: 1, data: shape({ allocationId: id, approvals: list(id) }) },
  AllocationRejected: { version: 1, data: shape({ allocationId: id, reason: text }) },
  AllocationCommitted: {
    version: 1,
    data: shape({
      allocationId: id,
      projectId: id,
      amount: decimal,
      approvedBy: list(id),
      projectCommittedAfter: figure(decimal),
      concentrationLimitAmount: figure(decimal),
    }),
  },
  ProjectFunded: {
    version: 1,
    data: shape({ allocationId: id, projectId: id, amount: decimal, cashBefore: figure(decimal), allocationLeftAfter: figure(decimal) }),
  },
  ProjectValued: { version: 1, data: shape({ projectId: id, fairValue: decimal }) },
  ProceedsReceived: {
    version: 1,
    data: shape({ projectId: id, kind: oneOf('income', 'capital'), amount: decimal, costRelieved: decimal, realizedGain: decimal }),
  },
  DistributionDeclared: {
    version: 1,
    data: shape({ distributionNumber: count, amount: decimal, paymentDate: isoDate, cashAvailable: decimal, waterfall: optional(waterfallSplit) }),
  },
  ManagementFeeCharged: {
    version: 1,
    data: shape({
      amount: decimal,
      period: text,
      calledFrom: optional(shape<FeeCallData>({ bearingUsd: decimal, split: callSplit, carryExemptUsd: optional(decimal) })),
    }),
  },
  ExpenseRecorded: { version: 1, data: shape({ amount: decimal, description: text }) },
};

const correctionEvents: Schemas<CorrectionEvent> = {
  EventReversed: {
    version: 1,
    data: shape({ eventId: id, reversedType: id, reason: text, replacement: optional(replacement), approvedBy: optional(list(id)) }),
  },
  ReversalProposed: {
    version: 1,
    data: shape({ eventId: id, reversedType: id, reason: text, replacement: optional(replacement), approvals: list(id) }),
  },
  ReversalApproved: { version: 1, data: shape({ eventId: id, approvals: list(id) }) },
  ReversalRejected: { version: 1, data: shape({ eventId: id, reason: text }) },
};

const investorEvents: Schemas<InvestorEvent> = {
  CapitalCommitted: {
    version: 1,
    data: shape({
      fundId: id,
      lpId: id,
      kind: oneOf('sovereign', 'retail', 'institutional'),
      country: id,
      amount: decimal,
      currency: oneOf('USD', 'JPY'),
      fxRate: optional(decimal),
      amountUsd: decimal,
    }),
  },
};

/** Every event of a fund's log the domain records: the fund's own stream and its LPs'. */
export const DOMAIN_EVENT_SCHEMAS: Schemas<FundEvent | InvestorEvent> = { ...fundEvents, ...correctionEvents, ...investorEvents };
