import type { FacilityFlow } from '../ledger/fund-ledger';
import type { Flow } from './metrics';

/*
 * ILPA's "without the facility": the LPs' cash flows as if the fund had called the capital it
 * borrowed instead of borrowing it.
 *
 * - Each draw becomes a call from the LPs on the draw's date.
 * - Each repayment of principal and each payment of interest goes back to the LPs: first by
 *   making smaller the LPs' contributions that paid for it (the calls that repaid the facility,
 *   moved to the draw dates by the rule above), the rest, which the fund paid out of other cash
 *   (proceeds, income), as a distribution on the payment's date. The contributions that paid for
 *   it are the LPs' contributions due on or before the payment and after the facility's previous
 *   repayment or interest payment (its first draw for the first), the latest first; each
 *   contribution is used once.
 * - The residual value gains the debt and the interest accrued at the date: without the
 *   facility the fund owes neither.
 *
 * Over the whole life the LPs' undiscounted result differs from the booked one by exactly the
 * interest (paid and accrued), as with the interest added back; what changes is when they paid
 * in, which is what a subscription line flatters.
 */
export function flowsWithoutFacility(flows: readonly Flow[], facilityFlows: readonly FacilityFlow[]): Flow[] {
  // The LPs' flows; a contribution shrinks as it is found to have repaid the facility.
  const out = flows.map((f) => ({ ...f }));
  const extra: Flow[] = [];
  // Per facility: the first day of the contributions that may have paid for its next payment, and the last day it was paid.
  const facilities = new Map<string, { start: string; lastPaid?: string }>();
  for (const f of facilityFlows) {
    if (f.kind === 'draw') {
      if (!facilities.has(f.facilityId)) facilities.set(f.facilityId, { start: f.date });
      extra.push({ date: f.date, cents: -f.cents });
      continue;
    }
    // Repaid (principal or interest): shrink the contributions that paid for it, latest first.
    const facility = facilities.get(f.facilityId) ?? { start: f.date };
    // Payments on one day share its window; a later one starts the day after.
    if (facility.lastPaid !== undefined && facility.lastPaid < f.date) facility.start = nextDay(facility.lastPaid);
    facility.lastPaid = f.date;
    facilities.set(f.facilityId, facility);
    const start = facility.start;
    let left = f.cents;
    for (let i = out.length - 1; i >= 0 && left > 0n; i--) {
      const c = out[i];
      if (c.date > f.date || c.cents >= 0n) continue;
      if (c.date < start) break;
      const used = -c.cents < left ? -c.cents : left;
      c.cents += used;
      left -= used;
    }
    if (left > 0n) extra.push({ date: f.date, cents: left });
  }
  return [...out.filter((f) => f.cents !== 0n), ...extra].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
