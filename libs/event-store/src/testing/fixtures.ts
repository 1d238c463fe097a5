import type { NewEvent } from '../event-store.port';

/** A commitment-sized event (~300 bytes stored), as the fund's LP streams hold. */
export const commitmentEvent = (lp: string, amount: string, extra: Partial<NewEvent['metadata']> = {}): NewEvent => ({
  type: 'CapitalCommitted',
  data: { lpId: lp, kind: 'retail', country: 'US', amount, currency: 'USD', amountUsd: amount },
  metadata: { actor: 'platform', effectiveDate: '2026-03-31', correlationId: `corr-${lp}`, ...extra },
});
