import type { FormattedBand, FundSimulation } from '@fundsim/application';
import { FUND_SCENARIO_NAMES } from '@fundsim/simulation';
import { dateOf, fundOf, money, parseNonNegativeInt, percent, REPLAY_OPTIONS, table, UsageError, WIDTH, wrap, type Command } from '../command';
import { admissionLines, outcomeLines, parseSets, pathsProgress } from './simulate.command';

const pct = (s: string | null) => (s === null ? 'n/a' : `${(Number(s) * 100).toFixed(2)}%`);
const na = (s: string | null) => s ?? 'n/a';
/** Amounts in billions of USD, for reading (--json has them to the cent). */
const bn = (s: string | null) => (s === null ? 'n/a' : (Number(s) / 1e9).toFixed(2));

function render(r: FundSimulation): string[] {
  const f = r.fork;
  const bands = (b: FormattedBand[], q: number) => b[q];
  const yearly = r.netAssets.map((_, q) => q).filter((q) => q % 4 === 0 || q === r.quarters);
  const lines = [
    `Fund ${r.fundId} run forward from its books on ${f.date}${r.input.knownAt ? `, as known at ${r.input.knownAt}` : ''} (${r.input.scenario} scenario, ${r.paths.toLocaleString('en-US')} paths, seed ${r.input.seed}, ${r.quarters} quarters)`,
    ...wrap(
      `The fork: net assets ${money(f.netAssets)}, debt ${money(f.debt)}, cash ${money(f.cash)}; ${percent(f.calledFraction)} of ${money(f.admitted)} called; ${f.projects} projects, ${f.allocationsToFund} allocations to fund (${f.allocationsAwaitingApproval} awaiting approval: all that the breakdown scenario stops); the fund ${f.fundAgeYears} years from its first close. Amounts below in USD billions.`,
      WIDTH,
    ),
    '',
    ...table(
      ['QUARTER', 'DATE', 'NET ASSETS P5', 'P50', 'P95', 'DEBT P50', 'P95', 'DEBT / CAP P50', 'P95', 'CASH P50'],
      yearly.map((q) => {
        const [nav, debt, ratio, cash] = [bands(r.netAssets, q), bands(r.debt, q), bands(r.leverageRatio, q), bands(r.cash, q)];
        return [String(q), nav.date, bn(nav.p5), bn(nav.p50), bn(nav.p95), bn(debt.p50), bn(debt.p95), ratio.p50, ratio.p95, bn(cash.p50)];
      }),
    ),
    '',
    `Liquidity shortfall (interest, fees, a funding or a matured facility not covered after calls and draws): ${pct(r.liquidityShortfall.probability)} of paths`,
    `The leverage cap binds on ${pct(r.capBinds.probability)} of paths${r.capBinds.firstQuarter ? `, first in quarter ${r.capBinds.firstQuarter.p50} (median; p5 ${r.capBinds.firstQuarter.p5}, p95 ${r.capBinds.firstQuarter.p95})` : ''}`,
    '',
    ...table(
      ['THE LPs TOGETHER, SINCE INCEPTION', 'P5', 'P25', 'P50', 'P75', 'P95'],
      [
        ...(['withLeverageCost', 'interestAddedBack', 'netOfCarry'] as const).flatMap((k) => {
          const x = r.fund[k];
          if (!x) return [];
          const label = k === 'withLeverageCost' ? 'with the cost of leverage' : k === 'interestAddedBack' ? 'with interest added back' : 'net of carry';
          return [
            [`IRR ${label}`, pct(x.irr.p5), pct(x.irr.p25), pct(x.irr.p50), pct(x.irr.p75), pct(x.irr.p95)],
            [`TVPI ${label}`, na(x.tvpi.p5), na(x.tvpi.p25), na(x.tvpi.p50), na(x.tvpi.p75), na(x.tvpi.p95)],
          ];
        }),
      ],
    ),
    '',
    ...table(
      ['SECTOR', 'FAIR VALUE AT THE END P5', 'P50', 'P95'],
      r.sectors.map((s) => [s.sector, bn(s.fairValue.p5), bn(s.fairValue.p50), bn(s.fairValue.p95)]),
    ),
  ];
  if (r.managers.length) {
    lines.push(
      '',
      ...table(
        ['GOVERNMENT, OVER THE HORIZON', 'FEES P50', 'CARRY P50', 'AS LP P50', 'TOTAL P5', 'P50', 'P95'],
        r.managers.map((m) => [m.manager, bn(m.fees.p50), bn(m.carriedInterest.p50), bn(m.asLp.p50), bn(m.total.p5), bn(m.total.p50), bn(m.total.p95)]),
      ),
    );
  }
  if (r.lp?.admission) {
    const a = r.lp.admission;
    lines.push(
      '',
      `A new commitment of ${money(a.commitment.amount)} ${a.commitment.currency} on ${f.date}, followed on the same paths as a new LP (as fundsim simulate runs it):`,
      ...admissionLines(a),
      ...outcomeLines(r.lp.results, r.quarters),
    );
  } else if (r.lp) {
    const lp = r.lp;
    const usd = lp.results.USD;
    const o = usd.netOfCarry ?? usd.gross;
    const end = usd.schedule[usd.schedule.length - 1];
    lines.push(
      '',
      ...wrap(
        `${lp.lpId} on the same paths (ownership ${percent(lp.ownership)}; from the fork, its net assets then as its stake, in USD${usd.netOfCarry ? ', net of carry' : ''}): IRR p5 ${pct(o.irr.p5)}, p50 ${pct(o.irr.p50)}, p95 ${pct(o.irr.p95)}; TVPI p5 ${na(o.tvpi.p5)}, p50 ${na(o.tvpi.p50)}, p95 ${na(o.tvpi.p95)}; net assets at the end p50 ${money(end.nav.p50)}.`,
        WIDTH,
      ),
    );
  }
  lines.push('', 'Nothing was written to the fund: use --json for every quarter and figure.');
  return lines;
}

