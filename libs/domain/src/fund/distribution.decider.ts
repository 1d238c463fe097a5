import { formatCents, parseCents } from '../cents';
import type { InvestorLedger } from '../investors/investor-ledger';
import { carryExemptPart, feeRule } from '../waterfall/fee-exemption';
import { isIsoDate } from '../dates';
import { distribute, splitRecord } from '../waterfall/waterfall';
import { exemptShare } from '../waterfall/carry-exemption';
import { attribute, returnableCapital } from '../waterfall/deal-by-deal';
import { Money } from '../money';
import { reject } from '../rejections';
import type { ChargeManagementFee, DeclareDistribution, RecordExpense } from './distribution.commands';
import type { DistributionEvent, ManagementFeeCharged } from './distribution.events';
import { checkEffectiveDate, requireManager } from './fund.rules';
import { enforce, withinCash } from './limits';
import type { FundState } from './fund.state';

/**
 * A management fee: paid out of the fund's cash, or, once the terms exempt an admitted LP from
 * fees, called from the fee-bearing LPs by admitted commitment as it is paid (fee-exemption.ts).
 */
export function chargeFee(command: ChargeManagementFee, state: FundState, investors: InvestorLedger): ManagementFeeCharged {
  const date = checkEffectiveDate(state, command);
  requireManager(state, command.metadata.actor);
  const amount = Money.parsePositive(command.data.amount, 'USD', 'A management fee');
  const data = { amount: amount.toString(), period: command.data.period ?? '' };
  const exempt = state.feeExempt;
  if (exempt === undefined || exempt.cents === 0n) {
    feeWithinCash(state, date, amount);
    return { type: 'ManagementFeeCharged', data };
  }
  const fee = parseCents(amount.toString());
  const bearing = parseCents(state.admittedUsd.toString()) - exempt.cents;
  if (bearing === 0n) reject('NO_FEE_BEARING_LP', 'Every LP admitted is exempt from management fees: there is no one to charge the fee to');
  if (fee > bearing)
    reject('INVALID_AMOUNT', `A management fee of ${amount.format()} is above the fee-bearing LPs' admitted commitments (${formatCents(bearing)} USD)`);
  const { split } = investors.callSplit({ numerator: fee, denominator: bearing }, exempt.admitted);
  const carryExemptUsd = carryExemptPart(feeRule(fee, bearing, split), state.carryExempt?.admitted ?? new Map(), exempt.admitted);
  return {
    type: 'ManagementFeeCharged',
    data: { ...data, calledFrom: { bearingUsd: formatCents(bearing), split, ...(carryExemptUsd === undefined ? {} : { carryExemptUsd }) } },
  };
}

/** A fee paid out of the fund's cash must fit in the cash available (INSUFFICIENT_CASH): the decider's rule, and a correction's re-check. */
export function feeWithinCash(state: FundState, date: string, amount: Money): void {
  enforce(withinCash(state, date, amount, 'A management fee'));
}

/** An American waterfall's capital returnable in the fund's state now (deal-by-deal.ts): the decider's, and the waterfall report's. */
export function capitalReturnableOf(state: Pick<FundState, 'waterfall' | 'projects' | 'carryExempt' | 'admittedUsd'>): bigint {
  return returnableCapital(
    state.waterfall?.contributed ?? 0n,
    [...state.projects.values()].map((p) => ({ cost: parseCents(p.cost.toString()), fairValue: parseCents(p.fairValue.toString()) })),
    { cents: state.carryExempt?.cents ?? 0n, admittedCents: parseCents(state.admittedUsd.toString()) },
  );
}

/** A distribution or an expense (a fee is `chargeFee`'s: it reads the investor ledger). */
export function decideDistribution(command: DeclareDistribution | RecordExpense, state: FundState): DistributionEvent[] {
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
      const admittedCents = parseCents(state.admittedUsd.toString());
      const exempt = state.carryExempt ? exemptShare(cents, state.carryExempt.cents, admittedCents) : undefined;
      // Deal by deal: the capital of the deals still held is not returned yet; the proceeds the distribution pays out name its deals.
      const dealByDeal =
        terms?.style === 'american' && state.waterfall && state.deals
          ? { returnable: capitalReturnableOf(state), deals: attribute(state.deals, cents) }
          : undefined;
      const waterfall =
        terms && state.waterfall
          ? splitRecord(terms, distribute(terms, state.waterfall, cents - (exempt ?? 0n), date, dealByDeal?.returnable).split, state.stakes, exempt, dealByDeal)
          : undefined;
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
    case 'RecordExpense': {
      const amount = Money.parsePositive(command.data.amount, 'USD', 'An expense');
      enforce(withinCash(state, date, amount, 'An expense'));
      return [{ type: 'ExpenseRecorded', data: { amount: amount.toString(), description: command.data.description ?? '' } }];
    }
  }
}
