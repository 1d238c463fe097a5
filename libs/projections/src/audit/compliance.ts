import {
  availableCash,
  Dec,
  evolveFund,
  foldFundHistory,
  initialFundState,
  leverageCap,
  needsRefold,
  Money,
  totalDebt,
  type FundState,
  type RecordedFundEvent,
} from '@fundsim/domain';

/** One policy check, recomputed, with the figures behind it. */
export interface ComplianceCheck {
  rule: 'approvals' | 'approvals-standing' | 'concentration-limit' | 'allocation-committed' | 'within-allocation' | 'within-cash' | 'facility-open' | 'before-maturity' | 'facility-limit' | 'leverage-cap';
  ok: boolean;
  figures: Record<string, string>;
  message: string;
}

export interface ComplianceEntry {
  eventId: string;
  position: number;
  type: 'AllocationCommitted' | 'ProjectFunded' | 'LeverageDrawn';
  effectiveDate: string;
  recordedAt: string;
  actor: string;
  /** The allocation or facility the event is about. */
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
 * Every allocation, funding and leverage draw of the log, its policy checks recomputed from the
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
    const checks = checksFor(event, late ? foldFundHistory(history.slice(0, i).filter((e) => e.metadata.effectiveDate <= event.metadata.effectiveDate)) : state);
    if (checks && event.type === 'AllocationCommitted' && !reversedBy.has(event.metadata.eventId ?? '')) checks.push(standingApprovals(event.data.allocationId, now));
    if (checks) {
      const d = event.data as unknown as Data;
      entries.push({
        eventId: event.metadata.eventId ?? '',
        position: event.metadata.position ?? 0,
        type: event.type as ComplianceEntry['type'],
        effectiveDate: event.metadata.effectiveDate,
        recordedAt: event.metadata.recordedAt ?? '',
        actor: event.metadata.actor,
        subject: d.allocationId ?? d.facilityId,
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

function checksFor(event: RecordedFundEvent, state: FundState): ComplianceCheck[] | undefined {
  const date = event.metadata.effectiveDate;
  const config = state.config;
  switch (event.type) {
    case 'AllocationCommitted': {
      const d = event.data;
      const required = config?.approvalsRequired ?? [];
      const approvals = state.allocations.get(d.allocationId)?.approvals ?? [];
      const missing = required.filter((m) => !approvals.includes(m));
      const amount = usd(d.amount);
      const committedBefore = state.projects.get(d.projectId)?.committed ?? Money.zero('USD');
      const after = committedBefore.plus(amount);
      const limitFraction = config?.concentrationLimit ?? '0';
      const limit = state.admittedUsd.times(new Dec(limitFraction));
      return [
        check('approvals', missing.length === 0, { required: required.join(', '), approvedBy: approvals.join(', ') }, missing.length ? `missing the approval of ${missing.join(', ')}` : `approved by every required manager (${required.join(', ')})`),
        check(
          'concentration-limit',
          !after.gt(limit),
          { projectCommittedBefore: committedBefore.toString(), amount: amount.toString(), projectCommittedAfter: after.toString(), concentrationLimit: limitFraction, admittedCommitments: state.admittedUsd.toString(), limitAmount: limit.toString() },
          `${d.projectId} committed ${after.format()} against a limit of ${limit.format()} (${limitFraction} of ${state.admittedUsd.format()} admitted)`,
        ),
      ];
    }
    case 'ProjectFunded': {
      const d = event.data;
      const a = state.allocations.get(d.allocationId);
      const amount = usd(d.amount);
      const left = a ? a.amount.minus(a.funded) : Money.zero('USD');
      const cash = availableCash(state, date);
      return [
        check('allocation-committed', a?.status === 'committed', { status: a?.status ?? 'unknown' }, a ? `allocation ${d.allocationId} is ${a.status}` : `there is no allocation ${d.allocationId}`),
        check('within-allocation', !amount.gt(left), { amount: amount.toString(), allocation: a?.amount.toString() ?? '0.00', fundedBefore: a?.funded.toString() ?? '0.00', left: left.toString() }, `${amount.format()} against ${left.format()} left of the allocation`),
        check('within-cash', !amount.gt(cash), { amount: amount.toString(), cashAvailable: cash.toString() }, `${amount.format()} against ${cash.format()} of cash available on ${date}`),
      ];
    }
    case 'LeverageDrawn': {
      const d = event.data;
      const f = state.facilities.get(d.facilityId);
      const amount = usd(d.amount);
      const principalAfter = (f?.principal ?? Money.zero('USD')).plus(amount);
      const debtAfter = totalDebt(state).plus(amount);
      const cap = config ? leverageCap(state, date) : Money.zero('USD');
      const checks = [check('facility-open', f !== undefined, { facilityId: d.facilityId }, f ? `facility ${d.facilityId} is open` : `there is no facility ${d.facilityId}`)];
      if (f) {
        checks.push(
          check('before-maturity', date < f.maturityDate, { date, maturityDate: f.maturityDate }, `drawn on ${date}, facility matures ${f.maturityDate}`),
          check('facility-limit', !principalAfter.gt(f.limit), { principalBefore: f.principal.toString(), amount: amount.toString(), principalAfter: principalAfter.toString(), limit: f.limit.toString() }, `principal ${principalAfter.format()} against a limit of ${f.limit.format()}`),
        );
      }
      checks.push(
        check(
          'leverage-cap',
          !debtAfter.gt(cap),
          { debtBefore: totalDebt(state).toString(), amount: amount.toString(), debtAfter: debtAfter.toString(), maxRatio: config?.leveragePolicy.maxRatio ?? '0', basis: config?.leveragePolicy.basis ?? 'commitments', cap: cap.toString() },
          `debt ${debtAfter.format()} against a cap of ${cap.format()}`,
        ),
      );
      return checks;
    }
    default:
      return undefined;
  }
}
