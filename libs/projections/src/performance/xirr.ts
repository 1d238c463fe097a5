import { daysBetween } from '@fundsim/domain';

export interface CashFlow {
  date: string;
  /** Negative for money paid in, positive for money received. */
  amount: number;
}

/**
 * Annualised internal rate of return of dated cash flows, as Excel's XIRR defines it:
 * sum(amount_i / (1 + r)^(days_i / 365)) = 0, days counted from the first flow's date.
 *
 * Newton's method from a guess, and a bracketing bisection when Newton fails to converge. Returns
 * undefined when no rate exists (the flows never change sign) or none is found: never a wrong
 * number. Rates are floats on purpose: XIRR is an estimate reported to about nine digits, and the
 * simulation solves it for every Monte Carlo path; amounts booked in the fund stay decimal.
 */
export function xirr(flows: readonly CashFlow[], guess = 0.1): number | undefined {
  if (flows.length < 2) return undefined;
  const hasNegative = flows.some((f) => f.amount < 0);
  const hasPositive = flows.some((f) => f.amount > 0);
  if (!hasNegative || !hasPositive) return undefined;

  const start = flows.reduce((min, f) => (f.date < min ? f.date : min), flows[0].date);
  const years = flows.map((f) => daysBetween(start, f.date) / 365);
  const npv = (r: number) => flows.reduce((sum, f, i) => sum + f.amount / Math.pow(1 + r, years[i]), 0);
  const slope = (r: number) => flows.reduce((sum, f, i) => sum - (years[i] * f.amount) / Math.pow(1 + r, years[i] + 1), 0);
  const tolerance = 1e-10;

  let r = guess;
  for (let i = 0; i < 100; i++) {
    const value = npv(r);
    const derivative = slope(r);
    if (!Number.isFinite(value) || !Number.isFinite(derivative) || derivative === 0) break;
    const next = r - value / derivative;
    if (next <= -1 || !Number.isFinite(next)) break;
    if (Math.abs(next - r) < tolerance) return Math.abs(npv(next)) < 1e-6 * scale(flows) ? next : undefined;
    r = next;
  }
  return bisect(npv, flows);
}

const scale = (flows: readonly CashFlow[]) => Math.max(1, ...flows.map((f) => Math.abs(f.amount)));

/** Looks for a sign change of the NPV on a grid of rates, then halves the bracket. */
function bisect(npv: (r: number) => number, flows: readonly CashFlow[]): number | undefined {
  const grid = [-0.99, -0.9, -0.5, -0.2, 0, 0.1, 0.25, 0.5, 1, 2, 5, 10, 100];
  for (let i = 0; i + 1 < grid.length; i++) {
    let lo = grid[i];
    let hi = grid[i + 1];
    let fLo = npv(lo);
    const fHi = npv(hi);
    if (!Number.isFinite(fLo) || !Number.isFinite(fHi) || Math.sign(fLo) === Math.sign(fHi)) continue;
    for (let k = 0; k < 200 && hi - lo > 1e-12; k++) {
      const mid = (lo + hi) / 2;
      const fMid = npv(mid);
      if (Math.sign(fMid) === Math.sign(fLo)) {
        lo = mid;
        fLo = fMid;
      } else hi = mid;
    }
    const root = (lo + hi) / 2;
    return Math.abs(npv(root)) < 1e-6 * scale(flows) ? root : undefined;
  }
  return undefined;
}
