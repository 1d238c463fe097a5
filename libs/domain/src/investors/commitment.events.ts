/** Events of an LP's own stream (`lp-<fundId>-<lpId>`). */
export type LpKind = 'sovereign' | 'retail' | 'institutional';

/** A commitment, pending until a close admits it. JPY amounts carry the rate they were converted at. */
export type CapitalCommitted = {
  type: 'CapitalCommitted';
  data: {
    fundId: string;
    lpId: string;
    kind: LpKind;
    country: string;
    amount: string;
    currency: 'USD' | 'JPY';
    /** USD/JPY used for the base-currency equivalent; absent for USD commitments. */
    fxRate?: string;
    amountUsd: string;
  };
};

export type InvestorEvent = CapitalCommitted;
