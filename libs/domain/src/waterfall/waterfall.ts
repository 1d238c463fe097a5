import { divRoundHalfEven, formatCents, parseCents, parseFraction, type Fraction } from '../cents';
import { daysBetween, isIsoDate, type IsoDate } from '../dates';
import { Dec } from '../money';
import { LP_ID } from '../investors/lp-id';
import { reject } from '../rejections';
import { managersSplit, parseManagerShares, type ManagerShareRule, type Stakes } from './manager-shares';

/*
 * The distribution waterfall, European (over the whole fund) or American (deal by deal:
 * deal-by-deal.ts says what the return-of-capital tier may return), in integer cents: what the
 * carry-bearing LPs receive of each distribution and what the managers receive, tier by tier.
 *
 *   1. return of capital: the LPs' contributed capital not yet returned;
 *   2. preferred return: the return accrued on it (and, compounding, on the preferred return
 *      unpaid) at the terms' rate, not yet paid;
 *   3. catch-up: `catchUp` of each cent to the managers, the rest to the LPs, until the managers
 *      hold `carriedInterest` of all the profit distributed so far;
 *   4. carried interest: `carriedInterest` of each cent to the managers, the rest to the LPs.
 *
 * The LPs that do not bear carry receive their share of a distribution outside it. Every figure
 * is rounded to the cent once, where it is computed (half to even), and the tiers of a
 * distribution sum to it exactly. docs/accounting.md works an example by hand.
 */

