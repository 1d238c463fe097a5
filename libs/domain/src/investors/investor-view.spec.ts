import fc from 'fast-check';
import { Money } from '../money';
import { commitmentEntry } from '../testing/fund-fixtures';
import { buildInvestorView } from './investor-view';

const close = (closeNumber: number, throughPosition: number, admittedUsd: string) => ({ closeNumber, throughPosition, admittedUsd });

describe('investor view', () => {
  it('admits the commitments each close covered and leaves the rest pending', () => {
    const commitments = [commitmentEntry('a', '100.00', 2), commitmentEntry('b', '300.00', 3), commitmentEntry('a', '50.00', 7), commitmentEntry('c', '10.00', 9)];
    const view = buildInvestorView(commitments, [close(1, 3, '400.00'), close(2, 8, '50.00')]);
    expect([...view.admitted.values()].map((lp) => [lp.lpId, lp.admittedUsd.toString(), lp.closeNumber])).toEqual([
      ['a', '150.00', 1],
      ['b', '300.00', 1],
    ]);
    expect(view.pending.map((c) => c.lpId)).toEqual(['c']);
  });

  it('scales a close back pro rata, the LP amounts summing to what was admitted (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 99 }), (cents, percent) => {
        const commitments = cents.map((c, i) => commitmentEntry(`lp-${String(i).padStart(2, '0')}`, (c / 100).toFixed(2), i + 1));
        const pending = commitments.reduce((s, c) => s.plus(c.amountUsd), Money.zero('USD'));
        const admittedUsd = pending.times(percent / 100);
        const view = buildInvestorView(commitments, [close(1, commitments.length, admittedUsd.toString())]);
        const sum = [...view.admitted.values()].reduce((s, lp) => s.plus(lp.admittedUsd), Money.zero('USD'));
        return sum.toString() === admittedUsd.toString() && [...view.admitted.values()].every((lp) => !lp.admittedUsd.gt(commitments.find((c) => c.lpId === lp.lpId)!.amountUsd));
      }),
    );
  });
});
