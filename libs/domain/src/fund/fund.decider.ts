import { MAX_ANNUAL_RATE, MAX_HARD_CAP_USD, MAX_LEVERAGE_RATIO, USD_JPY_BAND } from '../bounds';
import { formatCents, parseCents, parseFraction, timesRate } from '../cents';
import { assertIsoDate, daysBetween, isIsoDate } from '../dates';
import { callRuleOf, callShare, splitCall, type CallSplitData } from '../investors/call-split';
import { CloseAdmission, type PendingSet } from '../investors/close-admission';
import { admittedCentsOf, firstEpochOf, lpCallCents, piecesOf, type InvestorLedger, type LpEntry } from '../investors/investor-ledger';
import { Dec, Money } from '../money';
import { reject } from '../rejections';
import { checkCallPurposes } from './call-purposes';
import { enforce, roomUnderHardCap } from './limits';
import type {
  AcceptManagement,
  CallCapital,
  EstablishFund,
  FundCommandType,
  HoldClose,
  RecordContributionDefault,
  RecordFxRate,
  RecordMilestone,
} from './fund.commands';
import type {
  CapitalCalled,
  CloseHeld,
  ContributionDefaulted,
  FundEstablished,
  FundEvent,
  FxRateRecorded,
  ManagementAccepted,
  MilestoneRecorded,
} from './fund.events';
import { checkEffectiveDate, openPeriod, parseRate, requireEstablished, requireManager } from './fund.rules';
import { parseWaterfallTerms, type WaterfallTerms } from '../waterfall/waterfall';
import { splitsByStake, stakeLps } from '../waterfall/manager-shares';
import { bearsNoCarry, exemptsAny } from '../waterfall/carry-exemption';
import { exemptsAnyFromFees, paysNoFee } from '../waterfall/fee-exemption';
import { defaultKey, type FundState } from './fund.state';
import type { CommandOf } from '../catalog/command-catalog';
import type { ContextOf } from '../catalog/contexts';
import { chargeFee, decideDistribution } from './distribution.decider';
import { decideLeverage } from './leverage.decider';
import { decideProject } from './project.decider';
import { decideTransfer } from '../investors/transfer.decider';

/**
 * How each command of the fund's stream is decided, from the context its catalog entry names
 * (`decide.ts` adds the LP streams' and the corrections'). Pure: no clock, no I/O. A close, a call
 * and a default read the investor ledger, caught up to the same point of the log.
 */
export const FUND_DECISIONS: { readonly [T in FundCommandType]: (command: CommandOf<T>, context: ContextOf<T>) => FundEvent[] } = {
  EstablishFund: (command, { fund }) => [establish(command, fund)],
  AcceptManagement: (command, { fund }) => [acceptManagement(command, fund)],
  RecordMilestone: (command, { fund }) => [milestone(command, fund)],
  RecordFxRate: (command, { fund }) => [fxRate(command, fund)],
  HoldClose: (command, { fund, investors }) => [decideClose(command, fund, investors)],
  CallCapital: (command, { fund, investors }) => [call(command, fund, investors)],
  RecordContributionDefault: (command, { fund, investors }) => [contributionDefault(command, fund, investors)],
  TransferInterest: (command, { fund, investors }) => [decideTransfer(command, fund, investors)],
  OpenCreditFacility: (command, { fund }) => decideLeverage(command, fund),
  AmendCreditFacility: (command, { fund }) => decideLeverage(command, fund),
  DrawLeverage: (command, { fund }) => decideLeverage(command, fund),
  PayInterest: (command, { fund }) => decideLeverage(command, fund),
  RepayLeverage: (command, { fund }) => decideLeverage(command, fund),
  RegisterProject: (command, { fund }) => decideProject(command, fund),
  ProposeAllocation: (command, { fund }) => decideProject(command, fund),
  ApproveAllocation: (command, { fund }) => decideProject(command, fund),
  RejectAllocation: (command, { fund }) => decideProject(command, fund),
  FundProject: (command, { fund }) => decideProject(command, fund),
  ValueProject: (command, { fund }) => decideProject(command, fund),
  ReceiveProceeds: (command, { fund }) => decideProject(command, fund),
  DeclareDistribution: (command, { fund }) => decideDistribution(command, fund),
  ChargeManagementFee: (command, { fund, investors }) => [chargeFee(command, fund, investors)],
  RecordExpense: (command, { fund }) => decideDistribution(command, fund),
};

