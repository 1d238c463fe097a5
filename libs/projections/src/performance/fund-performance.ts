import { formatCents, parseCents } from '@fundsim/domain';
import { performance, type Flow, type Performance } from './metrics';
import { LINE_KEYS, linesAt, netAssetsOf, type Ledger, type Lines } from '../ledger/fund-ledger';
import { flowsWithoutFacility } from './without-facility';

export interface FundPerformance {
  asOf: string;
  knownAt: string | null;
  /** The fund's roll-forward from inception: the LPs' capital taken together. */
  rollForward: Record<keyof Lines, string> & { netAssets: string };
  /** ILPA's "with the facility": as the LPs together experienced it, the facilities as booked. */
  withFacility: Performance;
  /**
   * ILPA's "without the facility": as if each draw had been called from the LPs on its date, and
   * what the fund paid the lenders had stayed with the LPs (docs/accounting.md gives the rule).
   */
  withoutFacility: Performance;
  /**
   * Not ILPA's figure: the interest expense added back to the residual value, the gains on the
   * borrowed money kept, so it is never below `withFacility`.
   */
  interestAddedBack: Performance;
  interestExpense: string;
  /** Principal outstanding on the date, over all facilities. */
  debt: string;
}

/**
 * The LPs' cash flows taken together: catch-up and equalization interest at each close, each
 * call's total less defaults on its due date, distributions on their payment dates; the residual
 * value on the date: net assets, plus distributions declared and unpaid, less defaulted
 * contributions still owed.
 */
export function fundPerformance(ledger: Ledger, asOf: string, knownAt: string | null): FundPerformance {
  const lines = linesAt(ledger, asOf);
  const { flows, payable, owed } = fundFlows(ledger, asOf);
  const residual = { nav: netAssetsOf(lines), distributionsPayable: payable, contributionsOwed: owed };
  let debt = 0n;
  for (const f of ledger.state.facilities.values()) debt += parseCents(f.principal.toString());
  const interestAccrued = lines.interest - ledger.flows.interestPaid;
  return {
    asOf,
    knownAt,
    rollForward: {
      ...(Object.fromEntries(LINE_KEYS.map((k) => [k, formatCents(lines[k])])) as Record<keyof Lines, string>),
      netAssets: formatCents(netAssetsOf(lines)),
    },
    withFacility: performance('USD', flows, residual, asOf),
    // Without the facility the fund owes neither the principal nor the interest accrued.
    withoutFacility: performance('USD', flowsWithoutFacility(flows, ledger.facilityFlows), { ...residual, nav: residual.nav + debt + interestAccrued }, asOf),
    interestAddedBack: performance('USD', flows, { ...residual, nav: residual.nav + lines.interest }, asOf),
    interestExpense: formatCents(lines.interest),
    debt: formatCents(debt),
  };
}

/** The LPs' cash flows taken together up to a date (sorted), distributions declared and unpaid, and defaulted contributions owed. */
export function fundFlows(ledger: Ledger, asOf: string): { flows: Flow[]; payable: bigint; owed: bigint } {
  const state = ledger.state;
  const flows: Flow[] = [];
  for (const e of ledger.epochs) if (e.paidInCents > 0n) flows.push({ date: e.date, cents: -e.paidInCents });
  for (const c of state.calls) {
    if (c.dueDate > asOf) continue;
    const defaulted = state.defaultedUsd.get(c.callNumber);
    flows.push({ date: c.dueDate, cents: -(parseCents(c.totalUsd.toString()) - (defaulted ? parseCents(defaulted.toString()) : 0n)) });
  }
  let payable = 0n;
  for (const p of ledger.payouts) {
    if (p.paymentDate <= asOf) flows.push({ date: p.paymentDate, cents: p.cents });
    else payable += p.cents;
  }
  let owed = 0n;
  for (const d of state.defaultedUsd.values()) owed += parseCents(d.toString());
  flows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { flows, payable, owed };
}
