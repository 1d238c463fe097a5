import type { Command } from '../command';
import type { CreditFacilityOpened } from './leverage.events';

export type OpenCreditFacility = Command<'OpenCreditFacility', CreditFacilityOpened['data']>;
export type DrawLeverage = Command<'DrawLeverage', { facilityId: string; amount: string }>;
export type PayInterest = Command<'PayInterest', { facilityId: string }>;
export type RepayLeverage = Command<'RepayLeverage', { facilityId: string; amount: string }>;

/** The facility as amended: its limit and maturity from the effective date (an extension, an upsizing). */
export type AmendCreditFacility = Command<'AmendCreditFacility', { facilityId: string; limit: string; maturityDate: string }>;

export type LeverageCommand = OpenCreditFacility | AmendCreditFacility | DrawLeverage | PayInterest | RepayLeverage;
