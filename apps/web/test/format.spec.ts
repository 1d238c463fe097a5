import { csvOf, labelOf, parseCsv, placeLabels, lifeQuarterEnds, money, openingQuarterEnd, percent, quarterEndOf, quarterEnds } from '../src/format';

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

  it("takes a fund's time axis from its own life, opening on its latest quarter end", () => {
    expect(quarterEndOf('2026-08-05')).toBe('2026-09-30');
    expect(quarterEndOf('2026-06-30')).toBe('2026-06-30');
    expect(quarterEndOf('2035-12-31')).toBe('2035-12-31');
    expect(quarterEndOf('2027-02-01')).toBe('2027-03-31');
    expect(lifeQuarterEnds({ firstDate: '2026-01-15', latestDate: '2026-08-05' })).toEqual(['2026-03-31', '2026-06-30', '2026-09-30']);
    expect(lifeQuarterEnds({ firstDate: '2026-01-15', latestDate: '2036-01-05' })).toHaveLength(41);
    expect(openingQuarterEnd({ latestDate: '2035-12-31' })).toBe('2035-12-31');
  });

  it('names keys in words and writes CSV fields that need it quoted', () => {
    expect(labelOf('endingNav')).toBe('Ending NAV');
    expect(labelOf('tvpi')).toBe('TVPI');
    expect(labelOf('managementFees')).toBe('Management fees');
    expect(
      csvOf([
        ['a', 'b,c'],
        ['say "hi"', null],
      ]),
    ).toBe('a,"b,c"\n"say ""hi""",\n');
  });
});

describe("the charts' milestone labels", () => {
  it('never overlap: each takes the first row it clears, and one with no room is left out', () => {
    const placed = placeLabels(
      [
        { x: 0, width: 50, label: 'Close 1' },
        { x: 20, width: 50, label: 'G7 summit' },
        { x: 30, width: 50, label: 'Close 2' },
        { x: 60, width: 10, label: 'Call' },
      ],
      2,
    );
    expect(placed).toEqual([
      { x: 0, row: 0, label: 'Close 1' },
      { x: 20, row: 1, label: 'G7 summit' },
      { x: 60, row: 0, label: 'Call' },
    ]);
  });
});

describe("the operator's CSV", () => {
  it('reads quoted fields, doubled quotes, CRLF and a byte-order mark, and skips blank lines', () => {
    expect(parseCsv('\uFEFFlp_id,amount\r\n"a,1","10"\n\nb,"say ""x"""\n')).toEqual([
      ['lp_id', 'amount'],
      ['a,1', '10'],
      ['b', 'say "x"'],
    ]);
    expect(parseCsv('a,,c')).toEqual([['a', '', 'c']]);
  });
});
