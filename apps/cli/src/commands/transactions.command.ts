import type { TransactionLedger } from '@fundsim/projections';
import { fundAndDate, money, REPLAY_OPTIONS, table, UsageError, type Command } from '../command';

function renderLedger(l: TransactionLedger): string[] {
  const c = l.closing;
  return [
    `Transactions of ${l.lpId} in fund ${l.fundId}, inception to ${l.asOf}${l.knownAt ? `, as known at ${l.knownAt}` : ''}; amounts in USD`,
    'AMOUNT moves its capital account (NAV); CASH is paid by it (-) or to it (+); P&L is allocated at quarter ends.',
    '',
    ...table(
      ['DATE', 'POSITION', 'ENTRY', 'AMOUNT', 'CASH', 'NAV', 'UNFUNDED'],
      l.transactions.map((t) => [
        t.date,
        t.position === null ? '' : String(t.position),
        t.line ?? t.kind,
        money(t.amount),
        money(t.cash),
        money(t.balance.nav),
        money(t.balance.unfunded),
      ]),
    ),
    '',
    `Closing: commitment ${money(c.commitment)}, unfunded ${money(c.unfunded)}, contributions ${money(c.contributions)}, distributions ${money(c.distributions)},`,
    `carried interest ${money(c.carriedInterest)}, NAV ${money(c.nav)}; paid in ${money(c.paidIn)}, received ${money(c.received)} (they tie to \`fundsim lp\`)`,
  ];
}

export const transactionsCommand: Command = {
  name: 'transactions',
  summary: "An LP's transaction ledger: every entry of its capital account, with log positions and running balances",
  usage: 'fundsim transactions <lpId> [--fund F] [--as-of YYYY-MM-DD] [--known-at T] [--json]',
  options: { ...REPLAY_OPTIONS, json: { type: 'boolean', description: "print the ledger as JSON (with each entry's description and every balance)" } },
  async run(values, positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    const [lpId] = positionals;
    if (lpId === undefined || positionals.length > 1) throw new UsageError('Name one LP: fundsim transactions <lpId> --fund F --as-of D');
    const ledger = await queries.transactions(fund, lpId, { asOf, knownAt });
    if (values.json) out(JSON.stringify(ledger, null, 2));
    else renderLedger(ledger).forEach(out);
    return 0;
  },
};
