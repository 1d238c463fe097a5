import { ILPA_COLUMNS, ilpaStatementCsv, type Columns, type IlpaStatement } from '@fundsim/projections';
import { fundAndDate, money, REPLAY_OPTIONS, table, UsageError, type Command } from '../command';

const HEADER = ['', 'PERIOD', 'YEAR TO DATE', 'SINCE INCEPTION'];

/** "changeInUnrealizedGain" -> "Change in unrealized gain": a label from the JSON key, so a new line needs no change here. */
const label = (key: string): string => {
  const words = key
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase()
    .replace(/\bnav\b/, 'NAV');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const rows = <T>(lines: { [K in keyof T]: Columns }): string[][] =>
  Object.entries<Columns>(lines).map(([k, cols]) => [label(k), ...ILPA_COLUMNS.map((c) => money(cols[c]))]);

function render(s: IlpaStatement): string[] {
  return [
    `ILPA statement of ${s.lpId} (${s.currency}) in fund ${s.fundId} as of ${s.asOf}${s.knownAt ? `, as known at ${s.knownAt}` : ''}`,
    `Period from ${s.dates.period.from}; year to date from ${s.dates.yearToDate.from}; since inception; each to ${s.asOf}`,
    'Each line signed as it moves net assets: beginning NAV + the lines = ending NAV.',
    '',
    ...table(['USD', ...HEADER.slice(1)], rows(s.rollForward)),
    '',
    ...table(['UNFUNDED COMMITMENT (USD)', ...HEADER.slice(1)], rows(s.commitment)),
    ...(s.yen
      ? [
          '',
          `In yen: the opening NAV at the USD/JPY rate the day before each column starts (${ILPA_COLUMNS.map((c) => s.yen!.rates[c].opening ?? '-').join(' / ')}),`,
          `every line and the ending NAV at the rate on ${s.asOf} (${s.yen.rates.period.closing}); the difference is the currency translation.`,
          ...table(['JPY', ...HEADER.slice(1)], rows(s.yen.rollForward)),
        ]
      : []),
  ];
}

export const ilpaStatementCommand: Command = {
  name: 'ilpa-statement',
  exclusive: [['json', 'csv']],
  summary: "An LP's ILPA statement: period, year to date, since inception; unfunded commitment; yen too",
  usage: 'fundsim ilpa-statement <lpId> [--fund F] [--as-of YYYY-MM-DD] [--from YYYY-MM-DD] [--known-at T] [--json | --csv]',
  options: {
    ...REPLAY_OPTIONS,
    from: { type: 'string', value: 'DATE', description: "first day of the period column (default: the first day of the as-of date's quarter)" },
    json: { type: 'boolean', description: 'print the statement as JSON' },
    csv: { type: 'boolean', description: 'print it as CSV: line,period,year_to_date,inception_to_date' },
  },
  async run(values, positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    const [lpId] = positionals;
    if (lpId === undefined || positionals.length > 1) throw new UsageError('Name one LP: fundsim ilpa-statement <lpId> --fund F --as-of D');
    const statement = await queries.ilpaStatement(fund, lpId, { asOf, knownAt, from: typeof values.from === 'string' ? values.from : undefined });
    if (values.json) out(JSON.stringify(statement, null, 2));
    else if (values.csv) for (const line of ilpaStatementCsv(statement)) out(line.trimEnd());
    else render(statement).forEach(out);
    return 0;
  },
};
