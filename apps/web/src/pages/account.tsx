import { useEffect, useState } from 'preact/hooks';
import { call, session, type Fund, type Schemas } from '../api';
import { money, openingQuarterEnd, percent } from '../format';
import { Failure, Field, Figure, Loading, Scroll, saveFile } from '../ui';

type Account = Schemas['CapitalAccount'];

const ROLL_FORWARD: [keyof Account['rollForward'], string][] = [
  ['beginningNav', 'Beginning NAV'],
  ['contributions', 'Contributions'],
  ['distributions', 'Distributions'],
  ['carriedInterest', 'Carried interest (a fund with a waterfall)'],
  ['managementFees', 'Management fees'],
  ['expenses', 'Fund expenses'],
  ['interest', 'Interest (leverage)'],
  ['income', 'Income'],
  ['realizedGain', 'Realized gain'],
  ['changeInUnrealizedGain', 'Change in unrealized gain'],
  ['endingNav', 'Ending NAV'],
];

/** camelCase JSON key -> snake_case: the CSV names a figure by its key, never by a display label. */
const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const PERFORMANCE_KEYS = ['paidIn', 'distributed', 'nav', 'residualValue', 'xirr', 'tvpi', 'dpi', 'rvpi'] as const;

/**
 * The statement as CSV, one figure a row under stable names: the roll-forward's keys, the
 * commitment, then the performance (in yen too for a JPY LP), each in snake_case; `from_date` is
 * empty for a statement from inception. The same names as the ILPA statement's CSV.
 */
function statementCsv(a: Account): string {
  const lines = [['fund_id', 'lp_id', 'from_date', 'as_of', 'line', 'currency', 'amount'].join(',')];
  const row = (line: string, currency: string, amount: string | null) =>
    lines.push([a.fundId, a.lpId, a.from ?? '', a.asOf, line, currency, amount ?? ''].join(','));
  for (const [key, amount] of Object.entries(a.rollForward)) row(snakeCase(key), 'USD', amount);
  row('commitment_usd', 'USD', a.commitment.usd);
  row('unfunded', 'USD', a.unfunded);
  row('ownership', '', a.ownership);
  for (const p of a.performance) for (const k of PERFORMANCE_KEYS) row(snakeCase(k), p.currency, p[k]);
  return `${lines.join('\n')}\n`;
}

const lpFromHash = () => new URLSearchParams(location.hash.split('?')[1] ?? '').get('lp') ?? undefined;

/**
 * The LP a page shows: an LP key's own; for another principal, the one the address names
 * (`#/account?lp=...`), else the first LP of the fund's register. Follows the address.
 */
