import type { FeeCallData } from '../waterfall/fee-exemption';
import type { WaterfallSplit } from '../waterfall/waterfall';
/**
 * Money leaving the fund to its LPs and its managers. A declared distribution is payable until its
 * payment date, when it leaves cash; fees and expenses leave cash on their effective date.
 */
export type DistributionDeclared = {
  type: 'DistributionDeclared';
  data: {
    distributionNumber: number;
    amount: string;
    paymentDate: string;
    cashAvailable: string;
    /** In a fund with a waterfall: each tier, what the LPs and the managers receive, and each manager's part. */
    waterfall?: WaterfallSplit;
  };
};

export type ManagementFeeCharged = {
  type: 'ManagementFeeCharged';
  data: {
    amount: string;
    period: string;
    /** In a fund with fee-exempt LPs admitted: the fee was called from the fee-bearing LPs, not paid from the fund's cash (fee-exemption.ts). */
    calledFrom?: FeeCallData;
  };
};

export type ExpenseRecorded = {
  type: 'ExpenseRecorded';
  data: { amount: string; description: string };
};

export type DistributionEvent = DistributionDeclared | ManagementFeeCharged | ExpenseRecorded;
