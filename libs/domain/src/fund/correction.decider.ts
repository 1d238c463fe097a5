import { COMMAND_RECHECKING, COMMANDS } from '../catalog/command-catalog';
import { opensEpoch } from '../investors/ownership';
import { Dec, Money } from '../money';
import { feeWithinCash } from './distribution.decider';
import { reject, Rejection } from '../rejections';
import type { ApproveReversal, RejectReversal, ReverseEvent } from './correction.commands';
import type { EventReversed, ReversalApproved, ReversalProposed, ReversalRejected } from './correction.events';
import type { FundCommand } from './fund.commands';
import { contextFor } from '../catalog/contexts';
import { FUND_DECISIONS } from './fund.decider';
import { asCorrected, inDateOrder, reversalsIn } from './fund.history';
import { requireEstablished, requireManager } from './fund.rules';
import { CORRECTION_EVENTS, evolveFund, FACT_EVENTS, initialFundState, type FundState, type RecordedFundEvent } from './fund.state';

/**
 * Events that cannot be reversed: the fund's founding, corrections themselves, and whatever
 * changes who owns what (a close, `OWNERSHIP_RULES`: the LPs it admitted were called and shared
 * P&L from it on, and later epochs are numbered after it; undoing that needs an adjustment event,
 * not a reversal).
 */
const NOT_REVERSIBLE = new Set(['FundEstablished', 'ManagementAccepted', 'EventReversed', 'ReversalProposed', 'ReversalApproved', 'ReversalRejected']);

/**
 * Events under dual control: those the required managers decide together (an allocation, each
 * approval or rejection of it, its commitment) and the money that follows a joint decision (a
 * funding of a committed allocation). Undoing or replacing one is a joint decision too: a manager
 * proposes the reversal and it takes effect only when every other required manager approves, so
 * no manager alone can swap a jointly approved amount or withdraw the other's approval.
 */
export const DUAL_CONTROL: ReadonlySet<string> = new Set([
  'AllocationProposed',
  'AllocationApproved',
  'AllocationRejected',
  'AllocationCommitted',
  'ProjectFunded',
]);

/** A correction as decided: it belongs in the books at the reversed event's effective date. */
export type DecidedCorrection = (EventReversed | ReversalProposed | ReversalApproved | ReversalRejected) & { effectiveDate: string };

/**
 * Reverses an event of the fund's stream, optionally replacing it, after replaying every later
 * event against the corrected history: a correction that would make any of them break a rule is
 * rejected with that rule's code. Decides over the whole history, not just the current state.
 */