export interface WaterfallTerms {
  /**
   * `european`: the return-of-capital tier returns all the capital contributed before any
   * preferred return or carry. `american` (deal by deal, deal-by-deal.ts): it returns only the
   * capital of the deals realised or written down so far and the capital not in a deal, so a deal
   * sold at a profit pays carry before the capital of the deals still held comes back; the
   * clawback at the fund's end gives back what later losses make too much.
   */
  style: 'european' | 'american';
  /**
   * `accruesFrom`: when a contribution starts to earn the preferred return: its due date (when the
   * LPs pay it; the default for terms decided now) or the call's date (terms recorded without the
   * field, so a fund established before replays unchanged).
   */
  preferredReturn: { rate: string; compounding: 'annual' | 'none'; dayCount: 'ACT/365' | 'ACT/360'; accruesFrom?: 'due-date' | 'call-date' };
  /** Share of each catch-up cent to the managers: 0 (no catch-up) or above the carried interest, up to 1. */
  catchUp: string;
  /** The managers' share of profit, from 0 up to 0.5. */
  carriedInterest: string;
  /** Which LPs bear carry: all, or all but the sovereign LPs (`kind: sovereign`). */
  carryBearing: 'all' | 'non-sovereign';
  /** LPs named as bearing no carry, besides those `carryBearing` exempts (carry-exemption.ts). */
  carryExempt?: string[];
  /** Which LPs pay management fees: all (absent), or all but the sovereign LPs (fee-exemption.ts). */
  feeBearing?: 'all' | 'non-sovereign';
  /** LPs named as paying no management fee, besides those `feeBearing` exempts. */
  feeExempt?: string[];
  /**
   * How the managers share their fees and carry unless `feeShares` or `carryShares` says
   * otherwise; the shares sum to 1. `lpId`: the manager's government's own LP account, whose
   * returns count in the manager's revenue (and whose stake `by-stake` shares follow).
   */
  managerShares: { manager: string; share: string; lpId?: string }[];
  /** How they share the management fees: fixed shares summing to 1, or `by-stake` (manager-shares.ts); `managerShares` when absent. */
  feeShares?: ManagerShareRule;
  /** How they share the carried interest, paid and accrued: as `feeShares`. */
  carryShares?: ManagerShareRule;
  /**
   * What the managers give back at the fund's end (absent: `share-of-profit` with no cap):
   * `share-of-profit`, what they received above `carriedInterest` of the whole profit; `rerun`,
   * above what the tiers give them when the whole life's distributions go through them at once
   * (the LPs' capital and every preferred return accrued over the life first). `taxRate`: at most
   * what they received net of the taxes paid on it at this rate.
   */
  clawback?: { rule: 'share-of-profit' | 'rerun'; taxRate?: string };
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** Checks terms as given (a command's data): every field, or a rejection naming the first that is wrong. */
export function parseWaterfallTerms(input: unknown, managers: readonly string[]): WaterfallTerms {
  const bad = (why: string): never => reject('INVALID_FUND_TERMS', `Waterfall terms: ${why}`);
  const t = (input ?? {}) as Partial<WaterfallTerms>;
  if (t.style !== 'european' && t.style !== 'american') bad(`style must be "european" or "american", got ${JSON.stringify(t.style)}`);
  const pref = t.preferredReturn ?? bad('preferredReturn is required');
  if (typeof pref.rate !== 'string' || !DECIMAL.test(pref.rate) || new Dec(pref.rate).gte(1))
    bad(`preferredReturn.rate must be a decimal from 0 to below 1, got ${JSON.stringify(pref.rate)}`);
  if (pref.compounding !== 'annual' && pref.compounding !== 'none') bad(`preferredReturn.compounding must be "annual" or "none"`);
  if (pref.dayCount !== 'ACT/365' && pref.dayCount !== 'ACT/360') bad(`preferredReturn.dayCount must be "ACT/365" or "ACT/360"`);
  const accruesFrom = pref.accruesFrom ?? 'due-date';
  if (accruesFrom !== 'due-date' && accruesFrom !== 'call-date') bad(`preferredReturn.accruesFrom must be "due-date" or "call-date"`);
  const carry =
    typeof t.carriedInterest === 'string' && DECIMAL.test(t.carriedInterest)
      ? new Dec(t.carriedInterest)
      : bad(`carriedInterest must be a decimal, got ${JSON.stringify(t.carriedInterest)}`);
  if (carry.gt(0.5)) bad(`carriedInterest must be at most 0.5, got ${t.carriedInterest}`);
  const catchUp =
    typeof t.catchUp === 'string' && DECIMAL.test(t.catchUp) ? new Dec(t.catchUp) : bad(`catchUp must be a decimal, got ${JSON.stringify(t.catchUp)}`);
  if (!catchUp.isZero() && (catchUp.lte(carry) || catchUp.gt(1)))
    bad(`catchUp must be 0 or above carriedInterest (${t.carriedInterest}) and at most 1, got ${t.catchUp}`);
  if (t.carryBearing !== 'all' && t.carryBearing !== 'non-sovereign') bad(`carryBearing must be "all" or "non-sovereign"`);
  const shares = parseManagerShares(t, managers, bad);
  const claw = t.clawback;
  if (claw !== undefined) {
    if (claw === null || typeof claw !== 'object' || (claw.rule !== 'share-of-profit' && claw.rule !== 'rerun'))
      bad(`clawback.rule must be "share-of-profit" or "rerun", got ${JSON.stringify((claw as { rule?: unknown } | null)?.rule)}`);
    if (claw.taxRate !== undefined && (typeof claw.taxRate !== 'string' || !DECIMAL.test(claw.taxRate) || new Dec(claw.taxRate).gte(1)))
      bad(`clawback.taxRate must be a decimal from 0 to below 1, got ${JSON.stringify(claw.taxRate)}`);
  }
  const lpIds = (field: 'carryExempt' | 'feeExempt'): string[] | undefined => {
    const ids = t[field];
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !LP_ID.test(id))))
      bad(`${field} must be a list of LP ids, got ${JSON.stringify(ids)}`);
    if (ids !== undefined && new Set(ids).size !== ids.length) bad(`${field} names an LP twice`);
    return ids === undefined || ids.length === 0 ? undefined : [...ids];
  };
  const exempt = lpIds('carryExempt');
  const feeExempt = lpIds('feeExempt');
  if (t.feeBearing !== undefined && t.feeBearing !== 'all' && t.feeBearing !== 'non-sovereign') bad(`feeBearing must be "all" or "non-sovereign"`);
  return {
    style: t.style!,
    preferredReturn: { rate: pref.rate, compounding: pref.compounding, dayCount: pref.dayCount, accruesFrom },
    catchUp: t.catchUp!,
    carriedInterest: t.carriedInterest!,
    carryBearing: t.carryBearing!,
    ...(exempt === undefined ? {} : { carryExempt: exempt }),
    ...(t.feeBearing === 'non-sovereign' ? { feeBearing: 'non-sovereign' as const } : {}),
    ...(feeExempt === undefined ? {} : { feeExempt }),
    ...(claw === undefined ? {} : { clawback: { rule: claw.rule, ...(claw.taxRate === undefined ? {} : { taxRate: claw.taxRate }) } }),
    ...shares,
  };
}

