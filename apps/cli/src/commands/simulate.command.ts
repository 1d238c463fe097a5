import type { Admission, FormattedFigures, FormattedOutcome, LpCommitmentSimulation } from '@fundsim/application';
import { FUND_SCENARIO_NAMES } from '@fundsim/simulation';
import { dateOf, fundOf, money, parseNonNegativeInt, percent, REPLAY_OPTIONS, table, UsageError, WIDTH, wrap, type Command } from '../command';

const pct = (s: string | null) => (s === null ? 'n/a' : `${(Number(s) * 100).toFixed(2)}%`);
const na = (s: string | null) => s ?? 'n/a';

/** Payback in years; n/a: not within the horizon. */
const years = (s: string | null) => (s === null ? 'n/a' : s);

function metricRows(o: FormattedOutcome): string[][] {
  const rows: [string, FormattedFigures | null][] = [
    ['gross', o.gross],
    ['net', o.netOfCarry],
  ];
  const present = rows.filter((r): r is [string, FormattedFigures] => r[1] !== null);
  const label = (name: string, figure: string) => (o.netOfCarry ? `${name} ${figure}` : figure);
  const row = (
    figure: string,
    pick: (f: FormattedFigures) => Record<'p5' | 'p25' | 'p50' | 'p75' | 'p95', string | null>,
    show: (s: string | null) => string,
  ) =>
    present.map(([name, f]) => {
      const p = pick(f);
      return [label(name, figure), show(p.p5), show(p.p25), show(p.p50), show(p.p75), show(p.p95)];
    });
  return [
    ...row('IRR', (f) => f.irr, pct),
    ...row('TVPI', (f) => f.tvpi, na),
    ...row('DPI', (f) => f.dpi, na),
    ...row('PME', (f) => f.pme, na),
    ...row('ending NAV', (f) => f.endingNav, money),
    ...row('deepest cash-out', (f) => f.deepestCashOut, money),
    ...row('payback, years', (f) => f.paybackYears, years),
  ];
}

/** p50 (p5-p95) of an amount. */
const spread = (p: { p5: string | null; p50: string | null; p95: string | null }) => `${money(p.p50)} (${money(p.p5)}-${money(p.p95)})`;

/** p50 (p5-p95) of an amount; the p50 alone when every path has the same. */
const band = (p: { p5: string | null; p50: string | null; p95: string | null }) => (p.p5 === p.p95 ? money(p.p50) : spread(p));

/** The admission block: what the books' rules make of the commitment, and what it would own. */
export function admissionLines(a: Admission): string[] {
  const lines = [
    `Admitted at close ${a.closeNumber}: ${money(a.admittedUsd)} USD${a.commitment.fxRate ? ` at USD/JPY ${a.commitment.fxRate}` : ''}${a.scaledBack ? ' (scaled back at the hard cap)' : ''}; ownership ${percent(a.ownership)}${a.bearsCarry ? '' : '; exempt from carry'}`,
    a.afterFirstClose
      ? `Equalization on joining after the first close: catch-up ${money(a.catchUpUsd)} (capital) + interest ${money(a.equalizationInterestUsd)} = ${money(a.equalizationPaymentUsd)} USD`
      : 'Joining at the first close: no equalization',
  ];
  if (a.lookThrough.projects.length)
    lines.push(
      '',
      ...table(
        ['LOOK-THROUGH', 'SECTOR', 'EXPOSURE (USD)'],
        a.lookThrough.projects.map((p) => [p.projectId, p.sector, money(p.exposureUsd)]),
      ),
    );
  return lines;
}

const TITLES: Record<string, string> = { USD: 'USD', JPY: 'JPY, unhedged', JPYHedged: 'JPY, hedged (rolling 3-month forwards on its net assets)' };

