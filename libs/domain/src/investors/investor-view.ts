import { allocateLargestRemainder } from '../largest-remainder';
import { Money } from '../money';
import type { CloseHeld } from '../fund/fund.events';

/** A commitment as the close and call rules see it: who, how much in USD, where in the log. */
export interface CommitmentEntry {
  lpId: string;
  amountUsd: Money;
  position: number;
}

export interface AdmittedLp {
  lpId: string;
  admittedUsd: Money;
  closeNumber: number;
}

/** The LPs a close or call decides over: those admitted, and the commitments still pending. */
export interface InvestorView {
  admitted: Map<string, AdmittedLp>;
  pending: CommitmentEntry[];
}

/** Sums an LP's commitments within one close: weights for the pro-rata scale-back. */
export function pendingByLp(pending: readonly CommitmentEntry[]): Map<string, Money> {
  const byLp = new Map<string, Money>();
  for (const c of pending) byLp.set(c.lpId, (byLp.get(c.lpId) ?? Money.zero('USD')).plus(c.amountUsd));
  return byLp;
}

/** Each LP's admitted amount at a close: `admittedUsd` over the pending amounts by largest remainder. */
export function admitAtClose(pending: readonly CommitmentEntry[], admittedUsd: Money): Map<string, Money> {
  const byLp = pendingByLp(pending);
  return allocateLargestRemainder(
    admittedUsd,
    [...byLp].map(([key, amount]) => ({ key, weight: amount.amount })),
  );
}

/**
 * Replays the closes over the commitments (in log order): who is admitted with how much, and
 * what is still pending. Costs one pass over the commitments.
 */
export function buildInvestorView(commitments: readonly CommitmentEntry[], closes: readonly Pick<CloseHeld['data'], 'closeNumber' | 'throughPosition' | 'admittedUsd'>[]): InvestorView {
  const admitted = new Map<string, AdmittedLp>();
  let next = 0;
  for (const close of closes) {
    const batch: CommitmentEntry[] = [];
    while (next < commitments.length && commitments[next].position <= close.throughPosition) batch.push(commitments[next++]);
    for (const [lpId, amount] of admitAtClose(batch, Money.parse(close.admittedUsd, 'USD'))) {
      const before = admitted.get(lpId);
      admitted.set(lpId, { lpId, admittedUsd: before ? before.admittedUsd.plus(amount) : amount, closeNumber: before?.closeNumber ?? close.closeNumber });
    }
  }
  return { admitted, pending: commitments.slice(next) };
}
