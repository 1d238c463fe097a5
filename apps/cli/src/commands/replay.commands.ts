import { registerCsv, type CapitalAccount, type FundPerformance, type Performance } from '@fundsim/projections';
import { fundAndDate, money, parseNonNegativeInt, percent, REPLAY_OPTIONS, table, UsageError, WIDTH, wrap, type Command } from '../command';

const metrics = (p: Performance): string[] => [
  p.currency,
  money(p.paidIn),
  money(p.distributed),
  money(p.residualValue),
  p.xirr ?? 'n/a',
  p.tvpi ?? 'n/a',
  p.dpi ?? 'n/a',
  p.rvpi ?? 'n/a',
];
const labelled = (p: Performance, label: string): string[] => [`${p.currency}${label}`, ...metrics(p).slice(1)];
const METRICS_HEADER = ['', 'PAID IN', 'DISTRIBUTED', 'RESIDUAL', 'XIRR', 'TVPI', 'DPI', 'RVPI'];

/** What the residual value (the multiples' numerator besides distributions) is made of, when it is not just NAV. */
function residualNote(p: Performance): string[] {
  if (p.distributionsPayable === p.contributionsOwed) return [];
  return [
    `Residual value ${money(p.residualValue)} = NAV ${money(p.nav)} + distributions payable ${money(p.distributionsPayable)}`,
    `  - contributions owed ${money(p.contributionsOwed)} (${p.currency})`,
  ];
}

/** "12,125.58 USD (1,850,000 JPY)": the admitted commitment, and what was subscribed when a close scaled it back. */
function commitmentText(c: CapitalAccount['commitment']): string {
  const amounts = (usd: string, local: string) => `${money(usd)} USD${c.currency === 'JPY' ? ` (${money(local)} JPY)` : ''}`;
  return `${amounts(c.usd, c.local)}${c.scaledBack ? `, scaled back from ${amounts(c.subscribedUsd, c.subscribedLocal)} subscribed` : ''}`;
}

function renderAccount(a: CapitalAccount): string[] {
  const r = a.rollForward;
  const rows: [string, string][] = [
    ['Beginning NAV', r.beginningNav],
    ['+ Contributions', r.contributions],
    ['- Distributions', r.distributions],
    // A fund with a waterfall: the LP's share of what the managers received.
    ...(r.carriedInterest === '0.00' ? [] : [['- Carried interest', r.carriedInterest] as [string, string]]),
    ['- Management fees', r.managementFees],
    ['- Fund expenses', r.expenses],
    ['- Interest (leverage)', r.interest],
    ['+ Income', r.income],
    ['+ Realized gain', r.realizedGain],
    ['+ Change in unrealized gain', r.changeInUnrealizedGain],
    ['Ending NAV', r.endingNav],
  ];
  const width = Math.max(...rows.map(([, v]) => money(v).length));
  return [
    `Capital account of ${a.lpId} (${a.kind}, ${a.country}, ${a.currency}) in fund ${a.fundId}`,
    `Period ${a.from ?? 'inception'} to ${a.asOf}${a.knownAt ? `, as known at ${a.knownAt}` : ''}; amounts in USD`,
    '',
    ...table(
      ['', 'USD'],
      rows.map(([label, value]) => [label, money(value).padStart(width)]),
    ),
    '',
    ...wrap(`Commitment ${commitmentText(a.commitment)}, unfunded ${money(a.unfunded)}, ownership ${percent(a.ownership)}`, WIDTH),
    ...(a.equalizationInterestPaid !== '0.00' ? [`Equalization interest paid at admission (outside capital): ${money(a.equalizationInterestPaid)}`] : []),
    ...(a.defaultedUnpaid !== '0.00' ? [`Defaulted and unpaid: ${money(a.defaultedUnpaid)}`] : []),
    ...(a.contributionsReceivable !== '0.00' ? [`Called, not yet due: ${money(a.contributionsReceivable)}`] : []),
    // A fund with a waterfall: the carry this LP bore, and its NAV before the carry accrued.
    ...(a.grossPerformance.length
      ? wrap(
          `Carried interest: paid ${money(r.carriedInterestPaid)}, change in accrued ${money(r.changeInAccruedCarry)}; its share of the carry accrued ${money(a.accruedCarry)}, NAV before it ${money(a.grossNav)}`,
          WIDTH,
        )
      : []),
    '',
    // A fund with a waterfall: net of carried interest, and gross (the carry borne added back).
    ...table(METRICS_HEADER, [
      ...a.performance.map((p) => labelled(p, a.grossPerformance.length ? ' net' : '')),
      ...a.grossPerformance.map((p) => labelled(p, ' gross')),
    ]),
    ...a.performance.flatMap(residualNote),
    ...(a.lookThrough.projects.length
      ? [
          '',
          ...table(
            ['LOOK-THROUGH', 'SECTOR', 'EXPOSURE (USD)'],
            a.lookThrough.projects.map((p) => [p.projectId, p.sector, money(p.exposure)]),
          ),
        ]
      : []),
  ];
}

