import { Rejection } from '../rejections';
import { WORKED_EXAMPLE_WATERFALL } from '../testing/fund-fixtures';
import { managersSplit, shareRule } from './manager-shares';
import { parseWaterfallTerms, type WaterfallTerms } from './waterfall';

const MANAGERS = ['us-treasury', 'jp-mof'];
const GOVERNMENTS = [
  { manager: 'us-treasury', share: '0.5', lpId: 'lp-a' },
  { manager: 'jp-mof', share: '0.5', lpId: 'lp-b' },
];
const terms = (extra: Partial<WaterfallTerms>): WaterfallTerms =>
  parseWaterfallTerms({ ...WORKED_EXAMPLE_WATERFALL, managerShares: GOVERNMENTS, ...extra }, MANAGERS);

describe('fee and carry shares between the managers', () => {
  it('default to managerShares, so terms recorded before keep their figures', () => {
    const t = terms({});
    expect([t.feeShares, t.carryShares, shareRule(t, 'fees'), shareRule(t, 'carry')]).toEqual([undefined, undefined, GOVERNMENTS, GOVERNMENTS]);
    expect(Object.fromEntries(managersSplit(t, 1001n, 'fees'))).toEqual({ 'jp-mof': 501n, 'us-treasury': 500n });
  });

  it('fixed fee and carry shares each split their own kind, to the cent', () => {
    const t = terms({
      feeShares: [
        { manager: 'us-treasury', share: '0.7' },
        { manager: 'jp-mof', share: '0.3' },
      ],
      carryShares: 'by-stake',
    });
    expect(Object.fromEntries(managersSplit(t, 1000n, 'fees'))).toEqual({ 'us-treasury': 700n, 'jp-mof': 300n });
    expect(Object.fromEntries(managersSplit(t, 1000n, 'carry', { 'lp-a': '600.00', 'lp-b': '400.00' }))).toEqual({ 'us-treasury': 600n, 'jp-mof': 400n });
  });

  it('by stake: each government LP account over the sum, largest remainder ties by name; negative amounts as owed', () => {
    const t = terms({ feeShares: 'by-stake', carryShares: 'by-stake' });
    // 1.00 at 1/2 each: 50 / 50; 0.01 at equal stakes goes to jp-mof (ties by name).
    expect(Object.fromEntries(managersSplit(t, 1n, 'fees', { 'lp-a': '300.00', 'lp-b': '300.00' }))).toEqual({ 'jp-mof': 1n, 'us-treasury': 0n });
    // 100.00 at 2/3 and 1/3: 66.67 / 33.33.
    expect(Object.fromEntries(managersSplit(t, 10_000n, 'carry', { 'lp-a': '200.00', 'lp-b': '100.00' }))).toEqual({ 'us-treasury': 6667n, 'jp-mof': 3333n });
    expect(Object.fromEntries(managersSplit(t, -10_000n, 'carry', { 'lp-a': '200.00', 'lp-b': '100.00' }))).toEqual({
      'us-treasury': -6667n,
      'jp-mof': -3333n,
    });
    // One government admitted: its manager takes all.
    expect(Object.fromEntries(managersSplit(t, 500n, 'fees', { 'lp-a': '0.00', 'lp-b': '10.00' }))).toEqual({ 'us-treasury': 0n, 'jp-mof': 500n });
  });

  it("by stake before any government is admitted: managerShares' fixed shares", () => {
    const t = terms({
      feeShares: 'by-stake',
      managerShares: [
        { ...GOVERNMENTS[0], share: '0.6' },
        { ...GOVERNMENTS[1], share: '0.4' },
      ],
    });
    expect(Object.fromEntries(managersSplit(t, 1000n, 'fees'))).toEqual({ 'us-treasury': 600n, 'jp-mof': 400n });
    expect(Object.fromEntries(managersSplit(t, 1000n, 'fees', { 'lp-a': '0.00', 'lp-b': '0.00' }))).toEqual({ 'us-treasury': 600n, 'jp-mof': 400n });
  });

  it.each([
    [{ feeShares: 'by stake' }, /feeShares must be "by-stake" or a list/],
    [{ carryShares: [{ manager: 'us-treasury', share: '1' }] }, /carryShares must name each manager once/],
    [
      {
        feeShares: [
          { manager: 'us-treasury', share: '0.5' },
          { manager: 'jp-mof', share: '0.6' },
        ],
      },
      /feeShares must sum to 1, got 1.1/,
    ],
    [
      {
        carryShares: [
          { manager: 'us-treasury', share: 'half' },
          { manager: 'jp-mof', share: '0.5' },
        ],
      },
      /carryShares: us-treasury's share must be a decimal/,
    ],
    [
      { carryShares: 'by-stake', managerShares: [GOVERNMENTS[0], { manager: 'jp-mof', share: '0.5' }] },
      /carryShares "by-stake" needs each manager's lpId \(none for jp-mof\)/,
    ],
    [{ feeShares: 'by-stake', managerShares: [GOVERNMENTS[0], { ...GOVERNMENTS[1], lpId: 'lp-a' }] }, /feeShares "by-stake" needs a different lpId/],
  ])('refuses %j with INVALID_FUND_TERMS', (extra, message) => {
    const parse = () => parseWaterfallTerms({ ...WORKED_EXAMPLE_WATERFALL, managerShares: GOVERNMENTS, ...extra }, MANAGERS);
    expect(parse).toThrow(Rejection);
    expect(parse).toThrow(message);
  });
});
