import { parseCents } from '@fundsim/domain';
import { ILPA_COLUMNS, signedRollForward, type IlpaStatement } from '@fundsim/projections';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from '../../queries/fund-queries.service';
import { ScenarioService } from '../scenario';
import { DemoService } from './demo.service';

const quarterEnds = () => {
  const out: string[] = [];
  for (let y = 2026; y <= 2035; y++) for (const md of ['03-31', '06-30', '09-30', '12-31']) out.push(`${y}-${md}`);
  return out;
};

/** beginning + the lines = ending in every column. */
const addsUp = (lines: Record<string, Record<string, string>>, parse: (v: string) => bigint, beginning: string, ending: string) =>
  ILPA_COLUMNS.every(
    (c) =>
      parse(lines[beginning][c]) + Object.entries(lines).reduce((sum, [k, v]) => (k === beginning || k === ending ? sum : sum + parse(v[c])), 0n) ===
      parse(lines[ending][c]),
  );

describe('the ILPA statement and the fund without its facilities on the demo (issue 25)', () => {
  it("on every quarter end, every LP's statement adds up in each column (USD, yen, commitment), its inception-to-date column is its capital account, and the columns' ending NAVs sum to the register", async () => {
    const store = new MemoryEventStore();
    await new DemoService(store, new ScenarioService(store)).load({ retailLps: 60 });
    const queries = new FundQueryService(store);
    let yen = 0;
    for (const asOf of quarterEnds()) {
      const register = await queries.register('usjp', { asOf }, 0, 1000);
      let endings = 0n;
      for (const { lpId, netAssets } of register.rows) {
        const s: IlpaStatement = await queries.ilpaStatement('usjp', lpId, { asOf });
        expect([lpId, asOf, addsUp(s.rollForward, parseCents, 'beginningNav', 'endingNav')]).toEqual([lpId, asOf, true]);
        const { defaultedInPeriod: _memo, ...commitment } = s.commitment;
        expect(addsUp(commitment, parseCents, 'beginningUnfunded', 'endingUnfunded')).toBe(true);
        if (s.yen) {
          yen++;
          expect(addsUp(s.yen.rollForward, BigInt, 'beginningNav', 'endingNav')).toBe(true);
        }
        const account = await queries.capitalAccount('usjp', lpId, { asOf });
        for (const [k, cents] of signedRollForward(account)) expect(parseCents(s.rollForward[k].inceptionToDate)).toBe(cents);
        expect(ILPA_COLUMNS.map((c) => s.rollForward.endingNav[c])).toEqual([netAssets, netAssets, netAssets]);
        endings += parseCents(netAssets);
      }
      expect(endings).toBe(parseCents(register.netAssets));

      // Without the facilities the LPs gain exactly the interest, paid and accrued.
      const p = await queries.performance('usjp', { asOf });
      const profit = (x: typeof p.withFacility) => parseCents(x.distributed) + parseCents(x.residualValue) - parseCents(x.paidIn);
      expect(profit(p.withoutFacility) - profit(p.withFacility)).toBe(parseCents(p.interestExpense));
    }
    expect(yen).toBeGreaterThan(100);
  }, 300_000);
});
