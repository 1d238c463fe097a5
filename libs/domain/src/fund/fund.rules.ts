import { MAX_YEARS_AHEAD } from '../bounds';
import type { CommandMetadata } from '../command';
import { assertIsoDate } from '../dates';
import { Dec } from '../money';
import { reject } from '../rejections';
import type { FundEstablished } from './fund.events';
import type { FundState } from './fund.state';

/** The checks most commands share: the fund exists, and the date may be booked now. */
export function requireEstablished(state: FundState): FundEstablished['data'] {
  return state.config ?? reject('FUND_NOT_ESTABLISHED', 'The fund has not been established yet');
}

/** Ordinary events keep effective dates non-decreasing; only a reversal may reach back. */
export function checkEffectiveDate(state: FundState, metadata: CommandMetadata): string {
  const date = assertIsoDate(metadata.effectiveDate, 'effectiveDate');
  const config = requireEstablished(state);
  if (date < config.inceptionDate) reject('EFFECTIVE_DATE_BEFORE_INCEPTION', `Effective date ${date} is before the fund's inception on ${config.inceptionDate}`);
  if (state.latestEffectiveDate && date < state.latestEffectiveDate) {
    reject('EFFECTIVE_DATE_BEFORE_LATEST', `Effective date ${date} is before the fund's latest effective date ${state.latestEffectiveDate}; only a reversal may reach back`);
  }
  const from = state.latestEffectiveDate ?? config.inceptionDate;
  const limit = `${String(Number(from.slice(0, 4)) + MAX_YEARS_AHEAD).padStart(4, '0')}${from.slice(4)}`;
  if (date > limit) reject('EFFECTIVE_DATE_TOO_FAR', `Effective date ${date} is more than ${MAX_YEARS_AHEAD} years after the fund's latest effective date ${from}`);
  return date;
}

export function requireManager(state: FundState, actor: string): void {
  if (!state.managers.has(actor)) reject('ACTOR_NOT_MANAGER', `${actor} is not a manager of this fund (managers: ${[...state.managers].join(', ')})`);
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

type RateCode = 'INVALID_RATE' | 'INVALID_PERCENTAGE' | 'INVALID_FUND_TERMS';

/** A non-negative decimal string: rates, ratios and fractions, at most `max` when one is given. */
export function parseRate(text: unknown, field: string, code: RateCode = 'INVALID_RATE', max?: string): Dec {
  if (typeof text !== 'string' || !DECIMAL.test(text) || text.length > 40) return reject(code, `${field} must be a non-negative decimal string such as "0.05", got ${JSON.stringify(text)}`);
  const rate = new Dec(text);
  if (max !== undefined && rate.gt(max)) reject(code, `${field} must be at most ${max}, got ${text}`);
  return rate;
}
