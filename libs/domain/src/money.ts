import Decimal from 'decimal.js';
import { MAX_AMOUNT } from './bounds';
import { reject } from './rejections';

/** decimal.js with the precision money needs and banker's rounding as the default. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Dec = Decimal;

export const CURRENCIES = ['USD', 'JPY'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const MINOR_UNITS: Record<Currency, number> = { USD: 2, JPY: 0 };

export const isCurrency = (value: string): value is Currency => (CURRENCIES as readonly string[]).includes(value);

const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * An amount in a currency. Rounding half-to-even to the currency's minor unit happens here and
 * only here (`Money.of`); arithmetic that could leave more places goes through it.
 */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: Currency,
  ) {}

  static currency(code: string): Currency {
    if (!isCurrency(code)) return reject('UNSUPPORTED_CURRENCY', `Currency ${JSON.stringify(code)} is not supported; use ${CURRENCIES.join(' or ')}`);
    return code;
  }

  /** From a decimal string, exactly: more places than the currency has is an error, not a rounding. */
  static parse(text: string, currencyCode: string): Money {
    const currency = Money.currency(currencyCode);
    if (typeof text !== 'string' || !DECIMAL_TEXT.test(text)) {
      return reject('INVALID_AMOUNT', `Amount ${JSON.stringify(text)} is not a decimal string such as "10000.00"`);
    }
    const places = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
    if (places > MINOR_UNITS[currency]) {
      return reject('INVALID_AMOUNT', `Amount ${text} has ${places} decimal place${places === 1 ? '' : 's'}; ${currency} has ${MINOR_UNITS[currency]}`);
    }
    return new Money(new Dec(text), currency);
  }

  /** A positive amount, as every command amount must be. */
  static parsePositive(text: string, currencyCode: string, what = 'Amount'): Money {
    const money = Money.parse(text, currencyCode);
    if (!money.isPositive()) reject('INVALID_AMOUNT', `${what} must be greater than zero, got ${text} ${money.currency}`);
    if (money.amount.gt(MAX_AMOUNT)) reject('INVALID_AMOUNT', `${what} of ${text} ${money.currency} is above the largest amount fundsim books (${MAX_AMOUNT})`);
    return money;
  }

  /** Rounds half-to-even to the minor unit: the one place booked amounts are rounded. */
  static of(amount: Decimal.Value, currency: Currency): Money {
    return new Money(new Dec(amount).toDecimalPlaces(MINOR_UNITS[currency], Decimal.ROUND_HALF_EVEN), currency);
  }

  static zero(currency: Currency): Money {
    return new Money(new Dec(0), currency);
  }

  plus(other: Money): Money {
    this.sameCurrency(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  minus(other: Money): Money {
    this.sameCurrency(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  /** Times a rate or a fraction, rounded to the minor unit. */
  times(factor: Decimal.Value): Money {
    return Money.of(this.amount.times(factor), this.currency);
  }

  /**
   * Into another currency at a USD/JPY rate (yen per dollar), rounded in the target currency.
   */
  convert(to: Currency, usdJpy: Decimal.Value): Money {
    if (to === this.currency) return this;
    const rate = new Dec(usdJpy);
    return Money.of(this.currency === 'USD' ? this.amount.times(rate) : this.amount.dividedBy(rate), to);
  }

  isPositive(): boolean {
    return this.amount.isPositive() && !this.amount.isZero();
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  compare(other: Money): number {
    this.sameCurrency(other);
    return this.amount.comparedTo(other.amount);
  }

  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }

  toString(): string {
    return this.amount.toFixed(MINOR_UNITS[this.currency]);
  }

  toJSON(): string {
    return this.toString();
  }

  /** "10,000.00 USD": for messages. */
  format(): string {
    const [whole, fraction] = this.toString().split('.');
    return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''} ${this.currency}`;
  }

  private sameCurrency(other: Money): void {
    if (other.currency !== this.currency) throw new Error(`Cannot combine ${this.currency} with ${other.currency}`);
  }
}
