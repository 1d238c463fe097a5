import { checkEffectiveDate, requireEstablished } from '../fund/fund.rules';
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
  const { data, metadata } = command;
  const config = requireEstablished(fund);
  const date = checkEffectiveDate(fund, metadata);
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
  return [event];
}