export const lpCommand: Command = {
  name: 'lp',
  summary: "An LP's capital account for a period: ILPA roll-forward, ownership, look-through, performance",
  usage: 'fundsim lp <lpId> [--fund F] [--as-of YYYY-MM-DD] [--from YYYY-MM-DD] [--known-at T] [--json]',
  options: {
    ...REPLAY_OPTIONS,
    from: { type: 'string', value: 'DATE', description: 'first day of the period (default: inception)' },
    json: { type: 'boolean', description: 'print the account as JSON' },
  },
  async run(values, positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    const [lpId] = positionals;
    if (lpId === undefined || positionals.length > 1) throw new UsageError('Name one LP: fundsim lp <lpId> --fund F --as-of D');
    const account = await queries.capitalAccount(fund, lpId, { asOf, knownAt, from: typeof values.from === 'string' ? values.from : undefined });
    if (values.json) out(JSON.stringify(account, null, 2));
    else renderAccount(account).forEach(out);
    return 0;
  },
};

export const registerCommand: Command = {
  name: 'register',
  exclusive: [['json', 'csv']],
  summary: "Every LP's net assets on a date, summing to the fund's net assets (a page, or all as CSV)",
  usage: 'fundsim register [--fund F] [--as-of YYYY-MM-DD] [--known-at T] [--offset N] [--limit N] [--json | --csv]',
  options: {
    ...REPLAY_OPTIONS,
    offset: { type: 'string', value: 'N', description: 'LPs to skip, by LP id (default 0)' },
    limit: { type: 'string', value: 'N', description: 'LPs to show (default 50)' },
    json: { type: 'boolean', description: 'print the page as JSON' },
    csv: { type: 'boolean', description: 'print the whole register as CSV' },
  },
  async run(values, _positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    if (values.csv) {
      for (const line of registerCsv(await queries.registerRows(fund, { asOf, knownAt }))) out(line.trimEnd());
      return 0;
    }
    const page = await queries.register(
      fund,
      { asOf, knownAt },
      parseNonNegativeInt(values.offset, 'offset') ?? 0,
      parseNonNegativeInt(values.limit, 'limit', 1) ?? 50,
    );
    if (values.json) {
      out(JSON.stringify(page, null, 2));
      return 0;
    }
    out(
      `Register of fund ${fund} as of ${asOf}${page.knownAt ? `, as known at ${page.knownAt}` : ''}: ${page.total} LPs, net assets ${money(page.netAssets)} USD`,
    );
    out('');
    table(
      ['LP', 'KIND', 'COUNTRY', 'CCY', 'COMMITMENT', 'CONTRIBUTED', 'NAV', 'OWNERSHIP'],
      page.rows.map((r) => [r.lpId, r.kind, r.country, r.currency, money(r.commitmentUsd), money(r.contributions), money(r.netAssets), percent(r.ownership)]),
    ).forEach(out);
    if (page.offset + page.rows.length < page.total)
      out(`... ${page.total - page.offset - page.rows.length} more (--offset ${page.offset + page.rows.length}, or --csv for all)`);
    return 0;
  },
};

function renderPerformance(p: FundPerformance): string[] {
  const r = p.rollForward;
  return [
    `Fund performance as of ${p.asOf}${p.knownAt ? `, as known at ${p.knownAt}` : ''} (USD, all LPs together)`,
    '',
    ...table(
      ['SINCE INCEPTION', 'USD'],
      [
        ['Contributions', money(r.contributions)],
        ['Distributions', money(r.distributions)],
        ...(r.carriedInterest === '0.00' ? [] : [['Carried interest', money(r.carriedInterest)]]),
        ['Management fees', money(r.managementFees)],
        ['Fund expenses', money(r.expenses)],
        ['Interest (leverage)', money(r.interest)],
        ['Income', money(r.income)],
        ['Realized gain', money(r.realizedGain)],
        ['Unrealized gain', money(r.unrealizedGain)],
        // The LPs' capital: in a fund with a waterfall, the fund's net assets less the carry accrued to the managers.
        [r.carriedInterest === '0.00' ? 'Net assets' : "Net assets (the LPs')", money(r.netAssets)],
      ],
    ),
    '',
    ...table(
      ['FACILITIES', ...METRICS_HEADER.slice(1)],
      [
        ['with (as booked)', ...metrics(p.withFacility).slice(1)],
        ['without (ILPA)', ...metrics(p.withoutFacility).slice(1)],
        ['interest added back', ...metrics(p.interestAddedBack).slice(1)],
      ],
    ),
    ...residualNote(p.withFacility),
    '',
    ...wrap(
      `Without the facilities (ILPA): each draw called from the LPs on its date instead, each repayment and interest payment left with the LPs (the contributions that paid it made smaller, the rest distributed), no debt (${money(p.debt)}) or accrued interest in the residual. Interest added back is not ILPA's figure: it keeps the gains on the borrowed money, so it never falls below "with".`,
      WIDTH,
    ),
  ];
}

export const performanceCommand: Command = {
  name: 'performance',
  summary: "The fund's XIRR, TVPI, DPI, RVPI on a date, with and without its facilities (ILPA), and interest added back",
  usage: 'fundsim performance [--fund F] [--as-of YYYY-MM-DD] [--known-at T] [--json]',
  options: { ...REPLAY_OPTIONS, json: { type: 'boolean', description: 'print as JSON' } },
  async run(values, _positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    const performance = await queries.performance(fund, { asOf, knownAt });
    if (values.json) out(JSON.stringify(performance, null, 2));
    else renderPerformance(performance).forEach(out);
    return 0;
  },
};