/** The outcome tables, the probability of loss, the payback, and what the LP pays in fees, interest, carry and hedging, in each currency. */
export function outcomeLines(results: Record<string, FormattedOutcome | undefined>, quarters: number): string[] {
  const lines: string[] = [];
  for (const [key, outcome] of Object.entries(results)) {
    if (!outcome) continue;
    const currency = key.slice(0, 3);
    lines.push(
      '',
      ...wrap(
        `Outcomes in ${TITLES[key] ?? key}, ${quarters} quarters (percentiles over paths; the fund's leverage and its cost included; loss = TVPI below 1; PME: Kaplan-Schoar against the simulated index; payback: years until the cash is back, n/a: not within the horizon):`,
        WIDTH,
      ),
      '',
    );
    lines.push(...table(['', 'P5', 'P25', 'P50', 'P75', 'P95'], metricRows(outcome)));
    const net = outcome.netOfCarry;
    lines.push(
      `Probability of loss: ${pct(outcome.gross.probabilityOfLoss)}${net ? ` gross, ${pct(net.probabilityOfLoss)} net of carry` : ''}; paid back within the horizon: ${pct((net ?? outcome.gross).paidBack)}`,
      ...wrap(
        `Paid over the horizon, in ${currency} (p50, p5-p95): fees ${spread(outcome.fees)}; interest ${spread(outcome.interest)}${outcome.carry ? `; carry ${spread(outcome.carry)}` : ''}`,
        WIDTH,
      ),
    );
    if (outcome.hedge)
      lines.push(
        ...wrap(`The hedge: its cost (the forward points) ${spread(outcome.hedge.cost)}; its settlements, summed, ${spread(outcome.hedge.settlements)}`, WIDTH),
      );
    if (net) lines.push("Net: after the fund's waterfall (its distributions through the tiers, its net assets less the carry accrued).");
  }
  return lines;
}

/** The projected schedule in one currency, every fourth quarter: calls, distributions, net assets (net of carry) and what is still to be called. */
export function scheduleLines(outcome: FormattedOutcome, title: string): string[] {
  const rows = outcome.schedule.filter((s) => s.quarter % 4 === 0 || s.quarter === outcome.schedule.length - 1);
  return [
    '',
    ...wrap(`Projected schedule in ${title}, net of carry, every fourth quarter (median, p5-p95 where the paths differ):`, WIDTH),
    '',
    ...table(
      ['DATE', 'CALLS', 'DISTRIBUTIONS', 'NAV', 'UNFUNDED'],
      rows.map((s) => [s.date, band(s.calls), band(s.distributions), band(s.nav), band(s.unfunded)]),
    ),
  ];
}

