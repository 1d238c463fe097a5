import type { BalanceSheet } from '@fundsim/projections';
import { fundAndDate, money, REPLAY_OPTIONS, table, type Command } from '../command';

function render(b: BalanceSheet): string[] {
  const rows: string[][] = [
    ['Cash', money(b.assets.cash)],
    ['Investments at fair value', money(b.assets.investmentsAtFairValue)],
    ['Contributions receivable', money(b.assets.contributionsReceivable)],
    ['Total assets', money(b.assets.total)],
    ['Debt', money(b.liabilities.debt)],
    ['Accrued interest', money(b.liabilities.accruedInterest)],
    ['Distributions payable', money(b.liabilities.distributionsPayable)],
    ['Total liabilities', money(b.liabilities.total)],
    ["Net assets (partners' capital)", money(b.netAssets)],
    // A fund with a waterfall: the part the managers would receive if the net assets were distributed.
    ...(b.partners.managersAccruedCarry === '0.00'
      ? []
      : [
          ["  the LPs' capital", money(b.partners.lps)],
          ["  the managers' accrued carry", money(b.partners.managersAccruedCarry)],
        ]),
    ['Commitments admitted', money(b.commitments.admitted)],
    ['Commitments called', money(b.commitments.called)],
    ['Commitments unfunded', money(b.commitments.unfunded)],
    [`Leverage (debt / ${b.leverage.basis})`, b.leverage.ratio ?? 'n/a'],
    ['Leverage cap', money(b.leverage.cap)],
    ['Headroom', money(b.leverage.headroom)],
  ];
  const width = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `Balance sheet as of ${b.asOf}${b.knownAt ? `, as known at ${b.knownAt}` : ''} (${b.currency})`,
    '',
    ...table(
      ['', 'USD'],
      rows.map(([label, value]) => [label, value.padStart(width)]),
    ),
  ];
  if (b.investments.length > 0) {
    lines.push(
      '',
      ...table(
        ['PROJECT', 'SECTOR', 'COST', 'FAIR VALUE', 'UNREALIZED'],
        b.investments.map((i) => [i.projectId, i.sector, money(i.cost), money(i.fairValue), money(i.unrealizedGain)]),
      ),
    );
  }
  return lines;
}

export const balanceSheetCommand: Command = {
  name: 'balance-sheet',
  summary: 'Replay the fund to a date: its balance sheet, as known now or at an earlier time',
  usage: 'fundsim balance-sheet [--fund F] [--as-of YYYY-MM-DD] [--known-at T] [--json]',
  options: {
    ...REPLAY_OPTIONS,
    json: { type: 'boolean', description: 'print the balance sheet as JSON' },
  },
  async run(values, _positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    const sheet = await queries.balanceSheet(fund, { asOf, knownAt });
    if (values.json) out(JSON.stringify(sheet, null, 2));
    else render(sheet).forEach(out);
    return 0;
  },
};
