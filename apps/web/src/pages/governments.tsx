import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { call, session, type Fund, type Schemas } from '../api';
import { AMOUNTS, ChartView, COLORS } from '../chart';
import { csvOf, labelOf, money, openingQuarterEnd, percent, plot } from '../format';
import { Failure, Field, Figure, Loading, saveFile, Scroll } from '../ui';

type Revenue = Schemas['Revenue'];
const TIERS = ['returnOfCapital', 'preferredReturn', 'catchUpToLps', 'catchUpToManagers', 'carriedInterestToLps', 'carriedInterestToManagers'] as const;

/** The revenue's quarters as CSV: one row a quarter, the USD figures (and the net transfer where there is one). */
function revenueCsv(r: Revenue): string {
  const transfer = new Map((r.transfer?.quarters ?? []).map((q) => [q.quarter, q.usd.net]));
  return csvOf([
    [
      'fund_id',
      'manager',
      'quarter',
      'from',
      'to',
      'management_fees',
      'carried_interest_paid',
      'carried_interest_accrued',
      'profit_as_lp',
      'income',
      'net_transfer',
    ],
    ...r.quarters.map((q) => [
      r.fundId,
      r.manager,
      q.quarter,
      q.from,
      q.to,
      q.usd.managementFees,
      q.usd.carriedInterestPaid,
      q.usd.carriedInterestAccrued,
      q.usd.asLp?.profit ?? '',
      q.usd.income,
      transfer.get(q.quarter) ?? '',
    ]),
  ]);
}

/**
 * The governments' side: the waterfall on a date (the LPs' account with the managers, the tiers a
 * liquidation would pay, each distribution's split) and each manager's revenue by quarter, with its
 * government's net transfer (paid as an LP against received as manager).
 */
