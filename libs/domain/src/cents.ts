/*
 * Integer minor units (cents) as BigInt, for the folds that run over a million LPs: parsing a
 * decimal string into a Decimal costs ~10 µs, into a BigInt well under 1 µs, and BigInt sums are
 * exact. Decimal stays the tool for rates and for the fund-level figures.
 */

/** "1234.5" / "-0.07" / "12" -> cents. The string must have at most two decimals (USD as booked). */
export function parseCents(text: string): bigint {
  const dot = text.indexOf('.');
  if (dot < 0) return BigInt(text) * 100n;
  const decimals = text.length - dot - 1;
  if (decimals > 2) throw new Error(`Not a USD amount in cents: ${text}`);
  const whole = text.slice(0, dot) + text.slice(dot + 1) + (decimals === 1 ? '0' : decimals === 0 ? '00' : '');
  return BigInt(whole === '-' || whole === '' ? '0' : whole);
}

/** cents -> "1234.56", the way Money prints USD. */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A decimal string as an exact fraction numerator / 10^scale. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

export function parseFraction(text: string): Fraction {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!match) throw new Error(`Not a decimal: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let numerator = BigInt(`${sign}${whole || '0'}${fraction}`);
  let denominator = 10n ** BigInt(fraction.length);
  const e = Number(exponent);
  if (e > 0) numerator *= 10n ** BigInt(e);
  if (e < 0) denominator *= 10n ** BigInt(-e);
  return { numerator, denominator };
}

/** n / d rounded half to even (d > 0): the rounding Money applies when it books an amount. */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

/** floor(n / d) for d > 0. */
export function divFloor(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d < 0n ? q - 1n : q;
}

/** cents x a decimal rate, rounded half to even to the cent: Money.times for USD. */
export function timesRate(cents: bigint, rate: Fraction): bigint {
  return divRoundHalfEven(cents * rate.numerator, rate.denominator);
}

/**
 * A rate for a hot loop: cents x rate rounded half to even in floating-point integers, exact while
 * the product stays below 2^52, in BigInt beyond.
 */
export interface SmallRate {
  n: number;
  d: number;
  exact: Fraction;
}

export const smallRate = (f: Fraction): SmallRate => ({ n: Number(f.numerator), d: Number(f.denominator), exact: f });

export function timesSmallRate(cents: number, rate: SmallRate): number {
  const product = cents * rate.n;
  if (!(product < 2 ** 52) || !(rate.d < 2 ** 52) || product < 0) return Number(timesRate(BigInt(cents), rate.exact));
  let q = Math.floor(product / rate.d);
  let r = product - q * rate.d;
  if (r < 0) ((q -= 1), (r += rate.d));
  else if (r >= rate.d) ((q += 1), (r -= rate.d));
  if (2 * r > rate.d || (2 * r === rate.d && q % 2 !== 0)) q += 1;
  return q;
}
