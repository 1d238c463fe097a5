import type { FormattedFigures, FormattedOutcome, LpCommitmentSimulation } from '@fundsim/application';
import { SCENARIO_NAMES } from '@fundsim/simulation';
import { dateOf, fundOf, money, parseNonNegativeInt, percent, REPLAY_OPTIONS, table, UsageError, type Command } from '../command';

const pct = (s: string | null) => (s === null ? 'n/a' : `${(Number(s) * 100).toFixed(2)}%`);

function metricRows(label: string, o: FormattedOutcome): string[][] {
  const irr = (name: string, f: FormattedFigures) => [name, pct(f.irr.p5), pct(f.irr.p25), pct(f.irr.p50), pct(f.irr.p75), pct(f.irr.p95)];
  const tvpi = (name: string, f: FormattedFigures) => [name, f.tvpi.p5, f.tvpi.p25, f.tvpi.p50, f.tvpi.p75, f.tvpi.p95];
  const gross = o.netOfCarry ? ' gross' : '';
  return [
    irr(`${label}${gross} IRR`, o),
    // A fund with a waterfall: net of carried interest too.
    ...(o.netOfCarry ? [irr(`${label} net IRR`, o.netOfCarry)] : []),
    tvpi(`${label}${gross} TVPI`, o),
    ...(o.netOfCarry ? [tvpi(`${label} net TVPI`, o.netOfCarry)] : []),
    [`${label}${gross} DPI`, o.dpi.p5, o.dpi.p25, o.dpi.p50, o.dpi.p75, o.dpi.p95],
    [`${label}${gross} ending NAV`, money(o.endingNav.p5), money(o.endingNav.p25), money(o.endingNav.p50), money(o.endingNav.p75), money(o.endingNav.p95)],
  ];
}

function render(r: LpCommitmentSimulation): string[] {
  const a = r.admission;
  const lines = [
    `Simulated commitment of ${money(a.commitment.amount)} ${a.commitment.currency} to fund ${r.fundId} on ${r.input.date} (${r.input.scenario} scenario, ${r.paths.toLocaleString('en-US')} paths, seed ${r.input.seed})`,
    '',
    `Admitted at close ${a.closeNumber}: ${money(a.admittedUsd)} USD${a.commitment.fxRate ? ` at USD/JPY ${a.commitment.fxRate}` : ''}${a.scaledBack ? ' (scaled back at the hard cap)' : ''}; ownership ${percent(a.ownership)}`,
    a.afterFirstClose
      ? `Equalization on joining after the first close: catch-up ${money(a.catchUpUsd)} + interest ${money(a.equalizationInterestUsd)} = ${money(a.equalizationPaymentUsd)} USD`
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
  for (const [currency, outcome] of Object.entries(r.results)) {
    lines.push('', `Outcomes in ${currency}, ${r.quarters} quarters (percentiles over paths; loss = TVPI below 1):`, '');
    lines.push(
      ...table(
        ['', 'P5', 'P25', 'P50', 'P75', 'P95'],
        [...metricRows('with leverage', outcome.withLeverage), ...metricRows('without leverage', outcome.withoutLeverage)],
      ),
    );
    const net = outcome.withLeverage.netOfCarry && outcome.withoutLeverage.netOfCarry;
    lines.push(
      `Probability of loss: ${pct(outcome.withLeverage.probabilityOfLoss)} with leverage, ${pct(outcome.withoutLeverage.probabilityOfLoss)} without${net ? ` (net of carry: ${pct(outcome.withLeverage.netOfCarry!.probabilityOfLoss)}, ${pct(outcome.withoutLeverage.netOfCarry!.probabilityOfLoss)})` : ''}`,
    );
    if (net) lines.push("Net: after the fund's waterfall (each distribution through its tiers, the ending NAV less the carry accrued).");
  }
  const usd = r.results.USD!.withLeverage.schedule;
  lines.push('', 'Projected schedule in USD with leverage, every fourth quarter (median, p5-p95):', '');
  lines.push(
    ...table(
      ['QUARTER', 'DATE', 'CALLS', 'DISTRIBUTIONS', 'NAV'],
      usd
        .filter((s) => s.quarter % 4 === 0 || s.quarter === usd.length - 1)
        .map((s) => [
          String(s.quarter),
          s.date,
          `${money(s.calls.p50)} (${money(s.calls.p5)}-${money(s.calls.p95)})`,
          `${money(s.distributions.p50)} (${money(s.distributions.p5)}-${money(s.distributions.p95)})`,
          `${money(s.nav.p50)} (${money(s.nav.p5)}-${money(s.nav.p95)})`,
        ]),
    ),
  );
  lines.push('', 'Nothing was written to the fund: use --json for every quarter and figure.');
  return lines;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Simulate a retail LP commitment: what it owns and what might happen to it (never writes)',
  usage:
    'fundsim simulate --amount 10000 --currency USD|JPY [--fund F] [--date YYYY-MM-DD] [--scenario base] [--paths 10000] [--seed 42] [--set name=value ...] [--json]',
  options: {
    fund: REPLAY_OPTIONS.fund,
    amount: { type: 'string', value: 'A', description: "the commitment, in its currency's units" },
    currency: { type: 'string', value: 'CCY', description: 'USD or JPY' },
    date: { type: 'string', value: 'DATE', description: "when it would be committed and admitted (default: the books' latest date)" },
    scenario: { type: 'string', value: 'NAME', description: SCENARIO_NAMES.join(', ') + ' (default base)' },
    paths: { type: 'string', value: 'N', description: 'Monte Carlo paths, 1 to 1,000,000 (default 10,000)' },
    seed: { type: 'string', value: 'S', description: 'seed: the same input and seed give the same output (default 42)' },
    'lp-kind': { type: 'string', value: 'K', description: 'retail (default), institutional or sovereign' },
    country: { type: 'string', value: 'CC', description: 'ISO country code (default US for USD, JP for JPY)' },
    set: { type: 'string', value: 'K=V', description: 'override a model parameter (repeatable via commas: growth=0.06,leverage=0.5)' },
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
