import type { Command } from '../command';
import type { CallPurposes } from './call-purposes';
import type { FundEstablished } from './fund.events';
import type { DistributionCommand } from './distribution.commands';
import type { LeverageCommand } from './leverage.commands';
import type { ProjectCommand } from './project.commands';
import type { TransferInterest } from '../investors/transfer.events';

export type EstablishFund = Command<'EstablishFund', Omit<FundEstablished['data'], 'inceptionDate' | 'baseCurrency' | 'awaitingAcceptance'>>;
export type AcceptManagement = Command<'AcceptManagement', Record<string, never>>;
export type RecordMilestone = Command<'RecordMilestone', { milestone: string; note?: string }>;
export type RecordFxRate = Command<'RecordFxRate', { pair: 'USD/JPY'; rate: string }>;
export type HoldClose = Command<'HoldClose', Record<string, never>>;
export type CallCapital = Command<'CallCapital', { percentage: string; dueDate?: string; purposes?: CallPurposes }>;
export type RecordContributionDefault = Command<'RecordContributionDefault', { callNumber: number; lpId: string }>;

export type FundCommand =
  | EstablishFund
  | AcceptManagement
  | RecordMilestone
  | RecordFxRate
  | HoldClose
  | CallCapital
  | RecordContributionDefault
  | TransferInterest
  | LeverageCommand
  | ProjectCommand
  | DistributionCommand;
export type FundCommandType = FundCommand['type'];
