import type { Command } from '../command';
import type { CreditFacilityOpened } from './leverage.events';

export type OpenCreditFacility = Command<'OpenCreditFacility', CreditFacilityOpened['data']>;
export type DrawLeverage = Command<'DrawLeverage', { facilityId: string; amount: string }>;
export type PayInterest = Command<'PayInterest', { facilityId: string }>;
export type RepayLeverage = Command<'RepayLeverage', { facilityId: string; amount: string }>;

export type LeverageCommand = OpenCreditFacility | DrawLeverage | PayInterest | RepayLeverage;
