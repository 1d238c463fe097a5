import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'preact/hooks';
import { ApiError, call, session, type Fund, type Schemas } from '../api';
import { AMOUNTS, ChartView, COLORS } from '../chart';
import { csvOf, labelOf, money, percent, plot } from '../format';
import { Failure, Field, Figure, Loading, saveFile, Scroll } from '../ui';

const SCENARIOS = ['base', 'bull', 'bear', 'tariff-delay', 'breakdown', 'rate-shock'] as const;
type Band = Schemas['FormattedBand'];
type Percentiles = { p5: string | null; p25: string | null; p50: string | null; p75: string | null; p95: string | null };

/** A p5-p95 band with its median, as three datasets of a line chart. */
function bandChart(label: string, bands: Band[], color: string): ChartConfiguration {
  return {
    type: 'line',
    data: {
      labels: bands.map((b) => b.date),
      datasets: [
        {
          label: `${label} p95`,
          data: bands.map((b) => plot(b.p95)),
          borderColor: 'transparent',
          backgroundColor: 'rgba(31,95,168,0.15)',
          pointRadius: 0,
          fill: '+1',
        },
        {
          label: `${label} p5`,
          data: bands.map((b) => plot(b.p5)),
          borderColor: 'transparent',
          backgroundColor: 'rgba(31,95,168,0.15)',
          pointRadius: 0,
          fill: false,
        },
        { label: `${label} median`, data: bands.map((b) => plot(b.p50)), borderColor: color, backgroundColor: color, pointRadius: 0 },
      ],
    },
    options: { scales: { y: AMOUNTS } },
  };
}

const bandRows = (bands: Band[]) => bands.map((b) => [b.date, money(b.p5), money(b.p50), money(b.p95)]);

/** The fund's forward simulation, forked from its books on a date: bands for its net assets and debt, the funds' returns net of carry and gross. */
export function FuturePage(props: { fund: Fund }) {
  const fundId = props.fund.fundId;
  const [form, setForm] = useState({ from: props.fund.latestDate, scenario: 'base' as (typeof SCENARIOS)[number], paths: '1000', seed: '42' });
  const [result, setResult] = useState<Schemas['FundSimulation']>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const set = (field: keyof typeof form) => (e: Event) => setForm({ ...form, [field]: (e.target as HTMLInputElement).value });
  const reason = (field: string) => (error instanceof ApiError ? error.reasonFor(field) : undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { from: form.from, scenario: form.scenario, paths: Number(form.paths), seed: Number(form.seed) };
      const answer = await call(session.client().POST('/funds/{fundId}/simulations/fund', { params: { path: { fundId } }, body }));
      if (typeof answer === 'string') throw new Error('The simulation answered with a stream, not JSON');
      setResult(answer);
    } catch (e) {
      setResult(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const netAssets = useMemo(() => result && bandChart('Net assets (USD)', result.netAssets, COLORS[0]), [result]);
  const debt = useMemo(() => result && bandChart('Debt (USD)', result.debt, COLORS[1]), [result]);
  const returns = result && (result.fund.netOfCarry ?? result.fund.withLeverageCost);
  const net = result?.fund.netOfCarry ? ', net of carry' : '';
  const measures = result
    ? ([
        ...(result.fund.netOfCarry ? ([['net of carry', result.fund.netOfCarry]] as const) : []),
        ['gross of carry (with the cost of leverage)', result.fund.withLeverageCost],
        ['gross, interest added back', result.fund.interestAddedBack],
      ] as const)
    : [];
  const download = () => {
    if (!result) return;
    const rows = result.netAssets.map((b, i) => [b.date, b.p5, b.p50, b.p95, result.debt[i]?.p5, result.debt[i]?.p50, result.debt[i]?.p95]);
    const csv = csvOf([['date', 'net_assets_p5', 'net_assets_p50', 'net_assets_p95', 'debt_p5', 'debt_p50', 'debt_p95'], ...rows]);
    saveFile(`${fundId}-simulation-${result.input.from}-${result.input.scenario}-seed${result.input.seed}.csv`, new Blob([csv], { type: 'text/csv' }));
  };

  return (
    <section aria-labelledby="future-title">
      <h1 id="future-title">The fund's future</h1>
      <p class="hint">
        A Monte Carlo run of the fund's own model forked from its books on a date: its portfolio on correlated paths, through its rules (leverage cap, calls,
        fees, waterfall). Nothing is written.
      </p>
      <form class="controls" onSubmit={submit} aria-label="The simulation" noValidate>
        <Field id="future-from" label="Fork the books on" error={reason('from')}>
          <input id="future-from" type="date" value={form.from} onInput={set('from')} />
        </Field>
        <Field id="future-scenario" label="Scenario" error={reason('scenario')}>
          <select id="future-scenario" value={form.scenario} onChange={set('scenario')}>
            {SCENARIOS.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field id="future-paths" label="Monte Carlo paths" error={reason('paths')}>
          <input id="future-paths" inputMode="numeric" value={form.paths} onInput={set('paths')} />
        </Field>
        <Field id="future-seed" label="Seed" error={reason('seed')}>
          <input id="future-seed" inputMode="numeric" value={form.seed} onInput={set('seed')} />
        </Field>
        <button type="submit" disabled={busy}>
          Run
        </button>
      </form>
      <Failure error={error} />
      {busy && <Loading what={`${form.paths} paths`} />}
      {result && returns && netAssets && debt && (
        <div data-testid="future">
          <div class="figures">
            <Figure label="Forked on" value={result.fork.date} note={`net assets then ${money(result.fork.netAssets)} USD`} />
            <Figure
              label={`IRR median${net}`}
              value={percent(returns.irr.p50)}
              testId="future-irr-p50"
              note={`gross: ${percent(result.fund.withLeverageCost.irr.p50)}`}
            />
            <Figure label={`TVPI median${net}`} value={returns.tvpi.p50 ?? 'n/a'} note={`gross: ${result.fund.withLeverageCost.tvpi.p50 ?? 'n/a'}`} />
            <Figure label="Probability of a cash shortfall" value={percent(result.liquidityShortfall.probability)} />
            <Figure label="Probability the leverage cap binds" value={percent(result.capBinds.probability)} />
          </div>
          <div class="grid">
            <ChartView
              testId="chart-future-net-assets"
              label={`Net assets: median and p5 to p95 band, ${result.paths} paths, scenario ${result.input.scenario}`}
              config={netAssets}
              table={{ head: ['Quarter end', 'p5', 'p50', 'p95'], rows: bandRows(result.netAssets) }}
            />
            <ChartView
              testId="chart-future-debt"
              label="Debt: median and p5 to p95 band"
              config={debt}
              table={{ head: ['Quarter end', 'p5', 'p50', 'p95'], rows: bandRows(result.debt) }}
            />
          </div>
          <h2>The LPs' returns by percentile</h2>
          <Scroll label="Returns">
            <table data-testid="future-returns">
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  {['p5', 'p25', 'p50', 'p75', 'p95'].map((p) => (
                    <th scope="col">{p}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {measures.flatMap(([kind, figures]) =>
                  (['irr', 'tvpi', 'dpi'] as const).map((m) => (
                    <tr>
                      <th scope="row">
                        {labelOf(m)} {kind}
                      </th>
                      {(['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((p) => {
                        const v = (figures[m] as Percentiles)[p];
                        return <td class="num">{m === 'irr' ? percent(v) : (v ?? 'n/a')}</td>;
                      })}
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </Scroll>
          <p>
            <button type="button" onClick={download}>
              Download the bands (CSV)
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
