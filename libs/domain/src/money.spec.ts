import { Money } from './money';
import { expectRejection } from './testing/given-when-then';

describe('Money', () => {
  it('parses decimal strings exactly, within the currency minor unit', () => {
    expect(Money.parse('10000.50', 'USD').toString()).toBe('10000.50');
    expect(Money.parse('10000', 'USD').toString()).toBe('10000.00');
    expect(Money.parse('1500000', 'JPY').toString()).toBe('1500000');
    expectRejection(() => Money.parse('1.005', 'USD'), 'INVALID_AMOUNT');
    expectRejection(() => Money.parse('1500000.5', 'JPY'), 'INVALID_AMOUNT');
    expectRejection(() => Money.parse('1e6', 'USD'), 'INVALID_AMOUNT');
    expectRejection(() => Money.parse('01.00', 'USD'), 'INVALID_AMOUNT');
    expectRejection(() => Money.parse('10.00', 'EUR'), 'UNSUPPORTED_CURRENCY');
    expectRejection(() => Money.parsePositive('0.00', 'USD'), 'INVALID_AMOUNT');
    expectRejection(() => Money.parsePositive('-5.00', 'USD'), 'INVALID_AMOUNT');
  });

  it('rounds half to even at the minor unit, in one place', () => {
    expect(Money.of('0.125', 'USD').toString()).toBe('0.12');
    expect(Money.of('0.135', 'USD').toString()).toBe('0.14');
    expect(Money.of('2.5', 'JPY').toString()).toBe('2');
    expect(Money.of('3.5', 'JPY').toString()).toBe('4');
    expect(Money.parse('100.00', 'USD').times('0.00125').toString()).toBe('0.12');
  });

  it('converts at USD/JPY (yen per dollar), rounding in the target currency', () => {
    expect(Money.parse('1500000', 'JPY').convert('USD', '150.00').toString()).toBe('10000.00');
    expect(Money.parse('1000000', 'JPY').convert('USD', '149.37').toString()).toBe('6694.78');
    expect(Money.parse('10000.00', 'USD').convert('JPY', '149.37').toString()).toBe('1493700');
  });

  it('adds and compares in one currency only', () => {
    const a = Money.parse('0.10', 'USD');
    expect(a.plus(Money.parse('0.20', 'USD')).toString()).toBe('0.30');
    expect(a.gt(Money.parse('0.09', 'USD'))).toBe(true);
    expect(() => a.plus(Money.parse('1', 'JPY'))).toThrow(/USD with JPY/);
    expect(Money.parse('1234567.80', 'USD').format()).toBe('1,234,567.80 USD');
  });
});