/** The carry-bearing LPs' account with the managers, cumulative, in cents. */
export interface WaterfallLedger {
  /** The preferred return has accrued up to this date. */
  date: IsoDate;
  /** Capital called (less defaults): what the return-of-capital tier returns. */
  contributed: bigint;
  /** Of it, contributions not yet due on `date` (terms accruing from the due date): they earn no preferred return before it, in due-date order. */
  notYetDue?: readonly { dueDate: IsoDate; cents: bigint }[];
  returned: bigint;
  prefAccrued: bigint;
  prefPaid: bigint;
  catchUpToLps: bigint;
  catchUpToManagers: bigint;
  carryTierToLps: bigint;
  carryTierToManagers: bigint;
}

export const openWaterfall = (date: IsoDate): WaterfallLedger => ({
  date,
  contributed: 0n,
  returned: 0n,
  prefAccrued: 0n,
  prefPaid: 0n,
  catchUpToLps: 0n,
  catchUpToManagers: 0n,
  carryTierToLps: 0n,
  carryTierToManagers: 0n,
});

/** What one distribution's tiers give, in cents. */
export interface TierSplit {
  returnOfCapital: bigint;
  preferredReturn: bigint;
  catchUp: { lps: bigint; managers: bigint };
  carriedInterest: { lps: bigint; managers: bigint };
  toLps: bigint;
  toManagers: bigint;
}

const fraction = (text: string): Fraction => parseFraction(text);

/**
 * The preferred return accrued from the ledger's date to `date`: on the capital not yet returned
 * (less contributions not yet due), rounded once to the cent for each stretch between two due
 * dates, and at `date`.
 */
export function accrue(terms: WaterfallTerms, ledger: WaterfallLedger, date: IsoDate): WaterfallLedger {
  if (!isIsoDate(date)) throw new Error(`Not a date: ${date}`);
  let l = ledger;
  // Each contribution falling due by the date starts to accrue on its due date.
  while (l.notYetDue?.length && l.notYetDue[0].dueDate <= date) {
    const [due, ...rest] = l.notYetDue;
    const { notYetDue: _due, ...stretched } = accrueStretch(terms, l, due.dueDate);
    l = rest.length ? { ...stretched, notYetDue: rest } : stretched;
  }
  return accrueStretch(terms, l, date);
}

