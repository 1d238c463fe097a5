import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, session, type Fund, type Schemas } from '../api';
import { csvOf, money, percent } from '../format';
import { Failure, Field, Loading, saveFile, Scroll } from '../ui';
import { useLpOf } from './account';

type Ledger = Schemas['TransactionLedger'];
type Notice = { kind: 'call'; number: number; date: string } | { kind: 'distribution'; number: number; date: string };

/** The ledger as CSV: one row an entry, with the running balances after it. */
function ledgerCsv(l: Ledger): string {
  return csvOf([
    ['fund_id', 'lp_id', 'date', 'position', 'kind', 'description', 'amount', 'cash', 'nav', 'contributions', 'distributions', 'unfunded'],
    ...l.transactions.map((t) => [
      l.fundId,
      l.lpId,
      t.date,
      t.position,
      t.kind,
      t.description,
      t.amount,
      t.cash,
      t.balance.nav,
      t.balance.contributions,
      t.balance.distributions,
      t.balance.unfunded,
    ]),
  ]);
}

/** A notice as the API renders it to PDF (fetched with the key, saved as a file). */
async function downloadPdf(fundId: string, lpId: string, notice: Notice): Promise<void> {
  const path =
    notice.kind === 'call'
      ? `/funds/${encodeURIComponent(fundId)}/capital-calls/${notice.number}/notices/${encodeURIComponent(lpId)}?format=pdf`
      : `/funds/${encodeURIComponent(fundId)}/distributions/${notice.number}/notices/${encodeURIComponent(lpId)}?format=pdf`;
  const response = await fetch(path, { headers: { Authorization: `Bearer ${session.key}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(response.status, body.code ?? `HTTP_${response.status}`, body.message ?? response.statusText);
  }
  saveFile(`${fundId}-${notice.kind === 'call' ? 'capital-call' : 'distribution'}-${notice.number}-${lpId}.pdf`, await response.blob());
}

/** An LP's notices (each call and distribution, ILPA's template, as PDF) and its transaction ledger, with downloads. */
export function LedgerPage(props: { fund: Fund; me: Schemas['Principal'] }) {
  const fundId = props.fund.fundId;
  const [lpId, setLpId] = useLpOf(props.fund, props.me);
  const [ledger, setLedger] = useState<Ledger>();
  const [open, setOpen] = useState<{ notice: Notice; body: Schemas['CallNotice'] | Schemas['DistributionNotice'] }>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (!lpId) return;
    let live = true;
    setError(undefined);
    setLedger(undefined);
    call(session.client().GET('/funds/{fundId}/lps/{lpId}/transactions', { params: { path: { fundId, lpId }, query: { asOf: props.fund.latestDate } } })).then(
      (l) => live && setLedger(l),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [lpId]);

  const notices: Notice[] = (ledger?.transactions ?? []).flatMap((t): Notice[] =>
    t.kind === 'call' && t.callNumber !== undefined
      ? [{ kind: 'call', number: t.callNumber, date: t.date }]
      : t.kind === 'distribution' && t.distributionNumber !== undefined
        ? [{ kind: 'distribution', number: t.distributionNumber, date: t.date }]
        : [],
  );
  const show = async (notice: Notice) => {
    if (!lpId) return;
    setError(undefined);
    try {
      const body =
        notice.kind === 'call'
          ? await call(
              session
                .client()
                .GET('/funds/{fundId}/capital-calls/{callNumber}/notices/{lpId}', { params: { path: { fundId, callNumber: notice.number, lpId } } }),
            )
          : await call(
              session.client().GET('/funds/{fundId}/distributions/{distributionNumber}/notices/{lpId}', {
                params: { path: { fundId, distributionNumber: notice.number, lpId } },
              }),
            );
      if (typeof body === 'string') throw new Error('The notice answered as a file, not JSON');
      setOpen({ notice, body: body as Schemas['CallNotice'] | Schemas['DistributionNotice'] });
    } catch (e) {
      setError(e);
    }
  };
  const pdf = (notice: Notice) => lpId && downloadPdf(fundId, lpId, notice).catch(setError);

  return (
    <section aria-labelledby="ledger-title">
      <h1 id="ledger-title">Notices and ledger of {lpId ?? '…'}</h1>
      {props.me.role !== 'lp' && (
        <form class="controls" onSubmit={(e) => e.preventDefault()}>
          <Field id="ledger-lp" label="LP">
            <input id="ledger-lp" value={lpId ?? ''} onChange={(e) => setLpId((e.target as HTMLInputElement).value)} />
          </Field>
        </form>
      )}
      <Failure error={error} />
      {!ledger ? (
        !error && <Loading what="the ledger" />
      ) : (
        <>
          <h2>Notices ({notices.length})</h2>
          {notices.length === 0 ? (
            <p class="hint">No call or distribution has named this LP yet.</p>
          ) : (
            <Scroll label="Notices">
              <table data-testid="notices">
                <thead>
                  <tr>
                    {['Notice', 'Date', '', ''].map((h) => (
                      <th scope="col">{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {notices.map((n) => {
                    const name = `${n.kind === 'call' ? 'Capital call' : 'Distribution'} ${n.number}`;
                    return (
                      <tr>
                        <th scope="row">{name}</th>
                        <td>{n.date}</td>
                        <td>
                          <button type="button" class="link" onClick={() => show(n)}>
                            Show<span class="visually-hidden"> {name}</span>
                          </button>
                        </td>
                        <td>
                          <button type="button" class="link" onClick={() => pdf(n)}>
                            PDF<span class="visually-hidden"> of {name}</span>
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </Scroll>
          )}
          {open && <NoticeView notice={open.body} />}
          <h2>Transaction ledger to {ledger.asOf} (USD)</h2>
          <Scroll label="Transaction ledger">
            <table data-testid="ledger">
              <thead>
                <tr>
                  {['Date', 'Entry', 'Amount', 'Cash', 'NAV after', 'Unfunded after'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ledger.transactions.map((t) => (
                  <tr>
                    <td>{t.date}</td>
                    <td class="wrap">{t.description}</td>
                    <td class="num">{money(t.amount)}</td>
                    <td class="num">{money(t.cash)}</td>
                    <td class="num">{money(t.balance.nav)}</td>
                    <td class="num">{money(t.balance.unfunded)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          <p>
            Closing: NAV <span data-testid="ledger-nav">{money(ledger.closing.nav)}</span> USD, paid in {money(ledger.closing.paidIn)}, received{' '}
            {money(ledger.closing.received)}.
          </p>
          <p>
            <button
              type="button"
              onClick={() => saveFile(`${fundId}-${ledger.lpId}-transactions-${ledger.asOf}.csv`, new Blob([ledgerCsv(ledger)], { type: 'text/csv' }))}
            >
              Download the ledger (CSV)
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/** A notice's figures, as its template lists them (in yen beside, for a yen LP). */
function NoticeView(props: { notice: Schemas['CallNotice'] | Schemas['DistributionNotice'] }) {
  const n = props.notice;
  const rows: [string, string][] =
    n.notice === 'capital-call'
      ? [
          ['Notice date', n.noticeDate],
          ['Due date', n.dueDate],
          ['Called (share of commitment)', percent(n.percentage)],
          ['Amount due (USD)', money(n.amount)],
          ['Unfunded before (USD)', money(n.unfundedBefore)],
          ['Unfunded after (USD)', money(n.unfundedAfter)],
          ...(n.yen ? ([['Amount due (JPY)', money(n.yen.amount)]] as [string, string][]) : []),
        ]
      : [
          ['Notice date', n.noticeDate],
          ['Payment date', n.paymentDate],
          ['Gross amount (USD)', money(n.grossAmount)],
          ['Carried interest withheld (USD)', money(n.carryWithheld)],
          ['Amount paid to you, net of carry (USD)', money(n.amount)],
          ['Distributions to date (USD)', money(n.cumulativeDistributions)],
          ['Unfunded (USD)', money(n.unfunded)],
          ...(n.yen ? ([['Amount paid (JPY)', money((n.yen as { amount: string }).amount)]] as [string, string][]) : []),
        ];
  return (
    <div data-testid="notice">
      <h2>
        {n.notice === 'capital-call' ? `Capital call ${n.callNumber}` : `Distribution ${n.distributionNumber}`} notice to {n.lpId}
      </h2>
      <table class="statement">
        <tbody>
          {rows.map(([k, v]) => (
            <tr>
              <th scope="row">{k}</th>
              <td class="num">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
