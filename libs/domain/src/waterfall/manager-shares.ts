import { parseCents, parseFraction } from '../cents';
import { LP_ID } from '../investors/lp-id';
import { largestRemainder } from '../largest-remainder';
import { Dec } from '../money';

/*
 * How the managers share what they receive: the management fees (`fees`) and the carried interest
 * (`carry`, paid and accrued), each by its own rule. A rule is fixed shares that sum to 1, or
 * `by-stake`: each manager's share is its government's LP account's (`managerShares[].lpId`)
 * admitted commitment over the named governments' admitted commitments, as the last close before
 * the fee or distribution recorded them (`CloseHeld.stakes`). While no government is admitted
 * (the stakes are absent or sum to zero), `managerShares`' fixed shares apply.
 *
 * The one implementation: the distribution decider splits the carry it records with it, and the
 * projections split the fees (each fee on its own date) and the carry accrued with it.
 */

/** Fixed shares (each manager once, summing to 1), or shares tied to the governments' LP stakes. */
export type ManagerShareRule = 'by-stake' | { manager: string; share: string }[];

export type ShareKind = 'fees' | 'carry';

/** The governments' LP accounts' admitted commitments (USD decimal strings) by LP id, as a close recorded them. */
export type Stakes = Readonly<Record<string, string>>;

/** The part of the waterfall terms that says how the managers share (`WaterfallTerms`). */
export interface ManagerShareTerms {
  managerShares: { manager: string; share: string; lpId?: string }[];
  feeShares?: ManagerShareRule;
  carryShares?: ManagerShareRule;
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** The rule for one kind: its own, or `managerShares`' fixed shares when the terms give none. */
export function shareRule(terms: ManagerShareTerms, kind: ShareKind): ManagerShareRule {
  return (kind === 'fees' ? terms.feeShares : terms.carryShares) ?? terms.managerShares;
}

/** True when fees or carry follow the governments' stakes (a close then records them). */
export const splitsByStake = (terms: ManagerShareTerms): boolean => terms.feeShares === 'by-stake' || terms.carryShares === 'by-stake';

/** The LP accounts whose stakes a close records: each manager's `lpId`. */
export const stakeLps = (terms: ManagerShareTerms): string[] => terms.managerShares.flatMap((s) => (s.lpId === undefined ? [] : [s.lpId]));

// A common scale for fixed weights: shares have at most 18 decimals here.
const fixedWeight = (share: string): bigint => {
  const f = parseFraction(share);
  return (f.numerator * 10n ** 18n) / f.denominator;
};

/** Each manager's weight for a kind on a date whose stakes are `stakes`. */
export function managerWeights(terms: ManagerShareTerms, kind: ShareKind, stakes?: Stakes): { key: string; weight: bigint }[] {
  const rule = shareRule(terms, kind);
  if (rule === 'by-stake') {
    const weights = terms.managerShares.map((s) => ({ key: s.manager, weight: parseCents(stakes?.[s.lpId!] ?? '0') }));
    if (weights.some((w) => w.weight > 0n)) return weights;
    // No government admitted yet: the fixed shares.
    return terms.managerShares.map((s) => ({ key: s.manager, weight: fixedWeight(s.share) }));
  }
  return rule.map((s) => ({ key: s.manager, weight: fixedWeight(s.share) }));
}

/**
 * Each manager's share of a kind on a date whose stakes are `stakes`, as a decimal fraction (at
 * most six places, half to even): what the reports show beside the figures split by it.
 */
export function sharesOn(terms: ManagerShareTerms, kind: ShareKind, stakes?: Stakes): Map<string, string> {
  const weights = managerWeights(terms, kind, stakes);
  const total = weights.reduce((sum, w) => sum + w.weight, 0n);
  return new Map(
    weights.map((w) => [w.key, total === 0n ? '0' : new Dec(w.weight.toString()).div(total.toString()).toDecimalPlaces(6, Dec.ROUND_HALF_EVEN).toString()]),
  );
}

/** The managers' cents of a kind (negative: what they owe), shared by the terms, exact to the cent (largest remainder, ties by name). */
export function managersSplit(terms: ManagerShareTerms, cents: bigint, kind: ShareKind = 'carry', stakes?: Stakes): Map<string, bigint> {
  const parts = largestRemainder(cents < 0n ? -cents : cents, managerWeights(terms, kind, stakes));
  if (cents < 0n) for (const [m, part] of parts) parts.set(m, -part);
  return parts;
}

/** Checks `managerShares`, `feeShares` and `carryShares` as given; `bad` rejects naming the field. */
export function parseManagerShares(t: Partial<ManagerShareTerms>, managers: readonly string[], bad: (why: string) => never): ManagerShareTerms {
  const shares = Array.isArray(t.managerShares) ? t.managerShares : bad('managerShares is required');
  const fixed = (field: string, list: unknown): { manager: string; share: string }[] => {
    if (!Array.isArray(list)) return bad(`${field} must be "by-stake" or a list of { manager, share }`);
    const named = list.map((s: { manager?: unknown }) => s?.manager);
    if (named.length !== managers.length || !managers.every((m) => named.includes(m))) bad(`${field} must name each manager once (${managers.join(', ')})`);
    let sum: Dec = new Dec(0);
    for (const s of list as { manager: string; share: unknown }[]) {
      if (typeof s.share !== 'string' || !DECIMAL.test(s.share)) bad(`${field}: ${s.manager}'s share must be a decimal`);
      sum = sum.plus(s.share as string);
    }
    if (!sum.eq(1)) bad(`${field} must sum to 1, got ${sum.toString()}`);
    return (list as { manager: string; share: string }[]).map((s) => ({ manager: s.manager, share: s.share }));
  };
  fixed('managerShares', shares);
  for (const s of shares) {
    if (s.lpId !== undefined && (typeof s.lpId !== 'string' || !LP_ID.test(s.lpId)))
      bad(`managerShares: ${s.manager}'s lpId must be an LP id, got ${JSON.stringify(s.lpId)}`);
  }
  const lpIds = shares.flatMap((s) => (s.lpId === undefined ? [] : [s.lpId]));
  const rule = (field: 'feeShares' | 'carryShares'): ManagerShareRule | undefined => {
    const given = t[field];
    if (given === undefined) return undefined;
    if (given !== 'by-stake') return fixed(field, given);
    const missing = shares.filter((s) => s.lpId === undefined).map((s) => s.manager);
    if (missing.length > 0) bad(`${field} "by-stake" needs each manager's lpId (none for ${missing.join(', ')})`);
    if (new Set(lpIds).size !== lpIds.length) bad(`${field} "by-stake" needs a different lpId for each manager`);
    return 'by-stake';
  };
  const feeShares = rule('feeShares');
  const carryShares = rule('carryShares');
  return {
    managerShares: shares.map((s) => ({ manager: s.manager, share: s.share, ...(s.lpId === undefined ? {} : { lpId: s.lpId }) })),
    ...(feeShares === undefined ? {} : { feeShares }),
    ...(carryShares === undefined ? {} : { carryShares }),
  };
}
