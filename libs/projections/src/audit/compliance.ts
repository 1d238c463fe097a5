import {
  beforeMaturity,
  concentrationLimit,
  evolveFund,
  facilityLimit,
  foldFundHistory,
  initialFundState,
  needsRefold,
  Money,
  withinAllocation,
  withinCash,
  withinLeverageCap,
  type FundState,
  type LimitCheck,
  type LimitRule,
  type RecordedFundEvent,
} from '@fundsim/domain';

/** One policy check, recomputed, with the figures behind it: a fund limit is the deciders' own check (`limits.ts`). */
export interface ComplianceCheck {
  rule: LimitRule | 'approvals' | 'approvals-standing' | 'allocation-committed' | 'facility-open';
  ok: boolean;
  figures: Record<string, string>;
  message: string;
}

export interface ComplianceEntry {
  eventId: string;
  position: number;
  type:
    | 'AllocationCommitted'
    | 'ProjectFunded'
    | 'LeverageDrawn'
    | 'DistributionDeclared'
    | 'ManagementFeeCharged'
    | 'ExpenseRecorded'
    | 'InterestPaid'
    | 'LeverageRepaid';
  effectiveDate: string;
  recordedAt: string;
  actor: string;
  /** The allocation or facility the event is about (a distribution by its number, a fee by its period, an expense by its description). */
  subject: string;
  amount: string;
  ok: boolean;
  checks: ComplianceCheck[];
  /** Set when a later correction reversed this event (the check is still of what was recorded). */
  reversedBy?: string;
}

export interface ComplianceReport {
  fundId: string;
  checkedEvents: number;
  breaches: number;
  entries: ComplianceEntry[];
}

const usd = (text: string) => Money.parse(text, 'USD');
type Data = Record<string, string>;

/**
 * Every allocation, funding, leverage draw and payment out of the fund's cash (distribution, fee,
 * expense, interest, repayment) of the log, its policy checks recomputed from the
 * fund's state as it was known when the event was recorded: the events before it in the log, with
 * the corrections recorded before it. A log written under older rules, imported, or written around
 * the deciders may hold breaches: they are listed, with their figures, never hidden.
 */
export function complianceReport(fundId: string, history: readonly RecordedFundEvent[]): ComplianceReport {
  const reversedBy = new Map<string, string>();
  for (const e of history) if (e.type === 'EventReversed') reversedBy.set(e.data.eventId, e.metadata.eventId ?? '');
  const entries: ComplianceEntry[] = [];
  // The books as corrected now: a commitment stands only while every approval behind it does.
  const now = foldFundHistory(history);
  let state = initialFundState();
  for (let i = 0; i < history.length; i++) {
    const event = history[i];
    if (event.type === 'EventReversed') {
      // From here on the books are known as corrected: fold the prefix again with the correction.
      state = foldFundHistory(history.slice(0, i + 1));
      continue;
    }
    // A fact recorded after later-dated events is checked on the books as they stood at its date.
    const late = needsRefold(state, [event]);
    const checks = checksFor(
      event,
      late ? foldFundHistory(history.slice(0, i).filter((e) => e.metadata.effectiveDate <= event.metadata.effectiveDate)) : state,
    );
    if (checks && event.type === 'AllocationCommitted' && !reversedBy.has(event.metadata.eventId ?? ''))
      checks.push(standingApprovals(event.data.allocationId, now));
    if (checks) {
      const d = event.data as unknown as Data;
      entries.push({
        eventId: event.metadata.eventId ?? '',
        position: event.metadata.position ?? 0,
        type: event.type as ComplianceEntry['type'],
        effectiveDate: event.metadata.effectiveDate,
        recordedAt: event.metadata.recordedAt ?? '',
        actor: event.metadata.actor,
        subject: subjectOf(event),
        amount: d.amount,
        ok: checks.every((c) => c.ok),
        checks,
        ...(reversedBy.get(event.metadata.eventId ?? '') ? { reversedBy: reversedBy.get(event.metadata.eventId ?? '') } : {}),
      });
    }
    state = late ? foldFundHistory(history.slice(0, i + 1)) : evolveFund(state, event);
  }
  return { fundId, checkedEvents: entries.length, breaches: entries.filter((e) => !e.ok).length, entries };
}