function establish({ data, metadata }: EstablishFund, state: FundState): FundEstablished {
  if (state.config) reject('FUND_ALREADY_ESTABLISHED', `Fund ${state.config.fundId} was established on ${state.config.inceptionDate}`);
  const terms = (message: string): never => reject('INVALID_FUND_TERMS', message);
  if (!data.name?.trim()) terms('The fund needs a name');
  const target = Money.parsePositive(data.targetSize, 'USD', 'Target size');
  const hardCap = Money.parsePositive(data.hardCap, 'USD', 'Hard cap');
  if (target.gt(hardCap)) terms(`Target size ${target.format()} is above the hard cap ${hardCap.format()}`);
  if (hardCap.amount.gt(MAX_HARD_CAP_USD))
    terms(`Hard cap ${hardCap.format()} is above the largest fundsim books (${Money.parse(MAX_HARD_CAP_USD, 'USD').format()})`);
  const managers = data.managers ?? [];
  if (managers.length === 0 || new Set(managers).size !== managers.length) terms('Managers must be a non-empty list of distinct ids');
  const required = data.approvalsRequired ?? [];
  if (required.length === 0 || required.some((m) => !managers.includes(m)))
    terms(`Approvals required (${required.join(', ')}) must be managers (${managers.join(', ')})`);
  // An admin establishes a fund for its managers; a manager only one that names it, and the
  // others it names accept before the fund takes commands (no manager binds another by itself).
  const byAdmin = metadata.role === 'admin';
  if (!byAdmin && !managers.includes(metadata.actor))
    reject('ACTOR_NOT_MANAGER', `${metadata.actor} is not among the managers it names (${managers.join(', ')})`);
  const awaitingAcceptance = metadata.role === 'manager' ? managers.filter((m) => m !== metadata.actor) : [];
  const policy = data.leveragePolicy;
  if (!policy || (policy.basis !== 'commitments' && policy.basis !== 'net-assets')) terms('Leverage basis must be commitments or net-assets');
  parseRate(policy.maxRatio, 'Leverage maxRatio', 'INVALID_FUND_TERMS', MAX_LEVERAGE_RATIO);
  const concentration = parseRate(data.concentrationLimit, 'Concentration limit', 'INVALID_FUND_TERMS');
  if (concentration.isZero() || concentration.gt(1)) terms(`Concentration limit must be in (0, 1], got ${data.concentrationLimit}`);
  parseRate(data.equalizationRate, 'Equalization rate', 'INVALID_FUND_TERMS', MAX_ANNUAL_RATE);
  const inceptionDate = assertIsoDate(metadata.effectiveDate, 'effectiveDate');
  const waterfall = data.waterfall === undefined ? undefined : parseWaterfallTerms(data.waterfall, managers);
  return {
    type: 'FundEstablished',
    data: {
      fundId: data.fundId,
      name: data.name.trim(),
      baseCurrency: 'USD',
      targetSize: target.toString(),
      hardCap: hardCap.toString(),
      managers: [...managers],
      approvalsRequired: [...required],
      leveragePolicy: { maxRatio: policy.maxRatio, basis: policy.basis },
      concentrationLimit: data.concentrationLimit,
      equalizationRate: data.equalizationRate,
      inceptionDate,
      ...(waterfall ? { waterfall } : {}),
      ...(awaitingAcceptance.length > 0 ? { awaitingAcceptance } : {}),
    },
  };
}