/** The preferred return from the ledger's date to `date`, no contribution falling due between. */
function accrueStretch(terms: WaterfallTerms, ledger: WaterfallLedger, date: IsoDate): WaterfallLedger {
  const days = daysBetween(ledger.date, date);
  if (days <= 0) return ledger;
  const { rate, compounding, dayCount } = terms.preferredReturn;
  const year = dayCount === 'ACT/360' ? 360 : 365;
  let pending = 0n;
  for (const c of ledger.notYetDue ?? []) pending += c.cents;
  const unreturned = ledger.contributed - ledger.returned - pending;
  let accrued: bigint;
  if (compounding === 'none') {
    const r = fraction(rate);
    accrued = divRoundHalfEven(unreturned * r.numerator * BigInt(days), r.denominator * BigInt(year));
  } else {
    // Compounding yearly: on the capital and the preferred return still owed, (1 + r)^(days/year) - 1.
    // Capital returned before it fell due is not below zero: the preferred return owed still compounds.
    const base = (unreturned > 0n ? unreturned : 0n) + ledger.prefAccrued - ledger.prefPaid;
    const growth = new Dec(1).plus(rate).pow(new Dec(days).div(year)).minus(1);
    accrued = BigInt(new Dec(base.toString()).times(growth).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).toFixed(0));
  }
  return { ...ledger, date, prefAccrued: ledger.prefAccrued + (accrued > 0n ? accrued : 0n) };
}

/**
 * The carry-bearing LPs contribute `cents` called on `date` (after the preferred return accrued
 * to it; negative: a default), due on `dueDate`: from which it accrues the preferred return under
 * terms that accrue from the due date, else from `date`.
 */
export function contribute(terms: WaterfallTerms, ledger: WaterfallLedger, cents: bigint, date: IsoDate, dueDate: IsoDate = date): WaterfallLedger {
  const accrued = accrue(terms, ledger, date);
  const later = terms.preferredReturn.accruesFrom === 'due-date' && dueDate > date;
  if (later && cents < 0n) {
    // A default before the call falls due: what will not be paid never starts to accrue.
    let left = -cents;
    const notYetDue = (accrued.notYetDue ?? []).map((c) => {
      const taken = c.dueDate === dueDate ? (c.cents < left ? c.cents : left) : 0n;
      left -= taken;
      return { ...c, cents: c.cents - taken };
    });
    const { notYetDue: _before, ...rest } = accrued;
    const kept = notYetDue.filter((c) => c.cents > 0n);
    return { ...rest, contributed: accrued.contributed + cents, ...(kept.length ? { notYetDue: kept } : {}) };
  }
  if (!later || cents <= 0n) return { ...accrued, contributed: accrued.contributed + cents };
  const notYetDue = [...(accrued.notYetDue ?? []), { dueDate, cents }].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  return { ...accrued, contributed: accrued.contributed + cents, notYetDue };
}

/**
 * Splits a distribution of `cents` to the carry-bearing LPs on `date` through the tiers.
 * `returnable`: the capital the return-of-capital tier may return by now (cumulative; an American
 * waterfall's `returnableCapital`); absent, all the capital contributed (European, and any
 * liquidation, where every deal is realised).
 */
