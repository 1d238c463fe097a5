import type { NetTransfer, Revenue, RevenueFigures, TransferFigures, WaterfallReport } from '@fundsim/projections';
import { dateOf, fundAndDate, fundOf, money, percent, REPLAY_OPTIONS, table, UsageError, WIDTH, wrap, type Command } from '../command';

function renderWaterfall(w: WaterfallReport): string[] {
  const t = w.terms;
  const pref = t.preferredReturn;
  const catchUp = t.catchUp === '0' ? 'no catch-up' : `catch-up ${percent(t.catchUp)}`;
  const a = w.account;
  const l = w.liquidation;
  const bearing = [t.carryBearing === 'all' ? 'all LPs' : 'the non-sovereign LPs', ...(t.carryExempt?.length ? [`but ${t.carryExempt.join(', ')}`] : [])].join(
    ' ',
  );
  const clawback = t.clawback
    ? `, clawback ${t.clawback.rule === 'rerun' ? 're-running the tiers over the life' : 'above the share of profit'}${t.clawback.taxRate ? ` net of tax at ${percent(t.clawback.taxRate)}` : ''}`
    : '';
  // With carry-exempt LPs: their share, paid whole outside the tiers.
  const exempt = w.distributions.some((d) => d.split.exempt !== undefined) || l.exempt !== undefined;
  return [
    `Waterfall of fund ${w.fundId} as of ${w.asOf}${w.knownAt ? `, as known at ${w.knownAt}` : ''} (USD)`,
    ...wrap(
      `Terms: ${t.style}, preferred return ${percent(pref.rate)} (${pref.compounding === 'annual' ? 'compounding yearly' : 'simple'}, ${pref.dayCount}, from the ${pref.accruesFrom === 'due-date' ? 'due date' : 'call date'}), ${catchUp}, carry ${percent(t.carriedInterest)}, borne by ${bearing}${clawback}`,
      WIDTH,
    ),
    `Net assets ${money(w.netAssets.fund)} = the LPs' ${money(w.netAssets.lps)} + the managers' accrued carry ${money(w.netAssets.managersAccruedCarry)}`,
    '',
    ...table(
      ["THE LPs' ACCOUNT WITH THE MANAGERS", 'TO DATE', `IF LIQUIDATED ${w.asOf}`],
      [
        ['Capital contributed / returned', `${money(a.contributed)} / ${money(a.returned)}`, money(l.returnOfCapital)],
        ...(a.capitalReturnable === undefined ? [] : [['Capital returnable, deal by deal', money(a.capitalReturnable), money(a.contributed)]]),
        ['Preferred return accrued / paid', `${money(a.preferredReturnAccrued)} / ${money(a.preferredReturnPaid)}`, money(l.preferredReturn)],
        ['Catch-up to the managers', money(a.catchUpToManagers), money(l.catchUpToManagers)],
        [
          'Carried interest tier: LPs / managers',
          `${money(a.carriedInterestToLps)} / ${money(a.carriedInterestToManagers)}`,
          `${money(l.carriedInterestToLps)} / ${money(l.carriedInterestToManagers)}`,
        ],
        ['Clawback the managers would owe', '', money(l.clawback)],
        ...(exempt ? [['To the LPs exempt from carry, whole', '', money(l.exempt ?? '0')]] : []),
      ],
    ),
    '',
    ...table(
      ['MANAGER', 'FEE SHARE', 'CARRY SHARE', 'LP', 'FEES', 'CARRY PAID', 'CARRY ACCRUED', 'TOTAL'],
      w.managers.map((m) => [
        m.manager,
        percent(m.feeShare),
        percent(m.share),
        m.lpId ?? '-',
        money(m.managementFees),
        money(m.carriedInterestPaid),
        money(m.carriedInterestAccrued),
        money(m.total),
      ]),
    ),
    ...(w.distributions.length
      ? [
          '',
          ...table(
            ['#', 'DECLARED', 'AMOUNT', ...(exempt ? ['EXEMPT, WHOLE'] : []), 'CAPITAL', 'PREFERRED', 'TO THE LPs', 'TO THE MANAGERS'],
            w.distributions.map((d) => [
              String(d.distributionNumber),
              d.date,
              money(d.amount),
              ...(exempt ? [money(d.split.exempt ?? '0')] : []),
              money(d.split.returnOfCapital),
              money(d.split.preferredReturn),
              money(d.split.toLps),
              money(d.split.toManagers),
            ]),
          ),
        ]
      : ['', 'No distribution declared yet.']),
    ...(w.deals
      ? [
          '',
          ...table(
            ['DEAL', 'FUNDED', 'HELD AT', 'WRITTEN DOWN', 'PROCEEDS', 'DISTRIBUTED', 'CAPITAL', 'PREFERRED', 'CATCH-UP', 'CARRY: LPs / MANAGERS'],
            w.deals.map((d) => [
              d.projectId ?? '(no deal)',
              money(d.funded),
              money(d.fairValue),
              money(d.writtenDown),
              money(d.proceeds),
              money(d.distributed),
              money(d.returnOfCapital),
              money(d.preferredReturn),
              money(d.catchUpToManagers),
              `${money(d.carriedInterestToLps)} / ${money(d.carriedInterestToManagers)}`,
            ]),
          ),
        ]
      : []),
  ];
}