function acceptManagement({ metadata }: AcceptManagement, state: FundState): ManagementAccepted {
  const config = state.config ?? reject('FUND_NOT_ESTABLISHED', 'The fund has not been established yet');
  if (!state.awaitingAcceptance.has(metadata.actor)) {
    if (!state.managers.has(metadata.actor))
      reject('ACTOR_NOT_MANAGER', `${metadata.actor} is not named as a manager of fund ${config.fundId} (managers: ${[...state.managers].join(', ')})`);
    reject('MANAGEMENT_ALREADY_ACCEPTED', `${metadata.actor} already manages fund ${config.fundId}`);
  }
  // Dated within the fund's first period: from its inception to the end of the quarter after it
  // (an acceptance dated years ahead would move every later command's dates: a freeze).
  const date = assertIsoDate(metadata.effectiveDate, 'effectiveDate');
  const end = openPeriod(state).end;
  if (date < config.inceptionDate)
    reject('EFFECTIVE_DATE_BEFORE_INCEPTION', `Effective date ${date} is before the fund's inception on ${config.inceptionDate}`);
  if (date > end) reject('EFFECTIVE_DATE_AFTER_OPEN_PERIOD', `An acceptance is dated by the end of the fund's open period, ${end}; got ${date}`);
  return { type: 'ManagementAccepted', data: { manager: metadata.actor } };
}

function milestone(command: RecordMilestone, state: FundState): MilestoneRecorded {
  const { data, metadata } = command;
  checkEffectiveDate(state, command);
  // A milestone moves every later command's earliest date: a managers' decision.
  requireManager(state, metadata.actor);
  return { type: 'MilestoneRecorded', data: { milestone: data.milestone, note: data.note ?? '' } };
}

function fxRate(command: RecordFxRate, state: FundState): FxRateRecorded {
  const { data } = command;
  checkEffectiveDate(state, command);
  if (data.pair !== 'USD/JPY') reject('UNSUPPORTED_CURRENCY', `Only USD/JPY rates are recorded, got ${JSON.stringify(data.pair)}`);
  const rate = parseRate(data.rate, 'USD/JPY rate');
  if (rate.lt(USD_JPY_BAND.min) || rate.gt(USD_JPY_BAND.max))
    reject('INVALID_RATE', `A USD/JPY rate must lie in [${USD_JPY_BAND.min}, ${USD_JPY_BAND.max}] yen per dollar, got ${data.rate}`);
  return { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: data.rate } };
}

/** What a close reads of the investors: the commitments it would admit on its date, and an LP's holdings before it (for the stakes). */
export interface CloseInvestors {
  pendingOn(date: string): PendingSet;
  lp(lpId: string): LpEntry | undefined;
}

/**
 * Admits what is pending, scaled back pro rata when the hard cap would be exceeded (the one rule of
 * admission, `CloseAdmission`). LPs joining after capital was called catch up on those calls, with
 * interest at the equalization rate from each call's due date to the close, each rounded per LP
 * exactly as their capital accounts show it. Its figures come from the histogram of what it admits
 * (O(distinct amounts)); only a tie at a split's cut, and the exempt LPs, read the LPs one by one.
 * A simulated commitment is decided here too, over the pending set with it added.
 */