export function useLpOf(fund: Fund, me: Schemas['Principal']): [string | undefined, (lpId: string) => void] {
  const [named, setNamed] = useState(lpFromHash());
  const [first, setFirst] = useState<string>();
  useEffect(() => {
    const onHash = () => setNamed(lpFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (me.role === 'lp' || named) return;
    call(session.client().GET('/funds/{fundId}/lps', { params: { path: { fundId: fund.fundId }, query: { asOf: fund.latestDate, limit: 1 } } })).then(
      (page) => typeof page !== 'string' && setFirst(page.rows[0]?.lpId),
      () => undefined,
    );
  }, [fund.fundId, named]);
  // Another LP is another address (this page's), so that the back button and a link work.
  const choose = (lpId: string) => (location.hash = `#/${location.hash.replace(/^#\/?/, '').split('?')[0] || 'account'}?lp=${encodeURIComponent(lpId)}`);
  return [named ?? (me.role === 'lp' ? me.subject : first), choose];
}

/** An LP's capital account statement for a period (ILPA roll-forward), its performance, and the statement to keep. */
export function AccountPage(props: { fund: Fund; me: Schemas['Principal'] }) {
  const fundId = props.fund.fundId;
  // Another principal than the LP reads an LP it names, or the register's first.
  const [lpId, setLpId] = useLpOf(props.fund, props.me);
  // The latest quarter of the books, and the year it is in.
  const latest = openingQuarterEnd(props.fund);
  const [from, setFrom] = useState(`${latest.slice(0, 4)}-01-01`);
  const [asOf, setAsOf] = useState(latest);
  const [account, setAccount] = useState<Account>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    if (!lpId) return;
    // Only the answer to the latest choice of LP and period is shown.
    let live = true;
    setLoading(true);
    setError(undefined);
    call(session.client().GET('/funds/{fundId}/lps/{lpId}', { params: { path: { fundId, lpId }, query: { asOf, ...(from ? { from } : {}) } } }))
      .then(
        (a) => live && setAccount(a),
        (e) => live && (setAccount(undefined), setError(e)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [lpId, from, asOf]);

  const download = () => {
    if (account) saveFile(`${account.fundId}-${account.lpId}-${account.asOf}.csv`, new Blob([statementCsv(account)], { type: 'text/csv' }));
  };

  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Capital account of {lpId ?? '…'}</h1>
      <form class="controls no-print" onSubmit={(e) => e.preventDefault()}>
        {props.me.role !== 'lp' && (
          <Field id="lp" label="LP">
            <input id="lp" value={lpId ?? ''} onChange={(e) => setLpId((e.target as HTMLInputElement).value)} />
          </Field>
        )}
        <Field id="from" label="From">
          <input id="from" type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="to" label="To (as of)">
          <input id="to" type="date" value={asOf} onChange={(e) => setAsOf((e.target as HTMLInputElement).value)} />
        </Field>
      </form>
      <Failure error={error} />
      {loading && <Loading what="the statement" />}
      {account && (
        <div data-testid="statement">
          <div class="figures">
            <Figure label={`Commitment (${account.currency})`} value={money(account.commitment.local)} note={`${money(account.commitment.usd)} USD`} />
            <Figure label="Unfunded (USD)" value={money(account.unfunded)} />
            <Figure label="Ownership" value={percent(account.ownership)} testId="lp-ownership" />
            <Figure
              label={`Ending NAV (USD${account.grossPerformance.length ? ', net of carry' : ''})`}
              value={money(account.rollForward.endingNav)}
              testId="ending-nav"
              note={account.grossPerformance.length ? `gross of carry: ${money(account.grossNav)}` : undefined}
            />
          </div>
          <h2>
            Statement {account.from ?? 'from inception'} to {account.asOf} (USD)
          </h2>
          <table class="statement">
            <tbody>
              {ROLL_FORWARD.filter(([key]) => key !== 'carriedInterest' || account.rollForward.carriedInterest !== '0.00').map(([key, label]) => (
                <tr class={key === 'endingNav' || key === 'beginningNav' ? 'total' : undefined}>
                  <th scope="row">{label}</th>
                  <td class="num">{money(account.rollForward[key])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Performance since admission{account.grossPerformance.length ? ': net of carry, and gross beside it' : ''}</h2>
          <Scroll label="Performance">
            <table data-testid="performance">
              <thead>
                <tr>
                  {['Currency', 'Paid in', 'Distributed', 'Residual value', 'XIRR', 'TVPI', 'DPI', 'RVPI'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[
                  ...account.performance.map((p) => ({ p, kind: account.grossPerformance.length ? 'net of carry' : '' })),
                  ...account.grossPerformance.map((p) => ({ p, kind: 'gross of carry' })),
                ].map(({ p, kind }) => (
                  <tr data-kind={kind || 'net'}>
                    <th scope="row">
                      {p.currency}
                      {kind ? `, ${kind}` : ''}
                    </th>
                    <td class="num">{money(p.paidIn)}</td>
                    <td class="num">{money(p.distributed)}</td>
                    <td class="num">{money(p.residualValue)}</td>
                    <td class="num">{percent(p.xirr)}</td>
                    <td class="num">{p.tvpi ?? '—'}</td>
                    <td class="num">{p.dpi ?? '—'}</td>
                    <td class="num">{p.rvpi ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          <p class="no-print">
            <button type="button" onClick={download}>
              Download the statement (CSV)
            </button>{' '}
            <button type="button" onClick={() => print()}>
              Print the statement
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
