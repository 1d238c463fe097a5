import type { DomainEvent } from '../command';
import { Dec, Money } from '../money';
import type { FundEstablished, FundEvent } from './fund.events';

export interface CallRecord {
  callNumber: number;
  date: string;
  dueDate: string;
  percentage: Dec;
  totalUsd: Money;
}

export interface CloseRecord {
  closeNumber: number;
  date: string;
  throughPosition: number;
  admittedUsd: Money;
}

/** What the fund's rules need to know, folded from the fund stream. */
export interface FundState {
  config?: FundEstablished['data'];
  managers: ReadonlySet<string>;
  latestEffectiveDate?: string;
  /** USD/JPY by effective date, ascending. */
  fxRates: { date: string; rate: string }[];
  closes: CloseRecord[];
  admittedUsd: Money;
  calls: CallRecord[];
  calledFraction: Dec;
  defaults: ReadonlySet<string>;
}

export const initialFundState = (): FundState => ({
  managers: new Set(),
  fxRates: [],
  closes: [],
  admittedUsd: Money.zero('USD'),
  calls: [],
  calledFraction: new Dec(0),
  defaults: new Set(),
});

export const defaultKey = (callNumber: number, lpId: string): string => `${callNumber}:${lpId}`;

export type RecordedFundEvent = FundEvent & { metadata: DomainEvent['metadata'] };

export function evolveFund(state: FundState, event: RecordedFundEvent): FundState {
  const date = event.metadata.effectiveDate;
  const next: FundState = { ...state, latestEffectiveDate: state.latestEffectiveDate && state.latestEffectiveDate > date ? state.latestEffectiveDate : date };
  switch (event.type) {
    case 'FundEstablished':
      return { ...next, config: event.data, managers: new Set(event.data.managers) };
    case 'MilestoneRecorded':
      return next;
    case 'FxRateRecorded':
      return { ...next, fxRates: [...state.fxRates, { date, rate: event.data.rate }] };
    case 'CloseHeld': {
      const admitted = Money.parse(event.data.admittedUsd, 'USD');
      const close = { closeNumber: event.data.closeNumber, date, throughPosition: event.data.throughPosition, admittedUsd: admitted };
      return { ...next, closes: [...state.closes, close], admittedUsd: state.admittedUsd.plus(admitted) };
    }
    case 'CapitalCalled': {
      const percentage = new Dec(event.data.percentage);
      const call = { callNumber: event.data.callNumber, date, dueDate: event.data.dueDate, percentage, totalUsd: Money.parse(event.data.totalUsd, 'USD') };
      return { ...next, calls: [...state.calls, call], calledFraction: state.calledFraction.plus(percentage) };
    }
    case 'ContributionDefaulted':
      return { ...next, defaults: new Set([...state.defaults, defaultKey(event.data.callNumber, event.data.lpId)]) };
    default:
      return next;
  }
}

/** The USD/JPY rate in force on a date: the latest one recorded on or before it. */
export function fxRateOn(state: FundState, date: string): string | undefined {
  let rate: string | undefined;
  for (const r of state.fxRates) {
    if (r.date > date) break;
    rate = r.rate;
  }
  return rate;
}
