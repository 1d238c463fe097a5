import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'preact/hooks';
import { ApiError, call, session, type Fund, type Schemas } from '../api';
import { ChartView, COLORS } from '../chart';
import { labelOf, money, percent, plot } from '../format';
import { Failure, Field, Figure, Loading, Scroll } from '../ui';

const SCENARIOS = ['base', 'bull', 'bear', 'tariff-delay', 'breakdown', 'rate-shock'] as const;
/** The fields this form shows: the API's reasons for them appear under each. */
const FIELDS = ['amount', 'currency', 'date', 'scenario', 'paths'];

/** A retail commitment, simulated: what it would own and what might happen to it (nothing is written). */
export function SimulatePage(props: { fund: Fund }) {
  const takes = props.fund.takesCommitments;
  const [form, setForm] = useState({
    amount: '10000.00',
    currency: 'USD' as 'USD' | 'JPY',
    // A commitment made now: on the books' latest date, or, when a close would admit none then
    // (the fund at its hard cap), on the last date one would have been.
    date: takes.open ? props.fund.latestDate : (takes.lastOpenDate ?? props.fund.latestDate),
    scenario: 'base' as (typeof SCENARIOS)[number],
    paths: '2000',
  });
  const [result, setResult] = useState<Schemas['LpCommitmentSimulation']>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const set = (field: keyof typeof form) => (e: Event) => setForm({ ...form, [field]: (e.target as HTMLInputElement).value });
  const reason = (field: string) => (error instanceof ApiError ? error.reasonFor(field) : undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { amount: form.amount, currency: form.currency, date: form.date, scenario: form.scenario, paths: Number(form.paths) };
      const answer = await call(session.client().POST('/funds/{fundId}/simulations/lp-commitment', { params: { path: { fundId: props.fund.fundId } }, body }));
      // The page asks for JSON; the route streams JSON lines only when asked to.
      if (typeof answer === 'string') throw new Error('The simulation answered with a stream, not JSON');
      setResult(answer);
    } catch (e) {
      setResult(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const currency = result?.results.JPY ? 'JPY' : 'USD';
  const outcome = result && (result.results[currency] ?? result.results.USD);
  // The headline figures: net of carry where the fund has a waterfall (what the LP keeps), gross beside them.
  const headline = outcome && (outcome.netOfCarry ?? outcome.gross);
  const gross = outcome?.netOfCarry ? outcome.gross : undefined;
  const jCurve = useMemo<ChartConfiguration | undefined>(() => {
    if (!outcome) return undefined;
    const schedule = outcome.schedule;
    return {
      type: 'line',
      data: {
        labels: schedule.map((q) => q.date),
        datasets: [
          {
            label: 'NAV p95',
            data: schedule.map((q) => plot(q.nav.p95)),
            borderColor: 'transparent',
            backgroundColor: 'rgba(31,95,168,0.15)',
            pointRadius: 0,
            fill: '+1',
          },
          {
            label: 'NAV p5',
            data: schedule.map((q) => plot(q.nav.p5)),
            borderColor: 'transparent',
            backgroundColor: 'rgba(31,95,168,0.15)',
            pointRadius: 0,
            fill: false,
          },
          { label: 'NAV median', data: schedule.map((q) => plot(q.nav.p50)), borderColor: COLORS[0], backgroundColor: COLORS[0], pointRadius: 0 },
          { label: 'Calls, median', data: schedule.map((q) => plot(q.calls.p50)), type: 'bar', backgroundColor: 'rgba(192,57,43,0.6)' },
          {
            label: 'Distributions, median',
            data: schedule.map((q) => plot(q.distributions.p50)),
            type: 'bar',
            backgroundColor: 'rgba(46,139,87,0.6)',
          },
        ],
      },
    } as ChartConfiguration;
  }, [outcome]);
  const net = outcome?.netOfCarry ? ', net of carry' : '';

  return (
    <section aria-labelledby="simulate-title">
      <h1 id="simulate-title">Simulate a commitment</h1>
      {!takes.open && (
        <p class="hint" role="note" data-testid="closed">
          The fund takes no new commitments on {props.fund.latestDate}, its books' latest date ({takes.code}: {takes.reason}).{' '}
          {takes.lastOpenDate
            ? `The simulation opens on ${takes.lastOpenDate}, the last date a close would have admitted one.`
            : 'No date in its books would have admitted one.'}
        </p>
      )}
      <form class="controls" onSubmit={submit} aria-label="The commitment" noValidate>
        <Field id="amount" label={`Amount (${form.currency})`} error={reason('amount')}>
          <input
            id="amount"
            name="amount"
            inputMode="decimal"
            value={form.amount}
            onInput={set('amount')}
            aria-invalid={reason('amount') ? 'true' : undefined}
            aria-describedby={reason('amount') ? 'amount-error' : undefined}
          />
        </Field>
        <Field id="currency" label="Currency" error={reason('currency')}>
          <select id="currency" value={form.currency} onChange={set('currency')}>
            <option value="USD">USD</option>
            <option value="JPY">JPY</option>
          </select>
        </Field>
        <Field id="date" label="Committed on" error={reason('date')} hint={`The books run from ${props.fund.firstDate} to ${props.fund.latestDate}`}>
          <input
            id="date"
            type="date"
            value={form.date}
            onInput={set('date')}
            aria-invalid={reason('date') ? 'true' : undefined}
            aria-describedby={reason('date') ? 'date-error' : undefined}
          />
        </Field>
        <Field id="scenario" label="Scenario" error={reason('scenario')}>
          <select id="scenario" value={form.scenario} onChange={set('scenario')}>
            {SCENARIOS.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field id="paths" label="Monte Carlo paths" error={reason('paths')}>
          <input
            id="paths"
            inputMode="numeric"
            value={form.paths}
            onInput={set('paths')}
            aria-invalid={reason('paths') ? 'true' : undefined}
            aria-describedby={reason('paths') ? 'paths-error' : undefined}
          />
        </Field>
        <button type="submit" disabled={busy}>
          Simulate
        </button>
      </form>
      {!(error instanceof ApiError && error.fields.length > 0 && error.fields.every((f) => FIELDS.includes(f.field))) && <Failure error={error} />}
      {busy && <Loading what={`${form.paths} paths`} />}
      {result && outcome && headline && jCurve && (
        <div data-testid="simulation">
          <div class="figures">
            <Figure
              label="Ownership"
              value={percent(result.admission.ownership)}
              testId="ownership"
              note={`close ${result.admission.closeNumber}${result.admission.scaledBack ? ', scaled back' : ''}`}
            />
            <Figure label="Admitted (USD)" value={money(result.admission.admittedUsd)} />
            <Figure
              label="Paid in on joining (USD)"
              value={money(result.admission.catchUpUsd)}
              testId="catch-up"
              note="the catch-up on earlier calls: part of your capital, not a cost"
            />
            <Figure
              label="Equalization interest (USD)"
              value={money(result.admission.equalizationInterestUsd)}
              testId="equalization-interest"
              note="paid to the LPs admitted before: the cost of joining late"
            />
            <Figure
              label={`IRR median (${currency}${net})`}
              value={percent(headline.irr.p50)}
              testId="irr-p50"
              note={gross ? `gross of carry: ${percent(gross.irr.p50)}` : undefined}
            />
            <Figure
              label={`TVPI median${net}`}
              value={headline.tvpi.p50 ?? 'n/a'}
              testId="tvpi-p50"
              note={gross ? `gross of carry: ${gross.tvpi.p50 ?? 'n/a'}` : undefined}
            />
            <Figure
              label={`Probability of loss${net}`}
              value={percent(headline.probabilityOfLoss)}
              note={gross ? `gross of carry: ${percent(gross.probabilityOfLoss)}` : undefined}
            />
          </div>
          <ChartView
            testId="chart-j-curve"
            label={`The J-curve in ${currency}${net}: the LP's NAV median with its p5 to p95 band on the fund's own paths, and the median calls and distributions each quarter`}
            config={jCurve}
            table={{
              head: ['Quarter end', 'Calls p50', 'Distributions p50', 'NAV p5', 'NAV p50', 'NAV p95'],
              rows: outcome.schedule.map((q) => [q.date, money(q.calls.p50), money(q.distributions.p50), money(q.nav.p5), money(q.nav.p50), money(q.nav.p95)]),
            }}
          />
          <h2>Outcomes ({currency})</h2>
          <Scroll label="Outcomes">
            <table data-testid="outcomes">
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  {['p5', 'p25', 'p50', 'p75', 'p95'].map((p) => (
                    <th scope="col">{p}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(['netOfCarry', 'gross'] as const).flatMap((kind) => {
                  const figures = outcome[kind];
                  if (!figures) return [];
                  return (['irr', 'tvpi', 'dpi', 'endingNav'] as const).map((m) => (
                    <tr>
                      <th scope="row">
                        {labelOf(m)} {kind === 'gross' ? 'gross' : 'net of carry'}
                      </th>
                      {(['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((p) => {
                        const v = figures[m][p];
                        return <td>{m === 'irr' ? percent(v) : m === 'endingNav' ? money(v) : (v ?? 'n/a')}</td>;
                      })}
                    </tr>
                  ));
                })}
              </tbody>
            </table>
          </Scroll>
          <h2>Look-through exposure (USD)</h2>
          <ul class="exposure">
            {result.admission.lookThrough.sectors.map((s) => (
              <li>
                {s.sector}: {money(s.exposureUsd)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