export function decideReversal(command: ReverseEvent, history: readonly RecordedFundEvent[], state: FundState): DecidedCorrection[] {
  const { data, metadata } = command;
  const config = requireEstablished(state);
  requireManager(state, metadata.actor);
  const found =
    history.find((e) => e.metadata.eventId === data.eventId) ?? reject('UNKNOWN_EVENT', `The fund's stream has no event ${JSON.stringify(data.eventId)}`);
  const target = { type: found.type, effectiveDate: found.metadata.effectiveDate };
  if (reversalsIn(history).has(data.eventId)) reject('EVENT_ALREADY_REVERSED', `Event ${data.eventId} (${target.type}) was already reversed`);
  if (NOT_REVERSIBLE.has(target.type) || opensEpoch(target)) reject('EVENT_NOT_REVERSIBLE', `A ${target.type} event cannot be reversed`);
  if (state.pendingReversals.has(data.eventId))
    reject(
      'REVERSAL_ALREADY_PROPOSED',
      `A reversal of ${data.eventId} (${target.type}) is already proposed and waits for ${waitingFor(state, data.eventId).join(', ')}`,
    );
  if (data.replacement && data.replacement.type !== target.type) {
    reject('EVENT_NOT_REVERSIBLE', `A ${target.type} can only be replaced by another ${target.type}, not a ${data.replacement.type}`);
  }
  if (data.replacement && target.type === 'DistributionDeclared' && state.config?.waterfall) {
    // Its split by tier is the deciders' to compute, not the caller's to give.
    reject('EVENT_NOT_REVERSIBLE', 'In a fund with a waterfall a distribution is not replaced: reverse it, and declare the corrected one anew');
  }
  if (data.replacement && found.type === 'ManagementFeeCharged' && found.data.calledFrom) {
    // Its split over the fee-bearing LPs is the deciders' to compute, as a call's is.
    reject('EVENT_NOT_REVERSIBLE', 'A management fee called from the fee-bearing LPs is not replaced: reverse it, and charge the corrected one anew');
  }
  if (data.replacement && (target.type === 'CapitalCalled' || target.type === 'ContributionDefaulted')) {
    // A call's total and split, a default's amount (what the call asked of the LP) are the deciders' to compute, not the caller's to give.
    reject('EVENT_NOT_REVERSIBLE', `A ${target.type} is not replaced: reverse it, and record the corrected one anew`);
  }
  if (
    data.replacement &&
    target.type === 'DistributionDeclared' &&
    (data.replacement.data as { distributionNumber?: unknown }).distributionNumber !== (found.data as { distributionNumber: number }).distributionNumber
  ) {
    // Notices and statements name a distribution by its number: a replacement keeps it.
    reject('EVENT_NOT_REVERSIBLE', `A replacement of distribution ${(found.data as { distributionNumber: number }).distributionNumber} keeps its number`);
  }
  const reversal: EventReversed['data'] = { eventId: data.eventId, reversedType: target.type, reason: data.reason ?? '' };
  if (data.replacement) reversal.replacement = { type: data.replacement.type, data: data.replacement.data };
  replayWith(history, reversal);
  const approvals = [metadata.actor];
  if (DUAL_CONTROL.has(target.type) && !config.approvalsRequired.every((m) => approvals.includes(m))) {
    return [{ type: 'ReversalProposed', data: { ...reversal, approvals }, effectiveDate: target.effectiveDate }];
  }
  return [{ type: 'EventReversed', data: reversal, effectiveDate: target.effectiveDate }];
}

/** The required managers a proposed reversal still waits for. */
function waitingFor(state: FundState, eventId: string): string[] {
  const approvals = state.pendingReversals.get(eventId)?.approvals ?? [];
  return requireEstablished(state).approvalsRequired.filter((m) => !approvals.includes(m));
}

function proposalOf(state: FundState, eventId: string): ReversalProposed['data'] {
  return state.pendingReversals.get(eventId) ?? reject('NO_REVERSAL_PROPOSED', `No reversal of event ${JSON.stringify(eventId)} is waiting for approval`);
}

/**
 * A required manager approves a proposed reversal: checked again against the history as it is now
 * (later events must still stand), and recorded as EventReversed once every required manager has.
 */
export function decideReversalApproval(command: ApproveReversal, history: readonly RecordedFundEvent[], state: FundState): DecidedCorrection[] {
  const { data, metadata } = command;
  const config = requireEstablished(state);
  requireManager(state, metadata.actor);
  const proposal = proposalOf(state, data.eventId);
  if (!config.approvalsRequired.includes(metadata.actor))
    reject('ACTOR_NOT_MANAGER', `${metadata.actor} is not among the managers whose approval a reversal needs (${config.approvalsRequired.join(', ')})`);
  if (proposal.approvals.includes(metadata.actor)) reject('MANAGER_ALREADY_APPROVED', `${metadata.actor} already approved the reversal of ${data.eventId}`);
  const { approvals: _approvals, ...reversal } = proposal;
  replayWith(history, reversal);
  const effectiveDate = history.find((e) => e.metadata.eventId === data.eventId)!.metadata.effectiveDate;
  const approvals = [...proposal.approvals, metadata.actor];
  const decided: DecidedCorrection[] = [{ type: 'ReversalApproved', data: { eventId: data.eventId, approvals }, effectiveDate }];
  if (config.approvalsRequired.every((m) => approvals.includes(m)))
    decided.push({ type: 'EventReversed', data: { ...reversal, approvedBy: approvals }, effectiveDate });
  return decided;
}

