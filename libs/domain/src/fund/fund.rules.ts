import { MAX_YEARS_AHEAD } from '../bounds';
import type { CommandMetadata } from '../command';
import { assertIsoDate } from '../dates';
import { Dec } from '../money';
import { reject } from '../rejections';
import type { FundEstablished } from './fund.events';
import { FACT_COMMANDS, type FundState } from './fund.state';

/** The checks most commands share: the fund exists (and every manager it names has accepted), and the date may be booked now. */
export function requireEstablished(state: FundState): FundEstablished['data'] {
  const config = state.config ?? reject('FUND_NOT_ESTABLISHED', 'The fund has not been established yet');
  if (state.awaitingAcceptance.size > 0)
    reject(
      'FUND_AWAITING_ACCEPTANCE',
      `Fund ${config.fundId} takes no command until ${[...state.awaitingAcceptance].join(', ')} accept${state.awaitingAcceptance.size === 1 ? 's' : ''} to manage it`,
    );
  return config;
}

/** The first day of the quarter holding `date`. */
function quarterStart(date: string): string {
  const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
}

/** The last day of the quarter after the one holding `date`. */
function nextQuarterEnd(date: string): string {
  const year = Number(date.slice(0, 4));
  const quarter = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  const [y, q] = quarter === 4 ? [year + 1, 1] : [year, quarter + 1];
  return `${String(y).padStart(4, '0')}-${['03-31', '06-30', '09-30', '12-31'][q - 1]}`;
}

/**
 * The open period, where facts are dated: from the first day of the quarter of the fund's latest
 * decision (earlier quarters are closed) to the last day of the quarter after the one of the
 * managers' latest decision. Only the managers move it, by deciding in a later period, so no
 * operator can push the fund's dates ahead of them (the freeze of issue 24: an FX rate dated 2241).
 */
export function openPeriod(state: FundState): { start: string; end: string } {
  const inception = state.config?.inceptionDate ?? reject('FUND_NOT_ESTABLISHED', 'The fund has not been established yet');
  return { start: quarterStart(state.latestDecisionDate ?? inception), end: nextQuarterEnd(state.managersDate ?? inception) };
}

/**
 * The dates a command may take. A decision (a close, a call, a funding, a fee...) is never dated
 * before the fund's latest decision: decisions only move forward. A fact (an FX rate, a valuation,
 * proceeds, a commitment; FACT_COMMANDS) is dated within the open period, before or after other events: the
 * books count every event at its own date, so nobody's command is refused because another
 * principal dated something later. A manager key acts only in a fund that names it.
 */
export function checkEffectiveDate(state: FundState, { type, metadata }: { type: string; metadata: CommandMetadata }): string {
  const date = assertIsoDate(metadata.effectiveDate, 'effectiveDate');
  const config = requireEstablished(state);
  if (metadata.role === 'manager') requireManager(state, metadata.actor);
  if (date < config.inceptionDate)
    reject('EFFECTIVE_DATE_BEFORE_INCEPTION', `Effective date ${date} is before the fund's inception on ${config.inceptionDate}`);
  if (!FACT_COMMANDS.has(type)) {
    if (state.latestDecisionDate && date < state.latestDecisionDate) {
      reject(
        'EFFECTIVE_DATE_BEFORE_LATEST',
        `Effective date ${date} is before the fund's latest decision, dated ${state.latestDecisionDate}; only a reversal may reach back`,
      );
    }
  } else {
    const open = openPeriod(state);
    if (date < open.start)
      reject(
        'EFFECTIVE_DATE_BEFORE_OPEN_PERIOD',
        `Effective date ${date} is before the fund's open period, which starts ${open.start}: earlier quarters are closed; correct them with a reversal`,
      );
    // The managers may date their own facts ahead (a valuation they make); anyone else, not past the period.
    if (date > open.end && !state.managers.has(metadata.actor)) {
      reject(
        'EFFECTIVE_DATE_AFTER_OPEN_PERIOD',
        `Effective date ${date} is after the fund's open period, which ends ${open.end}; the managers (${[...state.managers].join(', ')}) open later periods by deciding in them`,
      );
    }
  }
  const from = state.latestEffectiveDate ?? config.inceptionDate;
  const limit = `${String(Number(from.slice(0, 4)) + MAX_YEARS_AHEAD).padStart(4, '0')}${from.slice(4)}`;
  if (date > limit)
    reject('EFFECTIVE_DATE_TOO_FAR', `Effective date ${date} is more than ${MAX_YEARS_AHEAD} years after the fund's latest effective date ${from}`);
  return date;
}

export function requireManager(state: FundState, actor: string): void {
  if (!state.managers.has(actor)) reject('ACTOR_NOT_MANAGER', `${actor} is not a manager of this fund (managers: ${[...state.managers].join(', ')})`);
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

type RateCode = 'INVALID_RATE' | 'INVALID_PERCENTAGE' | 'INVALID_FUND_TERMS';

/** A non-negative decimal string: rates, ratios and fractions, at most `max` when one is given. */
export function parseRate(text: unknown, field: string, code: RateCode = 'INVALID_RATE', max?: string): Dec {
  if (typeof text !== 'string' || !DECIMAL.test(text) || text.length > 40)
    return reject(code, `${field} must be a non-negative decimal string such as "0.05", got ${JSON.stringify(text)}`);
  const rate = new Dec(text);
  if (max !== undefined && rate.gt(max)) reject(code, `${field} must be at most ${max}, got ${text}`);
  return rate;
}
