import { isIsoDate } from '../dates';
import { Money } from '../money';
import { reject } from '../rejections';
import { MAX_ANNUAL_RATE } from '../bounds';
import { checkEffectiveDate, parseRate, requireEstablished, requireManager } from './fund.rules';
import { availableCash, netAssets, totalDebt } from './fund.queries';
import { accrueInterest, type FacilityState, type FundState } from './fund.state';
import type { DrawLeverage, LeverageCommand, OpenCreditFacility, PayInterest, RepayLeverage } from './leverage.commands';
import type { CreditFacilityOpened, InterestPaid, LeverageDrawn, LeverageEvent, LeverageRepaid } from './leverage.events';

export function decideLeverage(command: LeverageCommand, state: FundState): LeverageEvent[] {
  switch (command.type) {
    case 'OpenCreditFacility':
      return [open(command, state)];
    case 'DrawLeverage':
      return [draw(command, state)];
    case 'PayInterest':
      return [payInterest(command, state)];
    case 'RepayLeverage':
      return [repay(command, state)];
  }
}

/**
 * The leverage rule: debt <= maxRatio x basis, the basis being admitted commitments or net assets
 * before the draw. One rule for the deciders (in Money) and the fund model (in floats), which
 * pass their own figures and multiply.
 */
export function leverageBasis<T>(policy: { basis: 'commitments' | 'net-assets' }, figures: { admitted: T; netAssets: T }): T {
  return policy.basis === 'net-assets' ? figures.netAssets : figures.admitted;
}

export function leverageCap(state: FundState, date: string): Money {
  const policy = requireEstablished(state).leveragePolicy;
  return leverageBasis(policy, { admitted: state.admittedUsd, netAssets: netAssets(state, date) }).times(policy.maxRatio);
}

function facility(state: FundState, facilityId: string): FacilityState {
  return state.facilities.get(facilityId) ?? reject('UNKNOWN_FACILITY', `There is no credit facility ${JSON.stringify(facilityId)}`);
}

function requireCash(state: FundState, date: string, amount: Money, what: string): void {
  const cash = availableCash(state, date);
  if (amount.gt(cash)) reject('INSUFFICIENT_CASH', `${what} of ${amount.format()} exceeds the cash on hand of ${cash.format()} on ${date}`);
}

function open(command: OpenCreditFacility, state: FundState): CreditFacilityOpened {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  if (state.facilities.has(data.facilityId)) reject('FACILITY_EXISTS', `Credit facility ${data.facilityId} is already open`);
  const limit = Money.parsePositive(data.limit, 'USD', 'A facility limit');
  parseRate(data.annualRate, 'Annual rate', 'INVALID_RATE', MAX_ANNUAL_RATE);
  if (data.dayCount !== 'ACT/365' && data.dayCount !== 'ACT/360') reject('INVALID_RATE', `Day count must be ACT/365 or ACT/360, got ${JSON.stringify(data.dayCount)}`);
  if (!isIsoDate(data.maturityDate) || data.maturityDate <= date) reject('INVALID_DATE', `Maturity ${data.maturityDate} must be a date after ${date}`);
  return { type: 'CreditFacilityOpened', data: { ...data, limit: limit.toString() } };
}

function draw(command: DrawLeverage, state: FundState): LeverageDrawn {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = facility(state, data.facilityId);
  if (date >= f.maturityDate) reject('FACILITY_MATURED', `Credit facility ${f.facilityId} matured on ${f.maturityDate}`);
  const amount = Money.parsePositive(data.amount, 'USD', 'A draw');
  const principalAfter = f.principal.plus(amount);
  if (principalAfter.gt(f.limit)) {
    reject('FACILITY_LIMIT_EXCEEDED', `Drawing ${amount.format()} on ${f.facilityId} would bring it to ${principalAfter.format()}, over its limit of ${f.limit.format()}`);
  }
  const debtAfter = totalDebt(state).plus(amount);
  const cap = leverageCap(state, date);
  if (debtAfter.gt(cap)) reject('LEVERAGE_CAP_EXCEEDED', `Debt would be ${debtAfter.format()}, over the leverage cap of ${cap.format()}`);
  return {
    type: 'LeverageDrawn',
    data: { facilityId: f.facilityId, amount: amount.toString(), principalAfter: principalAfter.toString(), totalDebtAfter: debtAfter.toString(), leverageCap: cap.toString() },
  };
}

function payInterest(command: PayInterest, state: FundState): InterestPaid {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = accrueInterest(facility(state, data.facilityId), date);
  const amount = Money.of(f.accrued, 'USD');
  if (!amount.isPositive()) reject('NO_INTEREST_DUE', `No interest is due on ${f.facilityId} through ${date}`);
  requireCash(state, date, amount, 'Interest');
  return { type: 'InterestPaid', data: { facilityId: f.facilityId, amount: amount.toString(), throughDate: date } };
}

function repay(command: RepayLeverage, state: FundState): LeverageRepaid {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = facility(state, data.facilityId);
  const amount = Money.parsePositive(data.amount, 'USD', 'A repayment');
  if (amount.gt(f.principal)) reject('REPAYMENT_EXCEEDS_DEBT', `Repaying ${amount.format()} on ${f.facilityId} exceeds its principal of ${f.principal.format()}`);
  requireCash(state, date, amount, 'A repayment');
  return { type: 'LeverageRepaid', data: { facilityId: f.facilityId, amount: amount.toString(), principalAfter: f.principal.minus(amount).toString() } };
}
