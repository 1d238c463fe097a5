/** Leverage: credit facilities the fund draws on, within its facility limits and leverage cap. */
export type DayCount = 'ACT/365' | 'ACT/360';

export type CreditFacilityOpened = {
  type: 'CreditFacilityOpened';
  data: { facilityId: string; lender: string; limit: string; annualRate: string; dayCount: DayCount; maturityDate: string };
};

/** The figures behind the policy checks travel with the event, for the audit trail. */
export type LeverageDrawn = {
  type: 'LeverageDrawn';
  data: { facilityId: string; amount: string; principalAfter: string; totalDebtAfter: string; leverageCap: string };
};

/** Simple interest by the facility's day count, from the last draw, repayment or payment. */
export type InterestPaid = {
  type: 'InterestPaid';
  data: { facilityId: string; amount: string; throughDate: string };
};

export type LeverageRepaid = {
  type: 'LeverageRepaid';
  data: { facilityId: string; amount: string; principalAfter: string };
};

/** A facility's limit and maturity as amended; what they were, and the principal the new limit covers, travel with it. */
export type CreditFacilityAmended = {
  type: 'CreditFacilityAmended';
  data: { facilityId: string; limit: string; maturityDate: string; limitBefore: string; maturityDateBefore: string; principal: string };
};

export type LeverageEvent = CreditFacilityOpened | CreditFacilityAmended | LeverageDrawn | InterestPaid | LeverageRepaid;
