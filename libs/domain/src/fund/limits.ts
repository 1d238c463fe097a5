import { Dec, Money } from '../money';
import { reject, type RejectionCode } from '../rejections';
import { availableCash, netAssets, totalDebt } from './fund.queries';
import type { AllocationState, FacilityState, FundState } from './fund.state';

/*
 * The fund's limits, each once: a named check with the figures it compares. A decider refuses
 * with `enforce(check)` (the check's code and message); the compliance report recomputes the same
 * check for every event of the log and shows the same figures and message. A limit changed here
 * changes both.
 */

export type LimitRule =
  'concentration-limit' | 'within-allocation' | 'within-cash' | 'before-maturity' | 'facility-limit' | 'leverage-cap' | 'room-under-hard-cap';

export interface LimitCheck {
  rule: LimitRule;
  ok: boolean;
  /** The rejection a decider gives when it does not hold. */
  code: RejectionCode;
  figures: Record<string, string>;
  message: string;
}

/** Refuses the command when the check does not hold. */
export function enforce(check: LimitCheck): void {
  if (!check.ok) reject(check.code, check.message);
}

const limit = (rule: LimitRule, code: RejectionCode, ok: boolean, figures: Record<string, string>, message: string): LimitCheck => ({
  rule,
  ok,
  code,
  figures,
  message,
});

/**
 * Room under the hard cap for a close to admit anything: a close refuses when admitted commitments
 * already reach it, so a commitment made then would never be admitted. The funds' list reports the
 * same check (whether the fund takes commitments on its latest date).
 */
export function roomUnderHardCap(state: FundState): LimitCheck {
  const hardCap = Money.parse(state.config?.hardCap ?? '0', 'USD');
  const room = hardCap.minus(state.admittedUsd);
  return limit(
    'room-under-hard-cap',
    'HARD_CAP_REACHED',
    room.isPositive(),
    { admittedCommitments: state.admittedUsd.toString(), hardCap: hardCap.toString(), room: room.toString() },
    `Admitted commitments ${state.admittedUsd.format()} already reach the hard cap ${hardCap.format()}`,
  );
}

/** An allocation binding: the project's committed allocations within `concentrationLimit` x admitted commitments. */
export function concentrationLimit(state: FundState, projectId: string, amount: Money): LimitCheck {
  const fraction = state.config?.concentrationLimit ?? '0';
  const before = state.projects.get(projectId)?.committed ?? Money.zero('USD');
  const after = before.plus(amount);
  const cap = state.admittedUsd.times(new Dec(fraction));
  return limit(
    'concentration-limit',
    'CONCENTRATION_LIMIT_EXCEEDED',
    !after.gt(cap),
    {
      projectCommittedBefore: before.toString(),
      amount: amount.toString(),
      projectCommittedAfter: after.toString(),
      concentrationLimit: fraction,
      admittedCommitments: state.admittedUsd.toString(),
      limitAmount: cap.toString(),
    },
    `allocations to ${projectId} would reach ${after.format()} against a concentration limit of ${cap.format()} (${fraction} of ${state.admittedUsd.format()} admitted)`,
  );
}

/** A funding within what is left of its committed allocation. */
export function withinAllocation(allocation: Pick<AllocationState, 'allocationId' | 'amount' | 'funded'>, amount: Money): LimitCheck {
  const left = allocation.amount.minus(allocation.funded);
  return limit(
    'within-allocation',
    'FUNDING_EXCEEDS_ALLOCATION',
    !amount.gt(left),
    { amount: amount.toString(), allocation: allocation.amount.toString(), fundedBefore: allocation.funded.toString(), left: left.toString() },
    `funding ${amount.format()} against ${left.format()} left of allocation ${allocation.allocationId} (${allocation.amount.format()})`,
  );
}

/** A payment out of the fund (a funding, a fee, an expense, interest, a repayment, a distribution) within the cash available on its date: cash already promised to LPs is not available. */
export function withinCash(state: FundState, date: string, amount: Money, what: string, code: RejectionCode = 'INSUFFICIENT_CASH'): LimitCheck {
  const cash = availableCash(state, date);
  return limit(
    'within-cash',
    code,
    !amount.gt(cash),
    { amount: amount.toString(), cashAvailable: cash.toString() },
    `${what} of ${amount.format()} against ${cash.format()} of cash available on ${date}`,
  );
}

/** A draw before its facility's maturity. */
export function beforeMaturity(facility: Pick<FacilityState, 'facilityId' | 'maturityDate'>, date: string): LimitCheck {
  return limit(
    'before-maturity',
    'FACILITY_MATURED',
    date < facility.maturityDate,
    { date, maturityDate: facility.maturityDate },
    `drawn on ${date}; credit facility ${facility.facilityId} matures ${facility.maturityDate}`,
  );
}

/** A draw within its facility's limit. */
export function facilityLimit(facility: Pick<FacilityState, 'facilityId' | 'principal' | 'limit'>, amount: Money): LimitCheck {
  const after = facility.principal.plus(amount);
  return limit(
    'facility-limit',
    'FACILITY_LIMIT_EXCEEDED',
    !after.gt(facility.limit),
    { principalBefore: facility.principal.toString(), amount: amount.toString(), principalAfter: after.toString(), limit: facility.limit.toString() },
    `drawing ${amount.format()} on ${facility.facilityId} would bring its principal to ${after.format()} against a limit of ${facility.limit.format()}`,
  );
}

/**
 * The leverage rule: debt <= maxRatio x basis, the basis being admitted commitments or net assets
 * before the draw. One rule for the deciders (in Money) and the fund model (in floats), which
 * pass their own figures and multiply.
 */
export function leverageBasis<T>(policy: { basis: 'commitments' | 'net-assets' }, figures: { admitted: T; netAssets: T }): T {
  return policy.basis === 'net-assets' ? figures.netAssets : figures.admitted;
}

/** The fund's leverage cap on a date: `maxRatio` x its basis (admitted commitments, or net assets). */
export function leverageCap(state: FundState, date: string): Money {
  const policy = state.config?.leveragePolicy;
  if (!policy) return Money.zero('USD');
  return leverageBasis(policy, { admitted: state.admittedUsd, netAssets: netAssets(state, date) }).times(policy.maxRatio);
}

export function withinLeverageCap(state: FundState, date: string, amount: Money): LimitCheck {
  const before = totalDebt(state);
  const after = before.plus(amount);
  const cap = leverageCap(state, date);
  return limit(
    'leverage-cap',
    'LEVERAGE_CAP_EXCEEDED',
    !after.gt(cap),
    {
      debtBefore: before.toString(),
      amount: amount.toString(),
      debtAfter: after.toString(),
      maxRatio: state.config?.leveragePolicy.maxRatio ?? '0',
      basis: state.config?.leveragePolicy.basis ?? 'commitments',
      cap: cap.toString(),
    },
    `debt would be ${after.format()} against a leverage cap of ${cap.format()}`,
  );
}
