import { divRoundHalfEven, formatCents } from '@fundsim/domain';
import { xirr } from './xirr';

export interface Flow {
  date: string;
  /** Minor units; negative paid in by the investor, positive received. */
  cents: bigint;
}

/** What the investor still holds on the date, and what it is made of. */
export interface Residual {
  /** Net assets on the date, as the register shows them. */
  nav: bigint;
  /** Its share of distributions declared and not yet paid (a payable of the fund, not in `nav`). */
  distributionsPayable: bigint;
  /** Contributions called and not paid (not yet due, or defaulted): counted in `nav` as a receivable, owed by the investor. */
  contributionsOwed: bigint;
}

/**
 * Performance of an investor's cash flows. The residual value is `nav + distributionsPayable -
 * contributionsOwed`: what the investor would hold if the fund were wound up on the date, net of
 * what it still owes; paid-in counts only what was paid.
 */
export interface Performance {
  currency: 'USD' | 'JPY';
  paidIn: string;
  distributed: string;
  nav: string;
  distributionsPayable: string;
  contributionsOwed: string;
  residualValue: string;
  /** Annualised, as a decimal fraction; null when the flows admit no rate. */
  xirr: string | null;
  /** (distributed + residual value) / paid in. */
  tvpi: string | null;
  /** distributed / paid in. */
  dpi: string | null;
  /** residual value / paid in. */
  rvpi: string | null;
}

/** XIRR, TVPI, DPI, RVPI of cash flows with a residual value on `asOf`. */
export function performance(currency: 'USD' | 'JPY', flows: readonly Flow[], residual: Residual, asOf: string): Performance {
  let paidIn = 0n;
  let distributed = 0n;
  for (const f of flows) {
    if (f.cents < 0n) paidIn -= f.cents;
    else distributed += f.cents;
  }
  const value = residual.nav + residual.distributionsPayable - residual.contributionsOwed;
  const fmt = currency === 'JPY' ? (v: bigint) => v.toString() : formatCents;
  const multiple = (v: bigint) => (paidIn === 0n ? null : ratio(v, paidIn, 4));
  const rate = xirrOf([...flows, { date: asOf, cents: value }]);
  return {
    currency,
    paidIn: fmt(paidIn),
    distributed: fmt(distributed),
    nav: fmt(residual.nav),
    distributionsPayable: fmt(residual.distributionsPayable),
    contributionsOwed: fmt(residual.contributionsOwed),
    residualValue: fmt(value),
    xirr: rate,
    tvpi: multiple(distributed + value),
    dpi: multiple(distributed),
    rvpi: multiple(value),
  };
}

function xirrOf(flows: readonly Flow[]): string | null {
  const rate = xirr(flows.map((f) => ({ date: f.date, amount: Number(f.cents) })));
  // toFixed keeps the sign of a rate that rounds to zero: print 0.000000, not -0.000000.
  return rate === undefined ? null : (Math.abs(rate) < 5e-7 ? 0 : rate).toFixed(6);
}

/** a / b (b > 0) to `places` decimals, half to even. */
export function ratio(a: bigint, b: bigint, places: number): string {
  if (b === 0n) return '0';
  const q = divRoundHalfEven(a * 10n ** BigInt(places), b);
  const digits = (q < 0n ? -q : q).toString().padStart(places + 1, '0');
  return `${q < 0n ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}
