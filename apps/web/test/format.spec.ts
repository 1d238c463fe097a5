import { money, percent, quarterEnds } from '../src/format';

describe("the dashboard's formatting of exact figures", () => {
  it('groups money as it is, never rounding', () => {
    expect(money('1234567.89')).toBe('1,234,567.89');
    expect(money('-1234567.80')).toBe('-1,234,567.80');
    expect(money('0.00')).toBe('0.00');
    expect(money('13500000000000')).toBe('13,500,000,000,000');
    expect(money(null)).toBe('—');
  });

  it('shows a fraction of 1 as an exact percentage', () => {
    expect(percent('0.4464979152')).toBe('44.64979152%');
    expect(percent('-0.0705')).toBe('-7.05%');
    expect(percent('0.10174')).toBe('10.174%');
    expect(percent('1')).toBe('100%');
    expect(percent('0.000000028699')).toBe('0.0000028699%');
    expect(percent(null)).toBe('—');
  });

  it('lists quarter ends between two dates', () => {
    expect(quarterEnds('2026-03-31', '2026-12-31')).toEqual(['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31']);
    expect(quarterEnds('2026-01-15', '2035-12-31')).toHaveLength(40);
  });
});