/** A required manager refuses a proposed reversal (or its proposer withdraws it): the books stay as they are. */
export function decideReversalRejection(command: RejectReversal, history: readonly RecordedFundEvent[], state: FundState): DecidedCorrection[] {
  const { data, metadata } = command;
  const config = requireEstablished(state);
  requireManager(state, metadata.actor);
  proposalOf(state, data.eventId);
  if (!config.approvalsRequired.includes(metadata.actor))
    reject('ACTOR_NOT_MANAGER', `${metadata.actor} is not among the managers whose approval a reversal needs (${config.approvalsRequired.join(', ')})`);
  const effectiveDate = history.find((e) => e.metadata.eventId === data.eventId)!.metadata.effectiveDate;
  return [{ type: 'ReversalRejected', data: { eventId: data.eventId, reason: data.reason ?? '' }, effectiveDate }];
}

/** Folds the history with the new reversal applied, re-checking every event from its place on (in date order, as the books count them). */
function replayWith(history: readonly RecordedFundEvent[], reversal: EventReversed['data']): void {
  const reversals = reversalsIn(history);
  reversals.set(reversal.eventId, reversal);
  let state = initialFundState();
  let reached = false;
  for (const event of inDateOrder(history)) {
    if (event.metadata.eventId === reversal.eventId) reached = true;
    const counted = asCorrected(event, reversals);
    if (!counted || CORRECTION_EVENTS.has(counted.type)) continue;
    if (reached)
      recheck(
        state,
        counted,
        (what, message) => `Reversing ${reversal.eventId} would break ${event.metadata.eventId === reversal.eventId ? 'the replacement' : what}: ${message}`,
      );
    state = evolveFund(state, counted);
  }
}

/**
 * A command dated before events already counted (a fact recorded late, or a decision dated before
 * a later fact): decided against the books as they stood on its date (with the date bounds of the
 * books as they stand now), then every later-dated event's rules checked again with it in place,
 * so that nothing recorded before it becomes a breach. Dated at or after everything: decided as usual.
 */
export function decideInPlace<E extends { type: string; data: unknown }>(
  history: readonly RecordedFundEvent[],
  head: FundState,
  metadata: { actor: string; effectiveDate: string },
  decide: (state: FundState) => E[],
): E[] {
  const date = metadata.effectiveDate;
  if (head.latestEffectiveDate === undefined || !(date < head.latestEffectiveDate)) return decide(head);
  const reversals = reversalsIn(history);
  const ordered = inDateOrder(history);
  let state = initialFundState();
  let i = 0;
  for (; i < ordered.length && ordered[i].metadata.effectiveDate <= date; i++) {
    const counted = asCorrected(ordered[i], reversals);
    if (counted) state = evolveFund(state, counted);
  }
  // Before the fund existed: decided on the books as they are, whose rules say why not.
  if (!state.config) return decide(head);
  // The fund's dates, and the numbers retired by reversals (dated at what they reversed, maybe after this date), are the head's.
  const decided = decide({
    ...state,
    latestEffectiveDate: head.latestEffectiveDate,
    latestDecisionDate: head.latestDecisionDate,
    managersDate: head.managersDate,
    numbersRetired: head.numbersRetired,
  });
  for (const e of decided) state = evolveFund(state, { type: e.type, data: e.data, metadata } as RecordedFundEvent);
  for (; i < ordered.length; i++) {
    const event = ordered[i];
    const counted = asCorrected(event, reversals);
    if (!counted || CORRECTION_EVENTS.has(counted.type)) continue;
    // Only the later facts' own rules (capital proceeds within the value): a fact is never refused
    // because of a decision dated after it; what that decision's rules now say, compliance reports.
    if (FACT_EVENTS.has(counted.type)) recheck(state, counted, (what, message) => `Dated ${date}, it would break ${what}, recorded before it: ${message}`);
    state = evolveFund(state, counted);
  }
  return decided;
}

