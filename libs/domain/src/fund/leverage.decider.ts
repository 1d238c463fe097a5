import { isIsoDate } from '../dates';
import { Money } from '../money';
import { reject } from '../rejections';
import { MAX_ANNUAL_RATE } from '../bounds';
import { checkEffectiveDate, parseRate, requireManager } from './fund.rules';
import { beforeMaturity, enforce, facilityLimit, withinCash, withinLeverageCap } from './limits';
import { accrueInterest, type FacilityState, type FundState } from './fund.state';
import type { AmendCreditFacility, DrawLeverage, LeverageCommand, OpenCreditFacility, PayInterest, RepayLeverage } from './leverage.commands';
import type { CreditFacilityAmended, CreditFacilityOpened, InterestPaid, LeverageDrawn, LeverageEvent, LeverageRepaid } from './leverage.events';

export function decideLeverage(command: LeverageCommand, state: FundState): LeverageEvent[] {
  switch (command.type) {
    case 'OpenCreditFacility':
      return [open(command, state)];
    case 'AmendCreditFacility':
      return [amend(command, state)];
    case 'DrawLeverage':
      return [draw(command, state)];
    case 'PayInterest':
      return [payInterest(command, state)];
    case 'RepayLeverage':
      return [repay(command, state)];
  }
}

function facility(state: FundState, facilityId: string): FacilityState {
  return state.facilities.get(facilityId) ?? reject('UNKNOWN_FACILITY', `There is no credit facility ${JSON.stringify(facilityId)}`);
}

function open(command: OpenCreditFacility, state: FundState): CreditFacilityOpened {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  if (state.facilities.has(data.facilityId)) reject('FACILITY_EXISTS', `Credit facility ${data.facilityId} is already open`);
  const limit = Money.parsePositive(data.limit, 'USD', 'A facility limit');
  parseRate(data.annualRate, 'Annual rate', 'INVALID_RATE', MAX_ANNUAL_RATE);
  if (data.dayCount !== 'ACT/365' && data.dayCount !== 'ACT/360')
    reject('INVALID_RATE', `Day count must be ACT/365 or ACT/360, got ${JSON.stringify(data.dayCount)}`);
  if (!isIsoDate(data.maturityDate) || data.maturityDate <= date) reject('INVALID_DATE', `Maturity ${data.maturityDate} must be a date after ${date}`);
  return { type: 'CreditFacilityOpened', data: { ...data, limit: limit.toString() } };
}

function amend(command: AmendCreditFacility, state: FundState): CreditFacilityAmended {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = facility(state, data.facilityId);
  if (!(date < f.maturityDate))
    reject('FACILITY_MATURED', `Credit facility ${f.facilityId} matured on ${f.maturityDate}: open a new one instead of amending it on ${date}`);
  const limit = Money.parsePositive(data.limit, 'USD', 'A facility limit');
  if (f.principal.gt(limit))
    reject(
      'FACILITY_LIMIT_EXCEEDED',
      `A limit of ${limit.format()} on ${f.facilityId} is below its principal outstanding of ${f.principal.format()}: repay first`,
    );
  if (!isIsoDate(data.maturityDate) || data.maturityDate <= date) reject('INVALID_DATE', `Maturity ${data.maturityDate} must be a date after ${date}`);
  return {
    type: 'CreditFacilityAmended',
    data: {
      facilityId: f.facilityId,
      limit: limit.toString(),
      maturityDate: data.maturityDate,
      limitBefore: f.limit.toString(),
      maturityDateBefore: f.maturityDate,
      principal: f.principal.toString(),
    },
  };
}

function draw(command: DrawLeverage, state: FundState): LeverageDrawn {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = facility(state, data.facilityId);
  enforce(beforeMaturity(f, date));
  const amount = Money.parsePositive(data.amount, 'USD', 'A draw');
  const withinLimit = facilityLimit(f, amount);
  enforce(withinLimit);
  const withinCap = withinLeverageCap(state, date, amount);
  enforce(withinCap);
  return {
    type: 'LeverageDrawn',
    data: {
      facilityId: f.facilityId,
      amount: amount.toString(),
      principalAfter: withinLimit.figures.principalAfter,
      totalDebtAfter: withinCap.figures.debtAfter,
      leverageCap: withinCap.figures.cap,
    },
  };
}

function payInterest(command: PayInterest, state: FundState): InterestPaid {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = accrueInterest(facility(state, data.facilityId), date);
  const amount = Money.of(f.accrued, 'USD');
  if (!amount.isPositive()) reject('NO_INTEREST_DUE', `No interest is due on ${f.facilityId} through ${date}`);
  enforce(withinCash(state, date, amount, 'Interest'));
  return { type: 'InterestPaid', data: { facilityId: f.facilityId, amount: amount.toString(), throughDate: date } };
}

function repay(command: RepayLeverage, state: FundState): LeverageRepaid {
  const { data, metadata } = command;
  const date = checkEffectiveDate(state, command);
  requireManager(state, metadata.actor);
  const f = facility(state, data.facilityId);
  const amount = Money.parsePositive(data.amount, 'USD', 'A repayment');
  if (amount.gt(f.principal))
    reject('REPAYMENT_EXCEEDS_DEBT', `Repaying ${amount.format()} on ${f.facilityId} exceeds its principal of ${f.principal.format()}`);
  enforce(withinCash(state, date, amount, 'A repayment'));
  return { type: 'LeverageRepaid', data: { facilityId: f.facilityId, amount: amount.toString(), principalAfter: f.principal.minus(amount).toString() } };
}
