/**
 * The annualised IRR of quarterly cash flows (flows[0] now, flows[q] q quarters later): the
 * quarterly rate r solving sum(flows[q] / (1 + r)^q) = 0 by Newton's method on v = 1 / (1 + r)
 * (Horner's rule, no powers), with bisection when Newton strays; then (1 + r)^4 - 1. NaN when
 * the flows never change sign or no root is found in (-99.99%, +10,000%) a quarter.
 */
export function quarterlyIrr(flows: ArrayLike<number>, length = flows.length): number {
  let positive = false;
  let negative = false;
  for (let i = 0; i < length; i++) {
    if (flows[i] > 0) positive = true;
    else if (flows[i] < 0) negative = true;
  }
  if (!positive || !negative) return NaN;
  // NPV as a polynomial in v, and its derivative.
  const npv = (v: number): [number, number] => {
    let value = 0;
    let slope = 0;
    for (let i = length - 1; i >= 0; i--) {
      slope = slope * v + value;
      value = value * v + flows[i];
    }
    return [value, slope];
  };
  let v = 1 / 1.02;
  for (let i = 0; i < 50; i++) {
    const [value, slope] = npv(v);
    if (slope === 0) break;
    const next = v - value / slope;
    if (!(next > 0) || !Number.isFinite(next)) break;
    if (Math.abs(next - v) < 1e-13) return Math.pow(1 / next, 4) - 1;
    v = next;
  }
  // Bisection over v in (1/101, 1/0.0001): NPV changes sign there when a rate exists.
  let lo = 1 / 101;
  let hi = 1e4;
  let fLo = npv(lo)[0];
  const fHi = npv(hi)[0];
  if (fLo * fHi > 0) return NaN;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const fMid = npv(mid)[0];
    if (fMid === 0 || hi - lo < 1e-14) return Math.pow(1 / mid, 4) - 1;
    if (fLo * fMid < 0) hi = mid;
    else {
      lo = mid;
      fLo = fMid;
    }
  }
  return Math.pow(2 / (lo + hi), 4) - 1;
}

/**
 * IRR, TVPI and DPI of one path's quarterly flows, the residual value already in the last one.
 * Every path counts: one that gets back nothing, or too little for a rate to exist above -99.99%
 * a quarter, is a total loss, an IRR of -100%.
 */
export function pathOutcome(
  flows: ArrayLike<number>,
  length: number,
  paidIn: number,
  distributed: number,
  residual: number,
): { irr: number; tvpi: number; dpi: number } {
  const irr = quarterlyIrr(flows, length);
  return { irr: Number.isNaN(irr) && distributed + residual < paidIn ? -1 : irr, tvpi: (distributed + residual) / paidIn, dpi: distributed / paidIn };
}
