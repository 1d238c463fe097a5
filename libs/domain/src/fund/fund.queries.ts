import { Money } from '../money';
import { accrueInterest, type FundState } from './fund.state';

/* Figures of the fund on a date, from its folded state: what the rules check against. */

/**
 * Cash on a date: booked cash, plus the contributions of calls due by then (less defaults), less
 * the distributions paid by then.
 */
export function cashOn(state: FundState, date: string): Money {
  let cash = state.bookedCash;
  for (const call of state.calls) {
    if (call.dueDate <= date) cash = cash.plus(call.totalUsd).minus(state.defaultedUsd.get(call.callNumber) ?? Money.zero('USD'));
  }
  for (const d of state.distributions) if (d.paymentDate <= date) cash = cash.minus(d.amount);
  return cash;
}

/** Distributions declared and not yet paid on a date: a liability. */
export function distributionsPayable(state: FundState, date: string): Money {
  let payable = Money.zero('USD');
  for (const d of state.distributions) if (d.paymentDate > date) payable = payable.plus(d.amount);
  return payable;
}

export function totalDebt(state: FundState): Money {
  let debt = Money.zero('USD');
  for (const f of state.facilities.values()) debt = debt.plus(f.principal);
  return debt;
}

/** Cash not promised to LPs: what a funding, a fee, an expense or a repayment may spend. */
export function availableCash(state: FundState, date: string): Money {
  return cashOn(state, date).minus(distributionsPayable(state, date));
}

/** Called and not yet due, plus what defaulted LPs still owe. */
export function contributionsReceivable(state: FundState, date: string): Money {
  let receivable = Money.zero('USD');
  for (const call of state.calls) {
    if (call.date > date) continue;
    receivable = call.dueDate > date ? receivable.plus(call.totalUsd) : receivable.plus(state.defaultedUsd.get(call.callNumber) ?? Money.zero('USD'));
  }
  return receivable;
}

/** Interest accrued and unpaid on every facility up to a date, rounded as booked. */
export function accruedInterest(state: FundState, date: string): Money {
  let accrued = Money.zero('USD');
  for (const f of state.facilities.values()) accrued = accrued.plus(Money.of(accrueInterest(f, date).accrued, 'USD'));
  return accrued;
}

export function investmentsAtFairValue(state: FundState): Money {
  let total = Money.zero('USD');
  for (const p of state.projects.values()) total = total.plus(p.fairValue);
  return total;
}

/** Assets (cash, investments, receivables) less liabilities (debt, accrued interest, payables). */
export function netAssets(state: FundState, date: string): Money {
  return cashOn(state, date)
    .plus(investmentsAtFairValue(state))
    .plus(contributionsReceivable(state, date))
    .minus(totalDebt(state))
    .minus(accruedInterest(state, date))
    .minus(distributionsPayable(state, date));
}