export const simulateFundCommand: Command = {
  name: 'simulate-fund',
  summary: 'Simulate the fund itself forward from its books on a date: bands, leverage, liquidity, revenue (never writes)',
  usage:
    'fundsim simulate-fund [--fund F] [--from YYYY-MM-DD] [--known-at T] [--scenario base] [--paths 10000] [--seed 42] [--set k=v,...] [--lp L | --commit A [--currency USD|JPY]] [--json]',
  options: {
    fund: REPLAY_OPTIONS.fund,
    from: { type: 'string', value: 'DATE', description: "the fork: the books as of this date (default: the books' latest)" },
    'known-at': { type: 'string', value: 'T', description: 'the books as known then (date or ISO timestamp)' },
    scenario: { type: 'string', value: 'NAME', description: FUND_SCENARIO_NAMES.join(', ') + ' (default base)' },
    paths: { type: 'string', value: 'N', description: 'Monte Carlo paths, 1 to 100,000 (default 10,000)' },
    seed: { type: 'string', value: 'S', description: 'seed: the same input and seed give the same output (default 42)' },
    set: { type: 'string', value: 'K=V', description: 'override a model parameter (quarters=20,correlation=1,semiconductors.growth=0.05)' },
    lp: { type: 'string', value: 'L', description: 'an LP to follow on the same paths' },
    commit: { type: 'string', value: 'A', description: "a new commitment, admitted on the fork's date by the books' rules and followed on the same paths" },
    currency: { type: 'string', value: 'CCY', description: "the new commitment's currency, USD (default) or JPY" },
    json: { type: 'boolean', description: 'print the whole result as JSON' },
  },
  async run(values, _positionals, ctx) {
    const { fundSimulation, out, err } = ctx;
    const fund = await fundOf(values, ctx);
    const from = await dateOf(values, 'from', fund, ctx);
    const currency = (values.currency as string | undefined) ?? 'USD';
    if (values.currency !== undefined && typeof values.commit !== 'string') throw new UsageError('--currency goes with --commit');
    if (currency !== 'USD' && currency !== 'JPY') throw new UsageError(`--currency must be USD or JPY, got ${JSON.stringify(currency)}`);
    if (typeof values.commit === 'string' && values.lp !== undefined) throw new UsageError('--lp and --commit follow one LP each: give one');
    const result = await fundSimulation.simulate(
      fund,
      {
        from,
        knownAt: values['known-at'] as string | undefined,
        scenario: (values.scenario as string | undefined) ?? 'base',
        paths: parseNonNegativeInt(values.paths, 'paths', 1) ?? 10_000,
        seed: parseNonNegativeInt(values.seed, 'seed') ?? 42,
        lpId: values.lp as string | undefined,
        ...(typeof values.commit === 'string' ? { commitment: { amount: values.commit, currency } } : {}),
        parameters: parseSets(values.set),
      },
      { onProgress: pathsProgress(err) },
    );
    if (values.json) out(JSON.stringify(result, null, 2));
    else render(result).forEach(out);
    return 0;
  },
};
