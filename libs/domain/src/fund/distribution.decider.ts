import { parseCents } from '../cents';
import { isIsoDate } from '../dates';
import { distribute, splitRecord } from '../waterfall/waterfall';
import { exemptShare } from '../waterfall/carry-exemption';
import { Money } from '../money';
import { reject } from '../rejections';
import type { DistributionCommand } from './distribution.commands';
import type { DistributionEvent } from './distribution.events';
import { checkEffectiveDate, requireManager } from './fund.rules';
import { enforce, withinCash } from './limits';
import type { FundState } from './fund.state';

export function decideDistribution(command: DistributionCommand, state: FundState): DistributionEvent[] {
  const date = checkEffectiveDate(state, command);
  requireManager(state, command.metadata.actor);
  switch (command.type) {
    case 'DeclareDistribution': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'A distribution');
      const paymentDate = command.data.paymentDate ?? date;
      if (!isIsoDate(paymentDate) || paymentDate < date) reject('INVALID_DATE', `Payment date ${paymentDate} must be a date on or after ${date}`);
      const cash = withinCash(state, date, amount, 'A distribution', 'DISTRIBUTION_EXCEEDS_CASH');
      enforce(cash);
      const terms = state.config?.waterfall;
      const cents = parseCents(amount.toString());
      // The carry-exempt LPs' share goes to them whole; the rest through the tiers.
      const exempt = state.carryExempt ? exemptShare(cents, state.carryExempt.cents, parseCents(state.admittedUsd.toString())) : undefined;
      const waterfall =
        terms && state.waterfall ? splitRecord(terms, distribute(terms, state.waterfall, cents - (exempt ?? 0n), date).split, state.stakes, exempt) : undefined;
      return [
        {
          type: 'DistributionDeclared',
          data: {
            distributionNumber: state.distributions.length + state.numbersRetired.distributions + 1,
            amount: amount.toString(),
            paymentDate,
            cashAvailable: cash.figures.cashAvailable,
            ...(waterfall ? { waterfall } : {}),
          },
        },
      ];
    }
    case 'ChargeManagementFee': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'A management fee');
      enforce(withinCash(state, date, amount, 'A management fee'));
      return [{ type: 'ManagementFeeCharged', data: { amount: amount.toString(), period: command.data.period ?? '' } }];
    }
    case 'RecordExpense': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'An expense');
      enforce(withinCash(state, date, amount, 'An expense'));
      return [{ type: 'ExpenseRecorded', data: { amount: amount.toString(), description: command.data.description ?? '' } }];
    }
  }
}