export function distribute(
  terms: WaterfallTerms,
  ledger: WaterfallLedger,
  cents: bigint,
  date: IsoDate,
  returnable?: bigint,
): { split: TierSplit; ledger: WaterfallLedger } {
  if (cents < 0n) throw new Error('A distribution is not negative');
  const l = accrue(terms, ledger, date);
  let left = cents;
  const take = (wanted: bigint): bigint => {
    const given = wanted <= 0n ? 0n : wanted < left ? wanted : left;
    left -= given;
    return given;
  };
  const capital = returnable === undefined || returnable > l.contributed ? l.contributed : returnable;
  const returnOfCapital = take(capital - l.returned);
  const preferredReturn = take(l.prefAccrued - l.prefPaid);

  const k = fraction(terms.carriedInterest);
  const c = fraction(terms.catchUp);
  const profit = l.prefPaid + preferredReturn + l.catchUpToLps + l.catchUpToManagers + l.carryTierToLps + l.carryTierToManagers;
  const managersSoFar = l.catchUpToManagers + l.carryTierToManagers;
  let catchUp = { lps: 0n, managers: 0n };
  if (c.numerator > 0n && left > 0n) {
    // The tier T that brings the managers to k of the profit: M + cT = k (P + T), so
    // T = (k P - M) / (c - k), rounded up to the cent so that the share is reached.
    const numerator = (k.numerator * profit - k.denominator * managersSoFar) * c.denominator;
    const denominator = c.numerator * k.denominator - k.numerator * c.denominator;
    const needed = numerator <= 0n ? 0n : (numerator + denominator - 1n) / denominator;
    const tier = take(needed);
    const toManagers = divRoundHalfEven(tier * c.numerator, c.denominator);
    catchUp = { lps: tier - toManagers, managers: toManagers };
  }
  const rest = take(left);
  const carryToManagers = divRoundHalfEven(rest * k.numerator, k.denominator);
  const carriedInterest = { lps: rest - carryToManagers, managers: carryToManagers };
  const split: TierSplit = {
    returnOfCapital,
    preferredReturn,
    catchUp,
    carriedInterest,
    toLps: returnOfCapital + preferredReturn + catchUp.lps + carriedInterest.lps,
    toManagers: catchUp.managers + carriedInterest.managers,
  };
  return {
    split,
    ledger: {
      ...l,
      returned: l.returned + returnOfCapital,
      prefPaid: l.prefPaid + preferredReturn,
      catchUpToLps: l.catchUpToLps + catchUp.lps,
      catchUpToManagers: l.catchUpToManagers + catchUp.managers,
      carryTierToLps: l.carryTierToLps + carriedInterest.lps,
      carryTierToManagers: l.carryTierToManagers + carriedInterest.managers,
    },
  };
}

/**
 * What a liquidation on `date` would give the managers: the carry-bearing LPs' net assets
 * distributed through the tiers, less the clawback the managers would then owe when they had
 * received more than their carried interest of the whole profit. The carry accrued on the date:
 * negative when the managers owe the LPs.
 */
export function liquidation(
  terms: WaterfallTerms,
  ledger: WaterfallLedger,
  netAssetsCents: bigint,
  date: IsoDate,
): { split: TierSplit; clawback: bigint; accruedCarry: bigint } {
  const { split, ledger: after } = distribute(terms, ledger, netAssetsCents > 0n ? netAssetsCents : 0n, date);
  const owed = clawback(terms, after);
  return { split, clawback: owed, accruedCarry: split.toManagers - owed };
}

export function accruedCarry(terms: WaterfallTerms, ledger: WaterfallLedger, netAssetsCents: bigint, date: IsoDate): bigint {
  return liquidation(terms, ledger, netAssetsCents, date).accruedCarry;
}

/**
 * At the fund's end: what the managers received above what the terms' clawback rule says is
 * theirs (`WaterfallTerms.clawback`), at most what they received net of tax at `taxRate`.
 */
export function clawback(terms: WaterfallTerms, ledger: WaterfallLedger): bigint {
  const received = ledger.catchUpToManagers + ledger.carryTierToManagers;
  if (received <= 0n) return 0n;
  const due = terms.clawback?.rule === 'rerun' ? dueOnRerun(terms, ledger) : dueOnProfit(terms, ledger);
  const owed = received > due ? received - due : 0n;
  const taxRate = terms.clawback?.taxRate;
  if (taxRate === undefined) return owed;
  const r = fraction(taxRate);
  const cap = received - divRoundHalfEven(received * r.numerator, r.denominator);
  return owed < cap ? owed : cap;
}

const distributedOf = (l: WaterfallLedger): bigint => l.returned + l.prefPaid + l.catchUpToLps + l.catchUpToManagers + l.carryTierToLps + l.carryTierToManagers;

/** `carriedInterest` of the whole profit (distributions less contributions). */
function dueOnProfit(terms: WaterfallTerms, ledger: WaterfallLedger): bigint {
  const k = fraction(terms.carriedInterest);
  const profit = distributedOf(ledger) - ledger.contributed;
  return profit > 0n ? divRoundHalfEven(profit * k.numerator, k.denominator) : 0n;
}