function render(r: LpCommitmentSimulation): string[] {
  const a = r.admission;
  const lines = [
    `Simulated commitment of ${money(a.commitment.amount)} ${a.commitment.currency} to fund ${r.fundId} on ${r.input.date} (${r.input.scenario} scenario, ${r.paths.toLocaleString('en-US')} paths, seed ${r.input.seed})`,
    ...wrap(
      "A new LP of the fund model: admitted on a copy of the books by their own rules, then called, charged and paid its share on the fund's own paths (the engine of simulate-fund --commit).",
      WIDTH,
    ),
    '',
    ...admissionLines(a),
    ...(r.sale
      ? wrap(
          `Sold on the secondary market in year ${r.sale.year} (${r.sale.date}): at its net assets less a discount of ${pct(r.sale.discount.p5)} to ${pct(r.sale.discount.p95)} (p5-p95; median ${pct(r.sale.discount.p50)}), for ${money(r.sale.priceUsd.p50 ?? '0')} USD at the median; the outcomes below end there.`,
          WIDTH,
        )
      : []),
    ...outcomeLines(r.results, r.quarters),
  ];
  lines.push(...scheduleLines(r.results.USD, 'USD'));
  if (r.results.JPY)
    lines.push(...scheduleLines(r.results.JPY, "JPY, unhedged (every flow at its quarter's USD/JPY; the unfunded commitment is a dollar obligation)"));
  lines.push('', 'Nothing was written to the fund: use --json for every quarter and figure.');
  return lines;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: "Simulate a retail commitment as a new LP on the fund's paths: what it owns and might return (never writes)",
  usage:
    'fundsim simulate --amount 10000 --currency USD|JPY [--fund F] [--date YYYY-MM-DD] [--scenario base] [--paths 10000] [--seed 42] [--set name=value ...] [--json]',
  options: {
    fund: REPLAY_OPTIONS.fund,
    amount: { type: 'string', value: 'A', description: "the commitment, in its currency's units" },
    currency: { type: 'string', value: 'CCY', description: 'USD or JPY' },
    date: { type: 'string', value: 'DATE', description: "when it would be committed and admitted (default: the books' latest date)" },
    scenario: { type: 'string', value: 'NAME', description: FUND_SCENARIO_NAMES.join(', ') + ' (default base)' },
    paths: { type: 'string', value: 'N', description: 'Monte Carlo paths, 1 to 1,000,000 (default 10,000)' },
    seed: { type: 'string', value: 'S', description: 'seed: the same input and seed give the same output (default 42)' },
    'lp-kind': { type: 'string', value: 'K', description: 'retail (default), institutional or sovereign' },
    country: { type: 'string', value: 'CC', description: 'ISO country code (default US for USD, JP for JPY)' },
    set: { type: 'string', value: 'K=V', description: 'override a fund model parameter (repeatable via commas: growth=0.06,quarters=48)' },
    json: { type: 'boolean', description: 'print the whole result as JSON' },
  },
  async run(values, _positionals, ctx) {
    const { simulation, out, err } = ctx;
    for (const required of ['amount', 'currency']) if (typeof values[required] !== 'string') throw new UsageError(`--${required} is required`);
    const fund = await fundOf(values, ctx);
    const date = await dateOf(values, 'date', fund, ctx);
    const currency = values.currency as string;
    if (currency !== 'USD' && currency !== 'JPY') throw new UsageError(`--currency must be USD or JPY, got ${JSON.stringify(currency)}`);
    const paths = parseNonNegativeInt(values.paths, 'paths', 1) ?? 10_000;
    const seed = parseNonNegativeInt(values.seed, 'seed') ?? 42;
    const parameters = parseSets(values.set);
    const progress = pathsProgress(err);
    const result = await simulation.simulateCommitment(
      fund,
      {
        amount: values.amount as string,
        currency,
        date,
        scenario: (values.scenario as string | undefined) ?? 'base',
        paths,
        seed,
        lpKind: values['lp-kind'] as 'retail' | undefined,
        country: values.country as string | undefined,
        parameters,
      },
      { onProgress: progress },
    );
    if (values.json) out(JSON.stringify(result, null, 2));
    else render(result).forEach(out);
    return 0;
  },
};

/** --set name=value[,name=value...]: each value a number, or a list of numbers separated by ';'. */
export function parseSets(set: string | boolean | undefined): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  if (typeof set !== 'string') return parameters;
  for (const pair of set.split(',')) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined) throw new UsageError(`--set takes name=value pairs, got ${JSON.stringify(pair)}`);
    parameters[key.trim()] = value.includes(';') ? value.split(';').map((v) => numberIn(key.trim(), v, value)) : numberIn(key.trim(), value, value);
  }
  return parameters;
}

/** Progress on stderr when it is a terminal, a bar per tenth of the paths, once the run has lasted a second. */
export function pathsProgress(err: (line: string) => void): (done: number, total: number) => void {
  if (!process.stderr.isTTY) return () => undefined;
  const started = Date.now();
  let tenths = 0;
  return (done, total) => {
    const now = Math.floor((done * 10) / total);
    if (now <= tenths || Date.now() - started < 1000) return;
    tenths = now;
    err(`[${'#'.repeat(now * 3).padEnd(30, '.')}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} paths`);
  };
}

/** One number of a --set value, strictly: "0.3;" is not the list [0.3, 0], nor "" a zero. */
function numberIn(key: string, text: string, whole: string): number {
  if (!/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()))
    throw new UsageError(`--set ${key}=${whole}: ${JSON.stringify(text)} is not a number${whole.includes(';') ? ' (a list is numbers separated by ;)' : ''}`);
  return Number(text);
}
