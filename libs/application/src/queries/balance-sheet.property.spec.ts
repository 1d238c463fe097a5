import { asCorrected, daysBetween, Dec, Money, reversalsIn, type RecordedFundEvent } from '@fundsim/domain';
import { balanceSheet } from '@fundsim/projections';
import fc from 'fast-check';
import { dateAfter, runRandomHistory, step } from '../testing/random-fund';

const usd = (s: string) => Money.parse(s, 'USD');
type Data = Record<string, string>;

/**
 * A reference model written independently of the fund state and its queries (TigerBeetle's
 * auditor idea): partners' capital summed from the events' own figures, as the ILPA roll-forward
 * adds it up. It must equal the balance sheet's net assets, to the cent.
 */
function partnersCapital(history: readonly RecordedFundEvent[], date: string): Money {
  let capital = Money.zero('USD');
  const projects = new Map<string, { cost: Money; fairValue: Money }>();
  // Interest owed per facility, unrounded until it is reported, as the books accrue it.
  const facilities = new Map<string, { principal: Money; rate: Dec; basis: number; from: string; owed: Dec }>();
  const accrue = (f: { principal: Money; rate: Dec; basis: number; from: string; owed: Dec }, to: string) => {
    f.owed = f.owed.plus(
      f.principal.amount
        .times(f.rate)
        .times(Math.max(0, daysBetween(f.from, to)))
        .dividedBy(f.basis),
    );
    f.from = to;
  };
  const reversals = reversalsIn(history);
  for (const recorded of history) {
    // Corrections count in place of what they reverse.
    const e = asCorrected(recorded, reversals);
    if (!e || e.type === 'EventReversed') continue;
    if (e.metadata.effectiveDate > date) break;
    const d = e.data as unknown as Data;
    switch (e.type) {
      case 'CloseHeld':
        capital = capital.plus(usd(d.catchUpUsd)).plus(usd(d.equalizationInterestUsd));
        break;
      case 'CapitalCalled':
        capital = capital.plus(usd(d.totalUsd));
        break;
      case 'ProceedsReceived':
        capital = capital.plus(d.kind === 'income' ? usd(d.amount) : usd(d.realizedGain));
        if (d.kind === 'capital') {
          const p = projects.get(d.projectId)!;
          projects.set(d.projectId, { cost: p.cost.minus(usd(d.costRelieved)), fairValue: p.fairValue.minus(usd(d.amount)) });
        }
        break;
      case 'ProjectRegistered':
        projects.set(d.projectId, { cost: Money.zero('USD'), fairValue: Money.zero('USD') });
        break;
      case 'ProjectFunded': {
        const p = projects.get(d.projectId)!;
        projects.set(d.projectId, { cost: p.cost.plus(usd(d.amount)), fairValue: p.fairValue.plus(usd(d.amount)) });
        break;
      }
      case 'ProjectValued':
        projects.set(d.projectId, { ...projects.get(d.projectId)!, fairValue: usd(d.fairValue) });
        break;
      case 'CreditFacilityOpened':
        facilities.set(d.facilityId, {
          principal: Money.zero('USD'),
          rate: new Dec(d.annualRate),
          basis: d.dayCount === 'ACT/360' ? 360 : 365,
          from: e.metadata.effectiveDate,
          owed: new Dec(0),
        });
        break;
      case 'LeverageDrawn':
      case 'LeverageRepaid':
      case 'InterestPaid': {
        const f = facilities.get(d.facilityId)!;
        accrue(f, e.metadata.effectiveDate);
        if (e.type === 'LeverageDrawn') f.principal = f.principal.plus(usd(d.amount));
        if (e.type === 'LeverageRepaid') f.principal = f.principal.minus(usd(d.amount));
        if (e.type === 'InterestPaid') {
          f.owed = f.owed.minus(usd(d.amount).amount);
          capital = capital.minus(usd(d.amount));
        }
        break;
      }
      case 'ManagementFeeCharged':
      case 'ExpenseRecorded':
      case 'DistributionDeclared':
        capital = capital.minus(usd(d.amount));
        break;
      default:
        // The others move neither cash nor capital in this reference model.
        break;
    }
  }
  for (const p of projects.values()) capital = capital.plus(p.fairValue.minus(p.cost));
  for (const f of facilities.values()) {
    accrue(f, date);
    capital = capital.minus(Money.of(f.owed, 'USD'));
  }
  return capital;
}

describe('balance sheet over random histories (property)', () => {
  it('balances to the cent, equals partners capital summed independently, and keeps debt within the cap, after every event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        await runRandomHistory(steps, (history, _command, date, i) => {
          for (const asOf of [date, dateAfter(i * 7 + 3)]) {
            const sheet = balanceSheet(history, { asOf });
            expect(usd(sheet.assets.total).toString()).toBe(usd(sheet.liabilities.total).plus(usd(sheet.netAssets)).toString());
            expect(sheet.netAssets).toBe(partnersCapital(history, asOf).toString());
            expect(usd(sheet.leverage.debt).gt(usd(sheet.leverage.cap))).toBe(false);
          }
        });
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