/**
 * The command that would have produced an event, to run its rules again (the catalog names the
 * event each command's rules re-check); undefined when none apply. Its data is the event's fields
 * that the command takes.
 */
function commandFor(event: RecordedFundEvent): FundCommand | undefined {
  const type = COMMAND_RECHECKING.get(event.type);
  if (type === undefined) return undefined;
  const recorded = event.data as Record<string, unknown>;
  const data = Object.fromEntries(Object.keys(COMMANDS[type].data).flatMap((f) => (recorded[f] === undefined ? [] : [[f, recorded[f]]])));
  return { type, data, metadata: { actor: event.metadata.actor, effectiveDate: event.metadata.effectiveDate } } as FundCommand;
}

/**
 * The rules of a recorded event, checked again on the books as they now stand before it. Only its
 * rules: its date was checked when it was recorded, against the fund's dates then.
 */
function recheck(state: FundState, event: RecordedFundEvent, explain: (what: string, message: string) => string): void {
  const undated: FundState = {
    ...state,
    latestEffectiveDate: event.metadata.effectiveDate,
    latestDecisionDate: undefined,
    managersDate: event.metadata.effectiveDate,
  };
  try {
    if (event.type === 'CapitalCalled') {
      const after = state.calledFraction.plus(new Dec(event.data.percentage));
      if (after.gt(1)) reject('CALL_EXCEEDS_COMMITMENTS', `call ${event.data.callNumber} would call ${after.toString()} of commitments`);
      if (state.admittedUsd.isZero()) reject('CALL_WITHOUT_ADMITTED_LP', `call ${event.data.callNumber} would have no admitted LP`);
    } else if (event.type === 'ManagementFeeCharged') {
      // Paid out of cash, it must fit in the cash available; called from the fee-bearing LPs as it is paid, it moves no cash.
      if (!event.data.calledFrom) feeWithinCash(undated, event.metadata.effectiveDate, Money.parse(event.data.amount, 'USD'));
    } else if (event.type === 'ContributionDefaulted') {
      if (!state.calls.some((c) => c.callNumber === event.data.callNumber)) reject('UNKNOWN_CALL', `call ${event.data.callNumber} would not exist`);
    } else if (event.type === 'AllocationCommitted') {
      // A commitment stands on every required approval: withdrawing one means undoing it first.
      const approvals = state.allocations.get(event.data.allocationId)?.approvals ?? [];
      const missing = (state.config?.approvalsRequired ?? []).filter((m) => !approvals.includes(m));
      if (missing.length > 0)
        reject(
          'EVENT_NOT_REVERSIBLE',
          `allocation ${event.data.allocationId} would stay committed without the approval of ${missing.join(', ')}; reverse its commitment first`,
        );
    } else {
      const command = commandFor(event);
      // The commands a correction re-checks decide from the fund's state alone (their catalog entries say so).
      if (command) (FUND_DECISIONS[command.type] as (c: FundCommand, x: { fund: FundState }) => unknown)(command, contextFor(command.type, { fund: undated }));
    }
  } catch (error) {
    const what = `${event.type} ${event.metadata.eventId ?? ''} of ${event.metadata.effectiveDate}`.replace('  ', ' ');
    // A replacement's data is the caller's: what does not even parse (an amount "abc") is refused too.
    if (!(error instanceof Rejection)) throw new Rejection('EVENT_NOT_REVERSIBLE', explain(what, (error as Error).message));
    throw new Rejection(error.code, explain(what, error.message));
  }
}
