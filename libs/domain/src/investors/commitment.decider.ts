import type { ReverseEvent } from '../fund/correction.commands';
import { LP_ID } from './lp-id';
import type { EventReversed } from '../fund/correction.events';
import { checkEffectiveDate, requireEstablished, requireManager } from '../fund/fund.rules';
import { fxRateOn, type FundState } from '../fund/fund.state';
import { Money } from '../money';
import { reject } from '../rejections';
import type { CommitCapital } from './commitment.commands';
import type { CapitalCommitted, LpKind } from './commitment.events';
import type { InvestorLedger } from './investor-ledger';

const KINDS: readonly LpKind[] = ['sovereign', 'retail', 'institutional'];
const COUNTRY = /^[A-Z]{2}$/;

/** Pending commitments one LP may hold at once: enough for top-ups between closes, not a flood at the hard cap. */
export const MAX_PENDING_PER_LP = 10;

/**
 * What a commitment's rules need to know of an LP that has committed before: its terms (kind,
 * country and currency are fixed by its first commitment), who onboarded it (the actor of that
 * first commitment: an operator's platform, or a manager for a sovereign), and how many of its
 * commitments are still pending.
 */
export interface LpStanding {
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  onboardedBy: string;
  pending: number;
}

/**
 * An LP's standing from its own stream's commitments, the fund's closes, and the commitments
 * withdrawn (reversed with nothing in their place: a replaced one is still pending). Read from the
 * LP's stream, not the investor ledger, so that a commitment costs O(its own commitments) and
 * never a fold of a million LPs. An LP that entered by a transfer before committing has its terms,
 * and the manager that recorded the transfer as who onboarded it, from the fund's state.
 */
export function lpStandingOf(
  commitments: readonly { data: unknown; metadata: { actor: string; eventId?: string; position?: number; effectiveDate?: string } }[],
  fund: FundState,
  withdrawn: (eventId: string) => boolean,
  lpId?: string,
): LpStanding | undefined {
  if (commitments.length === 0) {
    const transferee = lpId === undefined ? undefined : fund.transferees?.get(lpId);
    return transferee && { ...transferee, pending: 0 };
  }
  const first = commitments[0].data as CapitalCommitted['data'];
  const closedThrough = fund.closes.length === 0 ? 0 : fund.closes[fund.closes.length - 1].throughPosition;
  // Pending: after the last close's reach, or within it but dated after it (the close left it pending).
  const last = fund.closes[fund.closes.length - 1];
  const leftByLast = (date: string) => last?.admitsThroughDate !== undefined && date > last.admitsThroughDate;
  const pending = commitments.filter(
    (c) => ((c.metadata.position ?? 0) > closedThrough || leftByLast(c.metadata.effectiveDate ?? '')) && !withdrawn(c.metadata.eventId ?? ''),
  ).length;
  return { kind: first.kind, country: first.country, currency: first.currency, onboardedBy: commitments[0].metadata.actor, pending };
}

/**
 * A commitment goes on the LP's own stream and stays pending until a close admits it, so a
 * million retail subscriptions never contend on the fund's stream. The fund state supplies the
 * rules (established, dates, the FX rate in force, the hard cap); the LP's standing, when it has
 * committed before, its fixed terms and who may commit for it.
 */
export function decideCommitment(command: CommitCapital, fund: FundState, lp?: LpStanding): CapitalCommitted[] {
  const { data, metadata } = command;
  const date = checkEffectiveDate(fund, command);
  // Sovereign capital is the governments' own: recorded by the managers (or an admin), not a platform.
  if (data.kind === 'sovereign' && metadata.role === 'operator')
    reject('SOVEREIGN_NEEDS_MANAGER', `A sovereign LP's commitment is recorded by a manager of the fund, not by operator ${metadata.actor}`);
  if (lp) {
    if (metadata.role !== undefined && metadata.role !== 'admin' && lp.onboardedBy !== metadata.actor) {
      reject('LP_OF_ANOTHER_PLATFORM', `LP ${data.lpId} was onboarded by ${lp.onboardedBy}; ${metadata.actor} may not commit for it`);
    }
    if (data.kind !== lp.kind || data.country !== lp.country) {
      reject(
        'LP_TERMS_FIXED',
        `LP ${data.lpId} is ${lp.kind} in ${lp.country} since its first commitment; a commitment cannot make it ${String(data.kind)} in ${String(data.country)}`,
      );
    }
    if (lp.pending >= MAX_PENDING_PER_LP)
      reject(
        'TOO_MANY_PENDING_COMMITMENTS',
        `LP ${data.lpId} already has ${lp.pending} commitments pending (at most ${MAX_PENDING_PER_LP} until a close admits them)`,
      );
  }
  return [commitmentOn(fund, date, data, lp)];
}