export const waterfallCommand: Command = {
  name: 'waterfall',
  summary: "The distribution waterfall on a date: the tiers paid, the carry accrued, each distribution's split, the managers",
  usage: 'fundsim waterfall [--fund F] [--as-of YYYY-MM-DD] [--known-at T] [--json]',
  options: { ...REPLAY_OPTIONS, json: { type: 'boolean', description: 'print as JSON (with every tier of each distribution)' } },
  async run(values, _positionals, ctx) {
    const { queries, out } = ctx;
    const { fund, asOf, knownAt } = await fundAndDate(values, ctx);
    const report = await queries.waterfall(fund, { asOf, knownAt });
    if (values.json) out(JSON.stringify(report, null, 2));
    else renderWaterfall(report).forEach(out);
    return 0;
  },
};

function renderRevenue(r: Revenue, currency: 'USD' | 'JPY'): string[] {
  const figures = (q: { usd: RevenueFigures; jpy: RevenueFigures | null }) => (currency === 'JPY' ? q.jpy! : q.usd);
  const total = figures(r.total);
  const row = (label: string, f: RevenueFigures) => [
    label,
    money(f.managementFees),
    money(f.carriedInterestPaid),
    money(f.carriedInterestAccrued),
    money(f.asLp?.profit ?? null),
    money(f.income),
  ];
  const shares = r.feeShare === r.share ? `${percent(r.share)} of fees and carry` : `${percent(r.feeShare)} of fees, ${percent(r.share)} of carry`;
  return [
    `Revenue of ${r.manager} (${shares} on ${r.to}) from fund ${r.fundId}, ${r.from} to ${r.to}${r.knownAt ? `, as known at ${r.knownAt}` : ''}`,
    ...wrap(
      `In ${currency}${currency === 'JPY' ? ', each quarter at the USD/JPY rate recorded for its last day (so the LP figures below do not add up to its profit: the rate moved between quarters)' : ''}. As an LP: ${r.lpId ?? 'no LP account named in the terms'}${total.asLp ? `, contributed ${money(total.asLp.contributions)}, received ${money(total.asLp.distributions)}, net assets at the end ${money(total.asLp.netAssets)}` : ''}.`,
      WIDTH,
    ),
    '',
    ...table(
      ['QUARTER', 'FEES', 'CARRY PAID', 'CARRY ACCRUED (CHANGE)', 'PROFIT AS LP', 'INCOME'],
      [...r.quarters.map((q) => row(quarterLabel(q), figures(q))), row('Total', total)],
    ),
    ...partialNote(r.quarters),
    ...(r.transfer ? ['', ...renderTransfer(r.manager, r.transfer, currency)] : []),
  ];
}

