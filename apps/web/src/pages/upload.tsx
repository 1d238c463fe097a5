import { useState } from 'preact/hooks';
import { ApiError, call, session, type Fund, type Schemas } from '../api';
import { money, parseCsv } from '../format';
import { Failure, Figure, Scroll } from '../ui';

type Result = Schemas['CommitmentBatchResult'];

/** The file's columns, by their CSV names, and the field each is. */
const COLUMNS = { lp_id: 'lpId', kind: 'kind', country: 'country', amount: 'amount', currency: 'currency', effective_date: 'effectiveDate' } as const;
const HEADER = Object.keys(COLUMNS).join(',');
/** The API's bound on a file's rows (POST /funds/:fundId/commitment-batches). */
const MAX_ROWS = 500;

/** The file's rows as the API takes them: each column by its field, an empty cell left out (the API then says it is missing). */
function rowsOf(text: string): { rows: Record<string, string>[]; error?: string } {
  const [header, ...lines] = parseCsv(text);
  if (!header) return { rows: [], error: 'The file is empty' };
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = Object.keys(COLUMNS).filter((c) => !names.includes(c));
  const extra = names.filter((n) => !(n in COLUMNS));
  if (missing.length || extra.length)
    return {
      rows: [],
      error: `The header must name the columns ${HEADER}${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; unknown: ${extra.join(', ')}` : ''}`,
    };
  if (lines.length === 0) return { rows: [], error: 'The file has a header and no row' };
  if (lines.length > MAX_ROWS) return { rows: [], error: `The file has ${lines.length} rows: at most ${MAX_ROWS} a file (split it into several files)` };
  const rows = lines.map((cells) =>
    Object.fromEntries(
      names.flatMap((name, i) => {
        const value = (cells[i] ?? '').trim();
        return value === '' ? [] : [[COLUMNS[name as keyof typeof COLUMNS], value]];
      }),
    ),
  );
  return { rows };
}

/**
 * The operator's work: a CSV of commitments from its platform, checked row by row against the
 * books (the rules' codes beside each row), previewed, then submitted as one scenario: all rows
 * written together, or, when any is refused, none.
 */
export function UploadPage(props: { fund: Fund }) {
  const fundId = props.fund.fundId;
  const [name, setName] = useState<string>();
  const [rows, setRows] = useState<Record<string, string>[]>();
  const [preview, setPreview] = useState<Result>();
  const [written, setWritten] = useState<Result>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const send = (body: { rows: Record<string, string>[]; preview: boolean }) =>
    call(session.client().POST('/funds/{fundId}/commitment-batches', { params: { path: { fundId } }, body }));

  const load = async (file: File) => {
    setError(undefined);
    setPreview(undefined);
    setWritten(undefined);
    setName(file.name);
    const parsed = rowsOf(await file.text());
    if (parsed.error) {
      setRows(undefined);
      setError(new Error(parsed.error));
      return;
    }
    setRows(parsed.rows);
    setBusy(true);
    try {
      setPreview(await send({ rows: parsed.rows, preview: true }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    if (!rows) return;
    setBusy(true);
    setError(undefined);
    try {
      setWritten(await send({ rows, preview: false }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="upload-title">
      <h1 id="upload-title">Upload commitments</h1>
      <p>
        A CSV of your platform's commitments to {props.fund.name}, one a row, with the header <code>{HEADER}</code>. Each row is checked against the fund's
        books and rules before anything is written; the file is then written as one scenario, every row or none.
      </p>
      <div class="field">
        <label for="csv">The CSV file</label>
        <input
          id="csv"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) void load(file);
          }}
        />
      </div>
      <Failure error={error instanceof ApiError && error.code === 'BATCH_REFUSED' ? undefined : error} />
      {busy && (
        <p class="loading" role="status">
          Checking {rows?.length ?? ''} rows…
        </p>
      )}
      {preview && (
        <div data-testid="preview">
          <h2>
            {name}: {preview.rows.length} rows checked against the books
          </h2>
          <div class="figures">
            <Figure label="Rows accepted" value={String(preview.accepted)} testId="accepted" />
            <Figure label="Rows refused" value={String(preview.refused)} testId="refused" />
            <Figure label="Accepted, in USD" value={money(preview.totalUsd)} />
          </div>
          <Scroll label="Rows">
            <table data-testid="rows">
              <thead>
                <tr>
                  {['Row', 'LP', 'Amount', 'Currency', 'Date', 'USD', 'Result'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r, i) => (
                  <tr class={r.ok ? undefined : 'breach'} data-row={r.row}>
                    <td class="num">{r.row}</td>
                    <td>{r.lpId ?? '—'}</td>
                    <td class="num">{rows?.[i]?.amount ?? '—'}</td>
                    <td>{rows?.[i]?.currency ?? '—'}</td>
                    <td>{rows?.[i]?.effectiveDate ?? '—'}</td>
                    <td class="num">{money(r.amountUsd)}</td>
                    <td class="wrap">{r.ok ? 'ok' : `${r.code}: ${r.message}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          {preview.refused > 0 ? (
            <p class="breach" role="alert" data-testid="refused-note">
              {preview.refused} row{preview.refused === 1 ? '' : 's'} refused: correct the file and load it again. Nothing can be written while any row is
              refused.
            </p>
          ) : (
            !written && (
              <p>
                <button type="button" disabled={busy} onClick={submit}>
                  Submit the {preview.accepted} commitments as one scenario
                </button>
              </p>
            )
          )}
        </div>
      )}
      {written && (
        <p class="ok" role="status" data-testid="written">
          Written: {written.accepted} commitments ({money(written.totalUsd)} USD) at log positions {written.fromPosition} to {written.toPosition}.
        </p>
      )}
    </section>
  );
}
