import type { ReverseEvent } from '../fund/correction.commands';
import type { EventReversed } from '../fund/correction.events';
import { checkEffectiveDate, requireEstablished, requireManager } from '../fund/fund.rules';
import { fxRateOn, type FundState } from '../fund/fund.state';
import { Money } from '../money';
import { reject } from '../rejections';
import type { CommitCapital } from './commitment.commands';
import type { CapitalCommitted, LpKind } from './commitment.events';

const KINDS: readonly LpKind[] = ['sovereign', 'retail', 'institutional'];
const LP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const COUNTRY = /^[A-Z]{2}$/;

/**
 * A commitment goes on the LP's own stream and stays pending until a close admits it, so a
 * million retail subscriptions never contend on the fund's stream. The fund state supplies the
 * rules (established, dates, the FX rate in force).
 */
export function decideCommitment(command: CommitCapital, fund: FundState): CapitalCommitted[] {
  const date = checkEffectiveDate(fund, command.metadata);
  return [commitmentOn(fund, date, command.data)];
}

/** The commitment event for these terms on a date: validated, and converted at that date's rate. */
function commitmentOn(fund: FundState, date: string, data: CommitCapital['data']): CapitalCommitted {
  const config = requireEstablished(fund);
  if (typeof data.lpId !== 'string' || !LP_ID.test(data.lpId)) reject('INVALID_LP', `LP id must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(data.lpId)}`);
  if (!KINDS.includes(data.kind)) reject('INVALID_LP', `LP kind must be ${KINDS.join(', ')}, got ${JSON.stringify(data.kind)}`);
  if (typeof data.country !== 'string' || !COUNTRY.test(data.country)) reject('INVALID_LP', `Country must be an ISO 3166 alpha-2 code such as US or JP, got ${JSON.stringify(data.country)}`);
  const amount = Money.parsePositive(data.amount, data.currency, 'A commitment');
  let fxRate: string | undefined;
  let amountUsd = amount;
  if (amount.currency !== 'USD') {
    fxRate = fxRateOn(fund, date) ?? reject('FX_RATE_MISSING', `No USD/JPY rate is recorded on or before ${date} to convert ${amount.format()}`);
    amountUsd = amount.convert('USD', fxRate);
  }
  const event: CapitalCommitted = {
    type: 'CapitalCommitted',
    data: { fundId: config.fundId, lpId: data.lpId, kind: data.kind, country: data.country, amount: amount.toString(), currency: amount.currency, amountUsd: amountUsd.toString() },
  };
  if (fxRate !== undefined) event.data.fxRate = fxRate;
  return event;
}

/** An LP's commitment as the reversal rules see it: where it is in the log, and whether reversed. */
export interface LpStreamEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  position: number;
  effectiveDate: string;
}

/**
 * Reverses a commitment still pending (or replaces it with corrected terms, converted at the rate
 * of its original date). An admitted commitment is not reversible: the close that admitted it
 * shared its total among the commitments it saw.
 */
export function decideCommitmentReversal(command: ReverseEvent, lpEvents: readonly LpStreamEvent[], fund: FundState): (EventReversed & { effectiveDate: string })[] {
  const { data, metadata } = command;
  requireEstablished(fund);
  requireManager(fund, metadata.actor);
  const target = lpEvents.find((e) => e.id === data.eventId) ?? reject('UNKNOWN_EVENT', `There is no event ${JSON.stringify(data.eventId)}`);
  if (lpEvents.some((e) => e.type === 'EventReversed' && e.data.eventId === data.eventId)) reject('EVENT_ALREADY_REVERSED', `Event ${data.eventId} was already reversed`);
  if (target.type !== 'CapitalCommitted') reject('EVENT_NOT_REVERSIBLE', `A ${target.type} on an LP stream cannot be reversed`);
  const admittingClose = fund.closes.find((c) => c.throughPosition >= target.position);
  if (admittingClose) reject('EVENT_NOT_REVERSIBLE', `Commitment ${data.eventId} was admitted at close ${admittingClose.closeNumber} on ${admittingClose.date}; only a pending commitment can be reversed`);
  const reversal: EventReversed['data'] = { eventId: data.eventId, reversedType: target.type, reason: data.reason ?? '' };
  if (data.replacement) {
    if (data.replacement.type !== 'CapitalCommitted') reject('EVENT_NOT_REVERSIBLE', `A CapitalCommitted can only be replaced by another CapitalCommitted, not a ${data.replacement.type}`);
    const terms = data.replacement.data as Partial<CommitCapital['data']>;
    if (terms.lpId !== undefined && terms.lpId !== target.data.lpId) reject('INVALID_LP', `A replacement stays with LP ${String(target.data.lpId)}, not ${terms.lpId}`);
    const replacement = commitmentOn(fund, target.effectiveDate, { ...(terms as CommitCapital['data']), lpId: target.data.lpId as string });
    reversal.replacement = replacement;
  }
  return [{ type: 'EventReversed', data: reversal, effectiveDate: target.effectiveDate }];
}