/** A quarter the period cuts is marked, and said below the table. */
const quarterLabel = (q: { quarter: string; partial: boolean }) => (q.partial ? `${q.quarter}*` : q.quarter);
const partialNote = (quarters: readonly { quarter: string; from: string; to: string; partial: boolean }[]): string[] =>
  quarters.filter((q) => q.partial).map((q) => `* ${q.quarter}: part of the quarter only, ${q.from} to ${q.to}.`);

/** The government paying as an LP against receiving as manager, by quarter: carry is paid plus the change in accrued. */
function renderTransfer(manager: string, t: NetTransfer, currency: 'USD' | 'JPY'): string[] {
  const figures = (q: { usd: TransferFigures; jpy: TransferFigures | null }) => (currency === 'JPY' ? q.jpy! : q.usd);
  const row = (label: string, f: TransferFigures) => [
    label,
    money(f.paidAsLp.managementFees),
    money(f.paidAsLp.carriedInterest),
    money(f.paidAsLp.feesAndCarry),
    money(f.receivedAsManager.total),
    money(f.net),
    money(f.paidAsLp.expenses),
  ];
  const total = figures(t.total);
  return [
    ...wrap(
      `Net transfer: ${manager}'s government, as LP ${t.lps.join(', ')}, pays its share of the fees and carry (paid, and the change in accrued) and receives ${manager}'s; net = received - paid (${money(total.net)} ${currency} in all). Expenses borne go to others, outside the net.`,
      WIDTH,
    ),
    '',
    ...table(
      ['QUARTER', 'FEES PAID AS LP', 'CARRY PAID AS LP', 'PAID AS LP', 'RECEIVED AS MANAGER', 'NET', 'EXPENSES BORNE'],
      [...t.quarters.map((q) => row(quarterLabel(q), figures(q))), row('Total', total)],
    ),
    ...partialNote(t.quarters),
  ];
}

export const revenueCommand: Command = {
  name: 'revenue',
  summary: "A manager's revenue by quarter, and its government's net: fees and carry paid as an LP against received as manager",
  usage: 'fundsim revenue --manager M [--fund F] [--to YYYY-MM-DD] [--from YYYY-MM-DD] [--known-at T] [--currency USD|JPY] [--json]',
  options: {
    fund: REPLAY_OPTIONS.fund,
    manager: { type: 'string', value: 'M', description: 'the manager (us-treasury, jp-mof)' },
    from: { type: 'string', value: 'DATE', description: "first day (default: the fund's inception)" },
    to: { type: 'string', value: 'DATE', description: "last day (default: the books' latest date)" },
    'known-at': REPLAY_OPTIONS['known-at'],
    currency: { type: 'string', value: 'CCY', description: "USD (default) or JPY: for a manager whose LP account is in yen, at each quarter's rate" },
    json: { type: 'boolean', description: 'print as JSON (both currencies, and the LP distributions)' },
  },
  async run(values, _positionals, ctx) {
    const { queries, out } = ctx;
    const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const manager = str('manager');
    if (!manager) throw new UsageError('--manager is required: whose revenue (us-treasury, jp-mof)');
    const fund = await fundOf(values, ctx);
    const to = await dateOf(values, 'to', fund, ctx);
    const currency = (str('currency') ?? 'USD').toUpperCase();
    if (currency !== 'USD' && currency !== 'JPY') throw new UsageError(`--currency must be USD or JPY, got ${currency}`);
    const revenue = await queries.revenue(fund, manager, { from: str('from'), to, knownAt: str('known-at') });
    if (values.json) {
      out(JSON.stringify(revenue, null, 2));
      return 0;
    }
    if (currency === 'JPY' && revenue.total.jpy === null)
      throw new UsageError(`${manager}'s LP account is not in yen (or a quarter has no USD/JPY rate): no yen figures`);
    renderRevenue(revenue, currency).forEach(out);
    return 0;
  },
};