/**
 * What the tiers give the managers of everything distributed, run at once on the capital
 * contributed and the preferred return accrued over the fund's life (on the capital as it was
 * returned): nothing until the LPs have both.
 */
function dueOnRerun(terms: WaterfallTerms, ledger: WaterfallLedger): bigint {
  const whole: WaterfallLedger = { ...openWaterfall(ledger.date), contributed: ledger.contributed, prefAccrued: ledger.prefAccrued };
  return distribute(terms, whole, distributedOf(ledger), ledger.date).split.toManagers;
}

/** A distribution's split as the log records it (decimal strings). */
export interface WaterfallSplit {
  returnOfCapital: string;
  preferredReturn: string;
  catchUpToLps: string;
  catchUpToManagers: string;
  carriedInterestToLps: string;
  carriedInterestToManagers: string;
  toLps: string;
  toManagers: string;
  /**
   * In a fund with carry-exempt LPs: their share of the distribution, paid whole outside the
   * tiers (carry-exemption.ts); the tiers split the rest. Absent: every LP bears carry.
   */
  exempt?: string;
  /** Each manager's part of `toManagers`, by the terms' carry shares (`carryShares`, else `managerShares`). */
  managers: Record<string, string>;
  /**
   * In an American waterfall (deal-by-deal.ts): the capital the return-of-capital tier could
   * return by the distribution (the carry-bearing LPs'), and the deals whose undistributed
   * proceeds fund it, oldest first, in USD of the distribution (the rest is not a deal's).
   */
  capitalReturnable?: string;
  deals?: { projectId: string; amount: string }[];
}

/** `stakes`: the governments' stakes on the distribution's date (`FundState.stakes`), for carry shared by stake. */
export function splitRecord(
  terms: WaterfallTerms,
  split: TierSplit,
  stakes?: Stakes,
  exemptCents?: bigint,
  dealByDeal?: { returnable: bigint; deals: readonly { projectId: string; cents: bigint }[] },
): WaterfallSplit {
  return {
    ...(exemptCents === undefined ? {} : { exempt: formatCents(exemptCents) }),
    returnOfCapital: formatCents(split.returnOfCapital),
    preferredReturn: formatCents(split.preferredReturn),
    catchUpToLps: formatCents(split.catchUp.lps),
    catchUpToManagers: formatCents(split.catchUp.managers),
    carriedInterestToLps: formatCents(split.carriedInterest.lps),
    carriedInterestToManagers: formatCents(split.carriedInterest.managers),
    toLps: formatCents(split.toLps),
    toManagers: formatCents(split.toManagers),
    managers: Object.fromEntries([...managersSplit(terms, split.toManagers, 'carry', stakes)].map(([m, cents]) => [m, formatCents(cents)])),
    ...(dealByDeal === undefined
      ? {}
      : {
          capitalReturnable: formatCents(dealByDeal.returnable),
          deals: dealByDeal.deals.map((d) => ({ projectId: d.projectId, amount: formatCents(d.cents) })),
        }),
  };
}

/**
 * The ledger after a distribution as the log recorded it: what was paid is a fact, even when a
 * later correction of an earlier call or distribution would split it otherwise today (the
 * clawback at the fund's end settles the difference).
 */
export function recordDistribution(terms: WaterfallTerms, ledger: WaterfallLedger, record: WaterfallSplit, date: IsoDate): WaterfallLedger {
  const l = accrue(terms, ledger, date);
  const c = parseCents;
  return {
    ...l,
    returned: l.returned + c(record.returnOfCapital),
    prefPaid: l.prefPaid + c(record.preferredReturn),
    catchUpToLps: l.catchUpToLps + c(record.catchUpToLps),
    catchUpToManagers: l.catchUpToManagers + c(record.catchUpToManagers),
    carryTierToLps: l.carryTierToLps + c(record.carriedInterestToLps),
    carryTierToManagers: l.carryTierToManagers + c(record.carriedInterestToManagers),
  };
}
