import { parseCents } from '../cents';
import { isIsoDate } from '../dates';
import { distribute, splitRecord } from '../waterfall/waterfall';
import { Money } from '../money';
import { reject } from '../rejections';
import type { DistributionCommand } from './distribution.commands';
import type { DistributionEvent } from './distribution.events';
import { checkEffectiveDate, requireManager } from './fund.rules';
import { availableCash } from './fund.queries';
import type { FundState } from './fund.state';

export function decideDistribution(command: DistributionCommand, state: FundState): DistributionEvent[] {
  const date = checkEffectiveDate(state, command);
  requireManager(state, command.metadata.actor);
  // Cash already promised to LPs is not available for anything else.
  const available = availableCash(state, date);
  switch (command.type) {
    case 'DeclareDistribution': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'A distribution');
      const paymentDate = command.data.paymentDate ?? date;
      if (!isIsoDate(paymentDate) || paymentDate < date) reject('INVALID_DATE', `Payment date ${paymentDate} must be a date on or after ${date}`);
      if (amount.gt(available)) reject('DISTRIBUTION_EXCEEDS_CASH', `A distribution of ${amount.format()} exceeds the ${available.format()} of cash available on ${date}`);
      const terms = state.config?.waterfall;
      const waterfall = terms && state.waterfall ? splitRecord(terms, distribute(terms, state.waterfall, parseCents(amount.toString()), date).split) : undefined;
      return [{ type: 'DistributionDeclared', data: { distributionNumber: state.distributions.length + state.numbersRetired.distributions + 1, amount: amount.toString(), paymentDate, cashAvailable: available.toString(), ...(waterfall ? { waterfall } : {}) } }];
    }
    case 'ChargeManagementFee': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'A management fee');
      if (amount.gt(available)) reject('INSUFFICIENT_CASH', `A fee of ${amount.format()} exceeds the ${available.format()} of cash available on ${date}`);
      return [{ type: 'ManagementFeeCharged', data: { amount: amount.toString(), period: command.data.period ?? '' } }];
    }
    case 'RecordExpense': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'An expense');
      if (amount.gt(available)) reject('INSUFFICIENT_CASH', `An expense of ${amount.format()} exceeds the ${available.format()} of cash available on ${date}`);
      return [{ type: 'ExpenseRecorded', data: { amount: amount.toString(), description: command.data.description ?? '' } }];
    }
  }
}
