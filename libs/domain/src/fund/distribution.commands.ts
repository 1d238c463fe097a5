import type { Command } from '../command';

export type DeclareDistribution = Command<'DeclareDistribution', { amount: string; paymentDate?: string }>;
export type ChargeManagementFee = Command<'ChargeManagementFee', { amount: string; period: string }>;
export type RecordExpense = Command<'RecordExpense', { amount: string; description: string }>;

export type DistributionCommand = DeclareDistribution | ChargeManagementFee | RecordExpense;