/** A committed allocation whose approvals were reversed since (each by both managers, or around the deciders) is a breach until it is undone too. */
function standingApprovals(allocationId: string, now: FundState): ComplianceCheck {
  const required = now.config?.approvalsRequired ?? [];
  const standing = now.allocations.get(allocationId)?.approvals ?? [];
  const missing = required.filter((m) => !standing.includes(m));
  return check(
    'approvals-standing',
    missing.length === 0,
    { required: required.join(', '), standing: standing.join(', ') },
    missing.length ? `committed, but the approval of ${missing.join(', ')} no longer stands (reversed since)` : 'every required approval still stands',
  );
}

function check(rule: ComplianceCheck['rule'], ok: boolean, figures: Record<string, string>, message: string): ComplianceCheck {
  return { rule, ok, figures, message };
}

/** A fund limit as the deciders check it, with their figures and message. */
const reported = ({ rule, ok, figures, message }: LimitCheck): ComplianceCheck => ({ rule, ok, figures, message });

function subjectOf(event: RecordedFundEvent): string {
  switch (event.type) {
    case 'DistributionDeclared':
      return `distribution ${event.data.distributionNumber}`;
    case 'ManagementFeeCharged':
      return event.data.period;
    case 'ExpenseRecorded':
      return event.data.description;
    default: {
      const d = event.data as unknown as Data;
      return d.allocationId ?? d.facilityId ?? '';
    }
  }
}

function checksFor(event: RecordedFundEvent, state: FundState): ComplianceCheck[] | undefined {
  const date = event.metadata.effectiveDate;
  const config = state.config;
  switch (event.type) {
    case 'AllocationCommitted': {
      const d = event.data;
      const required = config?.approvalsRequired ?? [];
      const approvals = state.allocations.get(d.allocationId)?.approvals ?? [];
      const missing = required.filter((m) => !approvals.includes(m));
      return [
        check(
          'approvals',
          missing.length === 0,
          { required: required.join(', '), approvedBy: approvals.join(', ') },
          missing.length ? `missing the approval of ${missing.join(', ')}` : `approved by every required manager (${required.join(', ')})`,
        ),
        reported(concentrationLimit(state, d.projectId, usd(d.amount))),
      ];
    }
    case 'ProjectFunded': {
      const d = event.data;
      const a = state.allocations.get(d.allocationId);
      const amount = usd(d.amount);
      const zero = Money.zero('USD');
      return [
        check(
          'allocation-committed',
          a?.status === 'committed',
          { status: a?.status ?? 'unknown' },
          a ? `allocation ${d.allocationId} is ${a.status}` : `there is no allocation ${d.allocationId}`,
        ),
        reported(withinAllocation(a ?? { allocationId: d.allocationId, amount: zero, funded: zero }, amount)),
        reported(withinCash(state, date, amount, 'A funding')),
      ];
    }
    case 'LeverageDrawn': {
      const d = event.data;
      const f = state.facilities.get(d.facilityId);
      const amount = usd(d.amount);
      const checks = [
        check('facility-open', f !== undefined, { facilityId: d.facilityId }, f ? `facility ${d.facilityId} is open` : `there is no facility ${d.facilityId}`),
      ];
      if (f) checks.push(reported(beforeMaturity(f, date)), reported(facilityLimit(f, amount)));
      checks.push(reported(withinLeverageCap(state, date, amount)));
      return checks;
    }
    // Payments out of the fund: within the cash available on their date, as the deciders check it.
    case 'DistributionDeclared':
      return [reported(withinCash(state, date, usd(event.data.amount), 'A distribution', 'DISTRIBUTION_EXCEEDS_CASH'))];
    case 'ManagementFeeCharged':
      return [reported(withinCash(state, date, usd(event.data.amount), 'A management fee'))];
    case 'ExpenseRecorded':
      return [reported(withinCash(state, date, usd(event.data.amount), 'An expense'))];
    case 'InterestPaid':
      return [reported(withinCash(state, date, usd(event.data.amount), 'Interest'))];
    case 'LeverageRepaid':
      return [reported(withinCash(state, date, usd(event.data.amount), 'A repayment'))];
    default:
      return undefined;
  }
}