export function decideClose(command: HoldClose, state: FundState, investors: CloseInvestors): CloseHeld {
  const { metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const config = requireEstablished(state);
  const set = investors.pendingOn(date);
  const pending = set.summary;
  if (pending.count === 0) reject('NO_PENDING_COMMITMENTS', `No commitment dated on or before ${date} is pending: there is nothing for a close to admit`);
  const pendingUsd = Money.parse(formatCents(pending.cents), 'USD');
  enforce(roomUnderHardCap(state));
  const room = Money.parse(config.hardCap, 'USD').minus(state.admittedUsd);
  const scaledBack = pendingUsd.gt(room);
  const admittedUsd = scaledBack ? room : pendingUsd;

  const catchUpFraction = state.calledFraction;
  const rate = new Dec(config.equalizationRate);
  const interestFactor = state.calls.reduce(
    (sum, c) =>
      sum.plus(
        c.percentage
          .times(rate)
          .times(Math.max(0, daysBetween(c.dueDate, date)))
          .dividedBy(365),
      ),
    new Dec(0),
  );
  let catchUpCents = 0n;
  let interestCents = 0n;
  let catchUpSplit: CallSplitData | undefined;
  let admitting: CloseAdmission | undefined;
  const admission = () => (admitting ??= set.admitting(parseCents(admittedUsd.toString())));
  if (!catchUpFraction.isZero()) {
    const interest = parseFraction(interestFactor.toString());
    const histogram = admission().histogram();
    for (const [cents, n] of histogram) interestCents += timesRate(BigInt(cents), interest) * BigInt(n);
    // The catch-up is split over the LPs it admits as a call is: its total rounded once.
    const split = splitCall(parseFraction(catchUpFraction.toString()), histogram, (weights) => admission().idsAdmitting(weights));
    catchUpCents = split.totalCents;
    catchUpSplit = split.split;
  }
  return {
    type: 'CloseHeld',
    data: {
      closeNumber: state.closes.length + 1,
      throughPosition: pending.throughPosition,
      pendingCount: pending.count,
      pendingUsd: pendingUsd.toString(),
      admittedUsd: admittedUsd.toString(),
      scaledBack,
      catchUpFraction: catchUpFraction.toString(),
      equalizationInterestFactor: interestFactor.toString(),
      catchUpUsd: formatCents(catchUpCents),
      ...(catchUpSplit ? { catchUpSplit } : {}),
      equalizationInterestUsd: formatCents(interestCents),
      admitsThroughDate: date,
      ...(config.waterfall && splitsByStake(config.waterfall) ? { stakes: stakesAfterClose(config.waterfall, investors, admission()) } : {}),
      ...(config.waterfall && exemptsAny(config.waterfall) ? exemptAdmitted(config.waterfall, admission(), catchUpFraction, catchUpSplit) : {}),
      ...(config.waterfall && exemptsAnyFromFees(config.waterfall) ? feeExemptAdmitted(config.waterfall, admission()) : {}),
    },
  };
}

/** The carry-exempt LPs a close admits (carry-exemption.ts): what it admits of each, and their part of its catch-up. */
function exemptAdmitted(terms: WaterfallTerms, admission: CloseAdmission, catchUpFraction: Dec, catchUpSplit: CallSplitData | undefined) {
  const rule = callRuleOf(parseFraction(catchUpFraction.toString()), catchUpSplit);
  const admitted: Record<string, string> = {};
  let catchUp = 0n;
  for (const p of admission.pending.lps) {
    if (!bearsNoCarry(terms, p.lp)) continue;
    const cents = BigInt(admission.centsOf(p));
    admitted[p.lp.lpId] = formatCents(cents);
    if (!catchUpFraction.isZero()) catchUp += callShare(cents, p.lp.lpId, rule);
  }
  return Object.keys(admitted).length === 0 ? {} : { carryExempt: { admitted, catchUpUsd: formatCents(catchUp) } };
}

/** The fee-exempt LPs a close admits (fee-exemption.ts): what it admits of each. */
function feeExemptAdmitted(terms: WaterfallTerms, admission: CloseAdmission) {
  const admitted: Record<string, string> = {};
  for (const p of admission.pending.lps) if (paysNoFee(terms, p.lp)) admitted[p.lp.lpId] = formatCents(BigInt(admission.centsOf(p)));
  return Object.keys(admitted).length === 0 ? {} : { feeExempt: { admitted } };
}

/**
 * Each government's LP account's admitted commitment after a close (USD): what earlier closes
 * admitted and what this one admits of it (scaled back as the close scales every LP back).
 */
function stakesAfterClose(terms: WaterfallTerms, investors: CloseInvestors, admission: CloseAdmission) {
  const lps = stakeLps(terms);
  const admitting = new Map<string, number>();
  for (const p of admission.pending.lps) if (lps.includes(p.lp.lpId)) admitting.set(p.lp.lpId, admission.centsOf(p));
  return Object.fromEntries(
    lps.map((lpId) => {
      const lp = investors.lp(lpId);
      const before = lp === undefined || firstEpochOf(lp) === 0 ? 0 : admittedCentsOf(lp);
      return [lpId, formatCents(BigInt(before) + BigInt(admitting.get(lpId) ?? 0))];
    }),
  );
}

function call(command: CallCapital, state: FundState, investors: InvestorLedger): CapitalCalled {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const percentage = parseRate(data.percentage, 'Call percentage', 'INVALID_PERCENTAGE');
  if (percentage.isZero() || percentage.gt(1)) reject('INVALID_PERCENTAGE', `A call is a fraction of commitments in (0, 1], got ${data.percentage}`);
  const after = state.calledFraction.plus(percentage);
  if (after.gt(1)) {
    reject(
      'CALL_EXCEEDS_COMMITMENTS',
      `Calling ${percentage.toString()} on top of ${state.calledFraction.toString()} already called would call ${after.toString()} of commitments`,
    );
  }
  if (investors.admittedCount === 0) reject('CALL_WITHOUT_ADMITTED_LP', 'No LP has been admitted at a close: there is no one to call capital from');
  const dueDate = data.dueDate ?? date;
  if (!isIsoDate(dueDate) || dueDate < date) reject('INVALID_DATE', `Due date ${dueDate} must be a date on or after the call date ${date}`);
  const { totalCents, split } = investors.callSplit(parseFraction(data.percentage));
  const exempt = state.carryExempt;
  const rule = callRuleOf(parseFraction(data.percentage), split);
  let exemptCents = 0n;
  for (const [lpId, cents] of exempt?.admitted ?? []) exemptCents += callShare(cents, lpId, rule);
  return {
    type: 'CapitalCalled',
    data: {
      // Never a number already used, by a call since reversed too.
      callNumber: state.calls.length + state.numbersRetired.calls + 1,
      percentage: data.percentage,
      dueDate,
      admittedUsd: state.admittedUsd.toString(),
      totalUsd: formatCents(totalCents),
      lpCount: investors.admittedCount,
      split,
      ...checkCallPurposes(data.purposes),
      ...(exempt === undefined || exempt.admitted.size === 0 ? {} : { carryExemptUsd: formatCents(exemptCents) }),
    },
  };
}

/** A default books exactly what the call asked of the LP (`lpCallCents`, as its account shows). */
function contributionDefault(command: RecordContributionDefault, state: FundState, investors: InvestorLedger): ContributionDefaulted {
  const { data, metadata } = command;
  checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const callIndex = state.calls.findIndex((c) => c.callNumber === data.callNumber);
  if (callIndex < 0) return reject('UNKNOWN_CALL', `There is no capital call number ${data.callNumber} (calls so far: ${state.calls.length})`);
  const theCall = state.calls[callIndex];
  const lp = investors.lp(data.lpId);
  const entered = lp ? firstEpochOf(lp) : 0;
  if (!lp || entered === 0) return reject('UNKNOWN_LP', `LP ${data.lpId} has no admitted commitment in this fund`);
  const admittedOn = state.epochs[entered - 1].date;
  const callsBeforeEpoch = state.epochs.map((e) => e.callsBefore);
  const amount = lpCallCents(piecesOf(lp), lp.lpId, callIndex, callsBeforeEpoch, theCall.rule);
  if (callsBeforeEpoch[entered - 1] > callIndex)
    reject('LP_NOT_IN_CALL', `LP ${data.lpId} was admitted on ${admittedOn}, after call ${theCall.callNumber} of ${theCall.date}`);
  if (amount === 0n) reject('LP_NOT_IN_CALL', `Call ${theCall.callNumber} asked nothing of LP ${data.lpId} (its share rounds to 0.00)`);
  if (state.defaults.has(defaultKey(data.callNumber, data.lpId))) {
    reject('DEFAULT_ALREADY_RECORDED', `A default by ${data.lpId} on call ${data.callNumber} is already recorded`);
  }
  // An interest transferred after the call moved the capital the call asked for as paid (transfer.decider.ts): it cannot become owed after.
  const since = lp.transfers?.find((t) => t.cents < 0 && callsBeforeEpoch[t.epoch - 1] > callIndex);
  if (since)
    reject(
      'DEFAULT_AFTER_TRANSFER',
      `LP ${data.lpId} transferred an interest (transfer ${since.transferNumber}) after call ${theCall.callNumber}, as paid: a default on it cannot be recorded now`,
    );
  return { type: 'ContributionDefaulted', data: { callNumber: data.callNumber, lpId: data.lpId, amountUsd: formatCents(amount) } };
}
