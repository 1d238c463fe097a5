/**
 * The fund's waterfall in the fund model: the carry-bearing LPs' flows through the fund's tiers,
 * quarter by quarter, in floating point (a model's figures, not the books'). The tiers are the
 * books' (libs/domain/src/waterfall/waterfall.ts): return of capital, preferred return, catch-up,
 * carried interest; `carry-model.spec.ts` checks that this follows the books' implementation to
 * within a cent on random histories, so that the two cannot drift apart.
 */
export interface CarryTerms {
  /** The preferred return a year. */
  preferredReturn: number;
  /** Compounding yearly (on the preferred return owed too), or simple. */
  compounding: 'annual' | 'none';
  /** Days in the preferred return's year: 365 (ACT/365) or 360 (ACT/360). */
  dayBasis: 365 | 360;
  /** Share of each catch-up dollar to the managers (0: no catch-up). */
  catchUp: number;
  /** The managers' share of profit. */
  carriedInterest: number;
  /** The books' clawback rule (`WaterfallTerms.clawback`): absent, share of profit, no cap. */
  clawback?: { rule: 'share-of-profit' | 'rerun'; taxRate?: number };
}

/** The LP's account with the managers, cumulative. */
export class CarryAccount {
  contributed = 0;
  returned = 0;
  prefAccrued = 0;
  prefPaid = 0;
  /** Profit distributed to the LPs beyond the preferred return, and to the managers. */
  lpsProfit = 0;
  managers = 0;

  constructor(private readonly terms: CarryTerms) {}

  reset(): void {
    this.contributed = this.returned = this.prefAccrued = this.prefPaid = this.lpsProfit = this.managers = 0;
  }

  /** The preferred return accrued over `days` (actual days, counted in the terms' year). */
  accrue(days: number): void {
    const { preferredReturn: r, compounding, dayBasis } = this.terms;
    const years = days / dayBasis;
    const unreturned = this.contributed - this.returned;
    const accrued = compounding === 'none' ? unreturned * r * years : (unreturned + this.prefAccrued - this.prefPaid) * this.growthOver(days, years);
    if (accrued > 0) this.prefAccrued += accrued;
  }

  /** (1 + r)^years - 1 for a quarter's days, computed once per number of days (a run asks it a million times for three or four). */
  private growthOver(days: number, years: number): number {
    if (days === this.lastDays) return this.lastGrowth;
    this.lastDays = days;
    return (this.lastGrowth = Math.pow(1 + this.terms.preferredReturn, years) - 1);
  }

  private lastDays = -1;
  private lastGrowth = 0;

  contribute(amount: number): void {
    this.contributed += amount;
  }

  /** Splits a distribution; returns the LPs' part (the rest is the managers'). */
  distribute(amount: number): number {
    return amount - this.split(amount, true);
  }

  /** What the managers would receive of `amount` distributed now, less the clawback they would then owe. */
  liquidationCarry(amount: number): number {
    return this.split(Math.max(0, amount), false);
  }

  /** The managers' part of `amount`, through the tiers; `record`: book it. */
  private split(amount: number, record: boolean): number {
    const k = this.terms.carriedInterest;
    const c = this.terms.catchUp;
    // Each tier takes what it wants of what is left (nothing when it wants nothing); no closure, so
    // a run's million liquidations allocate nothing.
    let left = amount;
    const wantCapital = this.contributed - this.returned;
    const capital = wantCapital <= 0 ? 0 : Math.min(wantCapital, left);
    left -= capital;
    const wantPref = this.prefAccrued - this.prefPaid;
    const pref = wantPref <= 0 ? 0 : Math.min(wantPref, left);
    left -= pref;
    const profit = this.prefPaid + pref + this.lpsProfit + this.managers;
    let toManagers = 0;
    if (c > 0 && left > 0) {
      const wantCatchUp = (k * profit - this.managers) / (c - k);
      const catchUp = wantCatchUp <= 0 ? 0 : Math.min(wantCatchUp, left);
      left -= catchUp;
      toManagers += c * catchUp;
    }
    const rest = left <= 0 ? 0 : left;
    toManagers += k * rest;
    const lpsProfit = this.lpsProfit + amount - capital - pref - toManagers;
    if (record) {
      this.returned += capital;
      this.prefPaid += pref;
      this.lpsProfit = lpsProfit;
      this.managers += toManagers;
      return toManagers;
    }
    // Liquidation: net of what the managers would owe back (the books' `clawback`).
    const held = this.managers + toManagers;
    const distributed = this.returned + capital + this.prefPaid + pref + lpsProfit + held;
    const rule = this.terms.clawback;
    let due: number;
    if (rule?.rule === 'rerun') {
      // The whole life's distributions through the tiers at once, on the capital and the preferred return accrued.
      const whole = new CarryAccount(this.terms);
      whole.contributed = this.contributed;
      whole.prefAccrued = this.prefAccrued;
      due = whole.split(distributed, true);
    } else due = Math.max(0, k * (distributed - this.contributed));
    let owed = Math.max(0, held - due);
    if (rule?.taxRate !== undefined) owed = Math.min(owed, held * (1 - rule.taxRate));
    return toManagers - owed;
  }
}
