import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { call, session, type Fund, type Schemas } from '../api';
import { AMOUNTS, ChartView, COLORS, markersOnTimeAxis } from '../chart';
import { lifeQuarterEnds, money, plot } from '../format';
import { Failure, Field, Figure, Loading } from '../ui';

const BILLIONS = AMOUNTS;

type Sheet = Schemas['BalanceSheet'];
type Marker = { date: string; what: string };

/** The fund's books: its balance sheet on a date chosen on a time slider, and over its life. */
export function FundPage(props: { fund: Fund }) {
  // The fund's own life, quarter by quarter, opening on its latest quarter end.
  const DATES = useMemo(() => lifeQuarterEnds(props.fund), [props.fund]);
  const [index, setIndex] = useState(DATES.length - 1);
  const [knownAt, setKnownAt] = useState('');
  const [sheet, setSheet] = useState<Sheet>();
  const [history, setHistory] = useState<Sheet[]>();
  const [markers, setMarkers] = useState<Marker[]>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const asOf = DATES[index];
  const query = (date: string) => ({ asOf: date, ...(knownAt ? { knownAt } : {}) });
  const path = { fundId: props.fund.fundId };

  // Each effect shows only the answer to its latest inputs: an older answer arriving late is dropped.
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    call(session.client().GET('/funds/{fundId}/balance-sheet', { params: { path, query: query(asOf) } }))
      .then(
        (s) => live && setSheet(s),
        (e) => live && setError(e),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [asOf, knownAt]);

  useEffect(() => {
    let live = true;
    setHistory(undefined);
    (async () => {
      const sheets: Sheet[] = [];
      // Four at a time: the books on every quarter end.
      for (let i = 0; i < DATES.length && live; i += 4) {
        sheets.push(
          ...(await Promise.all(
            DATES.slice(i, i + 4).map((d) => call(session.client().GET('/funds/{fundId}/balance-sheet', { params: { path, query: query(d) } }))),
          )),
        );
      }
      if (live) setHistory(sheets);
    })().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [knownAt]);

  useEffect(() => {
    call(session.client().GET('/funds/{fundId}/events', { params: { path, query: { type: 'CloseHeld,MilestoneRecorded', limit: 1000 } } }))
      .then((page) =>
        setMarkers(
          page.events.map((e) => ({
            date: e.metadata.effectiveDate,
            what:
              e.type === 'CloseHeld'
                ? `Close ${String((e.data as { closeNumber?: number }).closeNumber ?? '')}`
                : String((e.data as { milestone?: string }).milestone ?? 'Milestone'),
          })),
        ),
      )
      .catch(setError);
  }, []);

  // Closes and milestones on the charts' time axis: at the first quarter end on or after each.
  const onAxis = useMemo(
    () =>
      (markers ?? []).flatMap((m) => {
        const index = DATES.findIndex((d) => d >= m.date);
        return index < 0 ? [] : [{ index, label: m.what }];
      }),
    [markers],
  );
  const overTime = useMemo<ChartConfiguration | undefined>(
    () =>
      history && {
        type: 'line',
        data: {
          labels: DATES,
          datasets: [
            { label: 'Net assets (USD)', data: history.map((s) => plot(s.netAssets)), borderColor: COLORS[0], backgroundColor: COLORS[0], yAxisID: 'usd' },
            { label: 'Debt (USD)', data: history.map((s) => plot(s.liabilities.debt)), borderColor: COLORS[1], backgroundColor: COLORS[1], yAxisID: 'usd' },
            {
              label: 'Called (USD)',
              data: history.map((s) => plot(s.commitments.called)),
              borderColor: COLORS[2],
              backgroundColor: COLORS[2],
              yAxisID: 'usd',
              borderDash: [4, 4],
            },
          ],
        },
        options: { scales: { usd: { position: 'left', ...BILLIONS } } },
        plugins: [markersOnTimeAxis(onAxis)],
      },
    [history, onAxis],
  );
  const leverage = useMemo<ChartConfiguration | undefined>(
    () =>
      history && {
        type: 'line',
        data: {
          labels: DATES,
          datasets: [
            { label: 'Debt (USD)', data: history.map((s) => plot(s.leverage.debt)), borderColor: COLORS[1], backgroundColor: COLORS[1] },
            {
              label: 'Cap on debt (USD)',
              data: history.map((s) => plot(s.leverage.cap)),
              borderColor: COLORS[3],
              backgroundColor: COLORS[3],
              borderDash: [6, 3],
              pointRadius: 0,
            },
          ],
        },
        options: { scales: { y: BILLIONS } },
        plugins: [markersOnTimeAxis(onAxis)],
      },
    [history, onAxis],
  );
  const sectors = useMemo<ChartConfiguration | undefined>(
    () =>
      sheet && {
        type: 'bar',
        data: {
          labels: sheet.sectors.map((s) => s.sector),
          datasets: [
            { label: 'Cost (USD)', data: sheet.sectors.map((s) => plot(s.cost)), backgroundColor: COLORS[0] },
            { label: 'Fair value (USD)', data: sheet.sectors.map((s) => plot(s.fairValue)), backgroundColor: COLORS[2] },
          ],
        },
        options: { indexAxis: 'y', scales: { x: BILLIONS } },
      },
    [sheet],
  );
  const projects = useMemo<ChartConfiguration | undefined>(
    () =>
      sheet && {
        type: 'bar',
        data: {
          labels: sheet.investments.map((p) => p.name),
          datasets: [
            { label: 'Fair value (USD)', data: sheet.investments.map((p) => plot(p.fairValue)), backgroundColor: COLORS.slice(0, sheet.investments.length) },
          ],
        },
        options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: BILLIONS } },
      },
    [sheet],
  );

  return (
    <section aria-labelledby="fund-title">
      <h1 id="fund-title">The fund's books</h1>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <Field id="as-of" label={`Balance sheet as of ${asOf}`}>
          <input
            id="as-of"
            type="range"
            min={0}
            max={DATES.length - 1}
            step={1}
            value={index}
            aria-valuetext={asOf}
            onInput={(e) => setIndex(Number((e.target as HTMLInputElement).value))}
          />
        </Field>
        <Field id="known-at" label="As known at (optional: before later corrections)">
          <input id="known-at" type="date" value={knownAt} onChange={(e) => setKnownAt((e.target as HTMLInputElement).value)} />
        </Field>
      </form>
      <Failure error={error} />
      {!sheet ? (
        <Loading what="the balance sheet" />
      ) : (
        <>
          <div class="figures" aria-live="polite" aria-busy={loading ? 'true' : 'false'} data-testid="figures" data-as-of={sheet.asOf}>
            <Figure label="Net assets (USD)" value={money(sheet.netAssets)} testId="net-assets" />
            <Figure label="Total assets" value={money(sheet.assets.total)} />
            <Figure label="Debt" value={money(sheet.liabilities.debt)} testId="debt" />
            <Figure
              label="Leverage (debt / basis)"
              value={sheet.leverage.ratio ?? 'none yet'}
              note={`basis: ${sheet.leverage.basis}; cap ${money(sheet.leverage.cap)}, headroom ${money(sheet.leverage.headroom)}`}
            />
            <Figure label="Commitments admitted" value={money(sheet.commitments.admitted)} testId="admitted" />
            <Figure label="Called" value={money(sheet.commitments.called)} />
            <Figure label="Unfunded" value={money(sheet.commitments.unfunded)} />
          </div>
          <div class="grid">
            {sectors && (
              <ChartView
                testId="chart-sectors"
                label={`Deployment by sector on ${asOf}: cost and fair value`}
                config={sectors}
                table={{ head: ['Sector', 'Cost', 'Fair value'], rows: sheet.sectors.map((s) => [s.sector, money(s.cost), money(s.fairValue)]) }}
              />
            )}
            {projects && (
              <ChartView
                testId="chart-projects"
                label={`Deployment by project on ${asOf}: fair value`}
                config={projects}
                table={{
                  head: ['Project', 'Sector', 'Cost', 'Fair value', 'Unrealized'],
                  rows: sheet.investments.map((p) => [p.name, p.sector, money(p.cost), money(p.fairValue), money(p.unrealizedGain)]),
                }}
              />
            )}
          </div>
        </>
      )}
      <h2>Over the fund's life</h2>
      {!history || !overTime || !leverage ? (
        <Loading what={`${DATES.length} quarters of books`} />
      ) : (
        <div class="grid">
          <ChartView
            testId="chart-over-time"
            label="Net assets, debt and capital called at each quarter end, with the closes and milestones"
            config={overTime}
            table={{
              head: ['Quarter end', 'Net assets', 'Debt', 'Called'],
              rows: history.map((s) => [s.asOf, money(s.netAssets), money(s.liabilities.debt), money(s.commitments.called)]),
            }}
          />
          <ChartView
            testId="chart-leverage"
            label="Debt against its cap at each quarter end"
            config={leverage}
            table={{
              head: ['Quarter end', 'Debt', 'Cap on debt', 'Leverage ratio'],
              rows: history.map((s) => [s.asOf, money(s.leverage.debt), money(s.leverage.cap), s.leverage.ratio ?? '—']),
            }}
          />
        </div>
      )}
      <h2>Closes and milestones (on the charts' time axis)</h2>
      {!markers ? (
        <Loading what="the time axis" />
      ) : (
        <ol class="timeline" data-testid="timeline">
          {markers.map((m) => (
            <li>
              <time dateTime={m.date}>{m.date}</time> {m.what}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