/** The commitment event for these terms on a date: validated, and converted at that date's rate. */
function commitmentOn(fund: FundState, date: string, data: CommitCapital['data'], lp?: { currency: 'USD' | 'JPY' }): CapitalCommitted {
  const config = requireEstablished(fund);
  if (typeof data.lpId !== 'string' || !LP_ID.test(data.lpId))
    reject('INVALID_LP', `LP id must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(data.lpId)}`);
  if (!KINDS.includes(data.kind)) reject('INVALID_LP', `LP kind must be ${KINDS.join(', ')}, got ${JSON.stringify(data.kind)}`);
  if (typeof data.country !== 'string' || !COUNTRY.test(data.country))
    reject('INVALID_LP', `Country must be an ISO 3166 alpha-2 code such as US or JP, got ${JSON.stringify(data.country)}`);
  const amount = Money.parsePositive(data.amount, data.currency, 'A commitment');
  if (lp && lp.currency !== amount.currency)
    reject('UNSUPPORTED_CURRENCY', `LP ${data.lpId} commits in ${lp.currency}; a commitment in ${amount.currency} would leave its account in two currencies`);
  let fxRate: string | undefined;
  let amountUsd = amount;
  if (amount.currency !== 'USD') {
    fxRate = fxRateOn(fund, date) ?? reject('FX_RATE_MISSING', `No USD/JPY rate is recorded on or before ${date} to convert ${amount.format()}`);
    amountUsd = amount.convert('USD', fxRate);
  }
  const hardCap = Money.parse(config.hardCap, 'USD');
  if (amountUsd.gt(hardCap)) reject('INVALID_AMOUNT', `A commitment of ${amountUsd.format()} is above the fund's hard cap ${hardCap.format()}`);
  const event: CapitalCommitted = {
    type: 'CapitalCommitted',
    data: {
      fundId: config.fundId,
      lpId: data.lpId,
      kind: data.kind,
      country: data.country,
      amount: amount.toString(),
      currency: amount.currency,
      amountUsd: amountUsd.toString(),
    },
  };
  if (fxRate !== undefined) event.data.fxRate = fxRate;
  return event;
}

/**
 * Reverses a commitment still pending (or replaces it with corrected terms, converted at the rate
 * of its original date). The reversal is recorded on the fund's stream, guarded by its revision
 * like a close: a close and the reversal of a commitment it admits can never both be recorded.
 * An admitted commitment is not reversible: the close that admitted it shared its total among the
 * commitments it saw.
 */
export function decideCommitmentReversal(command: ReverseEvent, fund: FundState, investors: InvestorLedger): (EventReversed & { effectiveDate: string })[] {
  const { data, metadata } = command;
  requireEstablished(fund);
  requireManager(fund, metadata.actor);
  if (investors.isReversed(data.eventId)) reject('EVENT_ALREADY_REVERSED', `Event ${data.eventId} was already reversed`);
  const target =
    investors.pendingCommitment(data.eventId) ?? reject('UNKNOWN_EVENT', `There is no fund event or pending commitment ${JSON.stringify(data.eventId)}`);
  const reversal: EventReversed['data'] = { eventId: data.eventId, reversedType: 'CapitalCommitted', reason: data.reason ?? '' };
  if (data.replacement) {
    if (data.replacement.type !== 'CapitalCommitted')
      reject('EVENT_NOT_REVERSIBLE', `A CapitalCommitted can only be replaced by another CapitalCommitted, not a ${data.replacement.type}`);
    const terms = data.replacement.data as Partial<CommitCapital['data']>;
    if (terms.lpId !== undefined && terms.lpId !== target.lpId) reject('INVALID_LP', `A replacement stays with LP ${target.lpId}, not ${terms.lpId}`);
    // The LP's terms are fixed by its first commitment, for a correction as for a new commitment.
    const lp = investors.lp(target.lpId);
    if (lp && (terms.kind !== lp.kind || terms.country !== lp.country)) {
      reject(
        'LP_TERMS_FIXED',
        `LP ${target.lpId} is ${lp.kind} in ${lp.country}; a replacement cannot make it ${String(terms.kind)} in ${String(terms.country)}`,
      );
    }
    reversal.replacement = commitmentOn(fund, target.effectiveDate, { ...(terms as CommitCapital['data']), lpId: target.lpId }, target);
  }
  return [{ type: 'EventReversed', data: reversal, effectiveDate: target.effectiveDate }];
}