export function GovernmentsPage(props: { fund: Fund }) {
  const fundId = props.fund.fundId;
  const [asOf, setAsOf] = useState(openingQuarterEnd(props.fund));
  const [waterfall, setWaterfall] = useState<Schemas['WaterfallReport']>();
  const [revenues, setRevenues] = useState<Revenue[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (!props.fund.waterfall) return;
    let live = true;
    setError(undefined);
    call(session.client().GET('/funds/{fundId}/waterfall', { params: { path: { fundId }, query: { asOf } } })).then(
      (w) => live && setWaterfall(w),
      (e) => live && setError(e),
    );
    Promise.all(
      props.fund.managers.map((manager) =>
        call(session.client().GET('/funds/{fundId}/managers/{manager}/revenue', { params: { path: { fundId, manager }, query: { to: asOf } } })),
      ),
    ).then(
      (r) => live && setRevenues(r),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [asOf]);

  const income = useMemo<ChartConfiguration | undefined>(
    () =>
      revenues && {
        type: 'bar',
        data: {
          labels: revenues[0]?.quarters.map((q) => q.quarter) ?? [],
          datasets: revenues.map((r, i) => ({
            label: `${r.manager}: fees and carry (USD)`,
            data: r.quarters.map((q) => plot(q.usd.managementFees)! + plot(q.usd.carriedInterestPaid)! + plot(q.usd.carriedInterestAccrued)!),
            backgroundColor: COLORS[i % COLORS.length],
          })),
        },
        options: { scales: { y: AMOUNTS } },
      },
    [revenues],
  );

  if (!props.fund.waterfall)
    return (
      <section aria-labelledby="governments-title">
        <h1 id="governments-title">Waterfall and revenue</h1>
        <p data-testid="no-waterfall">
          {props.fund.name}'s terms have no distribution waterfall: distributions go to the LPs whole, nobody earns carried interest, and every figure is the
          same gross and net of carry.
        </p>
      </section>
    );
  return (
    <section aria-labelledby="governments-title">
      <h1 id="governments-title">Waterfall and revenue</h1>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <Field id="governments-as-of" label="As of">
          <input id="governments-as-of" type="date" value={asOf} onChange={(e) => setAsOf((e.target as HTMLInputElement).value || asOf)} />
        </Field>
      </form>
      <Failure error={error} />
      {!waterfall ? (
        <Loading what="the waterfall" />
      ) : (
        <div data-testid="waterfall">
          <p class="hint">
            Terms: {waterfall.terms.style} waterfall, preferred return {percent(waterfall.terms.preferredReturn.rate)} (
            {waterfall.terms.preferredReturn.compounding}), catch-up {percent(waterfall.terms.catchUp)}, carried interest{' '}
            {percent(waterfall.terms.carriedInterest)}, borne by {waterfall.terms.carryBearing === 'all' ? 'every LP' : 'the LPs other than the sovereigns'}.
          </p>
          <div class="figures">
            <Figure label="Net assets of the fund (USD)" value={money(waterfall.netAssets.fund)} />
            <Figure label="Of which the LPs' (net of carry)" value={money(waterfall.netAssets.lps)} testId="lps-net-assets" />
            <Figure label="Carry accrued to the managers" value={money(waterfall.netAssets.managersAccruedCarry)} testId="accrued-carry" />
          </div>
          <h2>A liquidation on {waterfall.asOf}, tier by tier (USD)</h2>
          <table class="statement" data-testid="tiers">
            <tbody>
              {TIERS.map((t) => (
                <tr>
                  <th scope="row">{labelOf(t)}</th>
                  <td class="num">{money(waterfall.liquidation[t])}</td>
                </tr>
              ))}
              <tr class="total">
                <th scope="row">To the LPs</th>
                <td class="num">{money(waterfall.liquidation.toLps)}</td>
              </tr>
              <tr class="total">
                <th scope="row">To the managers</th>
                <td class="num">{money(waterfall.liquidation.toManagers)}</td>
              </tr>
            </tbody>
          </table>
          <h2>Each manager's account</h2>
          <Scroll label="Managers' accounts">
            <table data-testid="managers">
              <thead>
                <tr>
                  {['Manager', 'Carry share', 'Fee share', 'Management fees', 'Carry paid', 'Carry accrued', 'Total'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {waterfall.managers.map((m) => (
                  <tr>
                    <th scope="row">{m.manager}</th>
                    <td class="num">{percent(m.share)}</td>
                    <td class="num">{percent(m.feeShare)}</td>
                    <td class="num">{money(m.managementFees)}</td>
                    <td class="num">{money(m.carriedInterestPaid)}</td>
                    <td class="num">{money(m.carriedInterestAccrued)}</td>
                    <td class="num">{money(m.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          <h2>Distributions through the tiers ({waterfall.distributions.length})</h2>
          <Scroll label="Distributions">
            <table>
              <thead>
                <tr>
                  {['Distribution', 'Date', 'Amount', 'To the LPs', 'To the managers'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {waterfall.distributions.map((d) => (
                  <tr>
                    <th scope="row">{d.distributionNumber}</th>
                    <td>{d.date}</td>
                    <td class="num">{money(d.amount)}</td>
                    <td class="num">{money(d.split.toLps)}</td>
                    <td class="num">{money(d.split.toManagers)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </div>
      )}
      <h2>Each government's revenue, to {asOf}</h2>
      {!revenues || !income ? (
        <Loading what="the revenue" />
      ) : (
        <>
          <ChartView
            testId="chart-revenue"
            label="Each manager's fees and carry (paid, and the change in the accrued) by quarter, in USD"
            config={income}
            table={{
              head: ['Quarter', ...revenues.map((r) => r.manager)],
              rows: (revenues[0]?.quarters ?? []).map((q, i) => [q.quarter, ...revenues.map((r) => money(r.quarters[i]?.usd.income))]),
            }}
          />
          <div class="grid">
            {revenues.map((r) => (
              <div data-testid={`revenue-${r.manager}`}>
                <h3>{r.manager}</h3>
                <table class="statement">
                  <tbody>
                    {(['managementFees', 'carriedInterestPaid', 'carriedInterestAccrued', 'income'] as const).map((k) => (
                      <tr class={k === 'income' ? 'total' : undefined}>
                        <th scope="row">{k === 'income' ? 'Income (with its profit as an LP)' : labelOf(k)}</th>
                        <td class="num">{money(r.total.usd[k])}</td>
                      </tr>
                    ))}
                    {r.transfer && (
                      <>
                        <tr>
                          <th scope="row">Fees and carry its government paid as an LP</th>
                          <td class="num">{money(r.transfer.total.usd.paidAsLp.feesAndCarry)}</td>
                        </tr>
                        <tr>
                          <th scope="row">Received as manager</th>
                          <td class="num">{money(r.transfer.total.usd.receivedAsManager.total)}</td>
                        </tr>
                        <tr class="total">
                          <th scope="row">Net transfer (received less paid)</th>
                          <td class="num" data-testid={`net-transfer-${r.manager}`}>
                            {money(r.transfer.total.usd.net)}
                          </td>
                        </tr>
                      </>
                    )}
                  </tbody>
                </table>
                <p>
                  <button type="button" onClick={() => saveFile(`${fundId}-${r.manager}-revenue-${r.to}.csv`, new Blob([revenueCsv(r)], { type: 'text/csv' }))}>
                    Download {r.manager}'s revenue (CSV)
                  </button>
                </p>
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
