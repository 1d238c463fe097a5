import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, session, type Fund, type Schemas } from '../api';
import { useFundLive } from '../live';
import { money } from '../format';
import { Failure, Field, Loading, Scroll } from '../ui';

type Pending = Schemas['PendingApprovals']['pending'][number];

/** What a pending decision is, in words. */
function whatOf(p: Pending): string {
  if (p.kind === 'allocation') return `Allocation ${p.id}: ${money(p.amount)} USD to ${p.project?.name ?? '?'} (${p.project?.sector ?? '?'})`;
  const r = p.reversal!;
  return `Reversal of ${r.reversedType} of ${r.reversedEffectiveDate}${r.allocationId ? ` (allocation ${r.allocationId})` : ''}${r.replacementType ? `, replaced by a new ${r.replacementType}` : ''}: ${r.reason}`;
}

/**
 * The managers' work under dual control: what awaits this manager (proposed by the other), what
 * awaits the other, approve or reject with a reason in the key's own name, and a proposal form for
 * an allocation. Live: each append to the fund's log refreshes the queue.
 */
export function ApprovalsPage(props: { fund: Fund; me: Schemas['Principal'] }) {
  const fundId = props.fund.fundId;
  const me = props.me.subject;
  const acts = props.me.role === 'manager' && props.fund.managers.includes(me);
  const [queue, setQueue] = useState<Schemas['PendingApprovals']>();
  const [allocations, setAllocations] = useState<Schemas['AllocationSummaries']>();
  const [latest, setLatest] = useState(props.fund.latestDate);
  const [date, setDate] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const refreshes = useRef(0);

  const refresh = () => {
    const mine = ++refreshes.current;
    const keep =
      <T,>(set: (value: T) => void) =>
      (value: T) => {
        if (mine === refreshes.current) set(value);
      };
    call(session.client().GET('/funds/{fundId}/approvals', { params: { path: { fundId } } })).then(keep(setQueue), keep(setError));
    call(session.client().GET('/funds/{fundId}/audit/allocations', { params: { path: { fundId } } })).then(keep(setAllocations), keep(setError));
    // The books' latest date moves as the log grows: a decision is dated on or after it.
    call(session.client().GET('/funds')).then(
      keep((funds) => setLatest(funds.find((f) => f.fundId === fundId)?.latestDate ?? props.fund.latestDate)),
      keep(setError),
    );
  };
  useEffect(refresh, [fundId]);
  const live = useFundLive(fundId, refresh, setError);
  const effectiveDate = date ?? latest;

  /** Sends one decision in this key's name; the queue follows from the live stream (and at once, here). */
  const act = async (what: string, send: () => Promise<Schemas['CommandResult']>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await send();
      setDone(`${what}: recorded at log position ${result.position} (${result.events.map((e) => e.type).join(', ')}).`);
      refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const client = () => session.client();
  const approve = (p: Pending) =>
    act(`${p.kind === 'allocation' ? 'Allocation' : 'Reversal'} ${p.id} approved`, () =>
      p.kind === 'allocation'
        ? call(
            client().POST('/funds/{fundId}/allocations/{allocationId}/approvals', {
              params: { path: { fundId, allocationId: p.id } },
              body: { effectiveDate },
            }),
          )
        : call(client().POST('/funds/{fundId}/events/{eventId}/reversals/approvals', { params: { path: { fundId, eventId: p.id } }, body: {} })),
    );
  const reject = (p: Pending, reason: string) =>
    act(`${p.kind === 'allocation' ? 'Allocation' : 'Reversal'} ${p.id} rejected`, () =>
      p.kind === 'allocation'
        ? call(
            client().POST('/funds/{fundId}/allocations/{allocationId}/rejections', {
              params: { path: { fundId, allocationId: p.id } },
              body: { effectiveDate, reason },
            }),
          )
        : call(client().POST('/funds/{fundId}/events/{eventId}/reversals/rejections', { params: { path: { fundId, eventId: p.id } }, body: { reason } })),
    );

  const mine = queue?.pending.filter((p) => acts && p.awaiting.includes(me)) ?? [];
  const others = queue?.pending.filter((p) => !(acts && p.awaiting.includes(me))) ?? [];
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">Approvals</h1>
      <p>
        Dual control: every allocation, and every reversal of a joint decision, needs{' '}
        <strong>{queue ? queue.approvalsRequired.join(' and ') : props.fund.approvalsRequired.join(' and ')}</strong>. The books change only when the last of
        them approves; one rejection ends it.
        {acts ? ` You act as ${me}.` : ' This key reads the queue; only a manager of the fund acts on it.'}
      </p>
      <p class="live" aria-live="polite" data-testid="live">
        {live.connected && live.position ? `Live: the queue reflects the log up to position ${live.position}` : 'Connecting to the live stream…'}
      </p>
      {acts && (
        <form class="controls" onSubmit={(e) => e.preventDefault()}>
          <Field id="decision-date" label="Date of your decisions (effective)" error={error instanceof ApiError ? error.reasonFor('effectiveDate') : undefined}>
            <input id="decision-date" type="date" value={effectiveDate} onChange={(e) => setDate((e.target as HTMLInputElement).value || undefined)} />
          </Field>
        </form>
      )}
      <Failure error={error} />
      {done && (
        <p class="ok" role="status" data-testid="done">
          {done}
        </p>
      )}
      {!queue ? (
        <Loading what="the queue" />
      ) : (
        <>
          {acts && (
            <>
              <h2>Awaiting your approval ({mine.length})</h2>
              <Queue testId="awaiting-me" items={mine} busy={busy} onApprove={approve} onReject={reject} />
            </>
          )}
          <h2>{acts ? `Awaiting the other managers (${others.length})` : `Open decisions (${others.length})`}</h2>
          <Queue testId="awaiting-others" items={others} busy={busy} />
        </>
      )}
      {acts && <ProposalForm fundId={fundId} effectiveDate={effectiveDate} allocations={allocations} busy={busy} act={act} />}
    </section>
  );
}

/** A table of pending decisions; with handlers, each row has its approve and reject (with a reason) buttons. */
function Queue(props: { testId: string; items: Pending[]; busy: boolean; onApprove?: (p: Pending) => void; onReject?: (p: Pending, reason: string) => void }) {
  const [rejecting, setRejecting] = useState<string>();
  const [reason, setReason] = useState('');
  if (props.items.length === 0)
    return (
      <p data-testid={props.testId} class="hint">
        Nothing waits here.
      </p>
    );
  return (
    <Scroll label="Pending decisions">
      <table data-testid={props.testId} class="queue">
        <thead>
          <tr>
            {['Decision', 'Proposed by', 'On', 'Approved by', 'Must still approve', ...(props.onApprove ? ['Your decision'] : [])].map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.items.map((p) => (
            <tr data-id={p.id}>
              <td class="wrap">{whatOf(p)}</td>
              <td>{p.proposedBy}</td>
              <td>{p.proposedOn}</td>
              <td>{p.approvedBy.join(', ')}</td>
              <td>{p.awaiting.join(', ')}</td>
              {props.onApprove && props.onReject && (
                <td class="wrap">
                  {rejecting === p.id ? (
                    <form
                      class="inline"
                      aria-label={`Reject ${p.id}`}
                      onSubmit={(e) => {
                        e.preventDefault();
                        props.onReject!(p, reason.trim());
                        setRejecting(undefined);
                        setReason('');
                      }}
                    >
                      <label for={`reason-${p.id}`}>Reason for rejecting {p.id}</label>
                      <input id={`reason-${p.id}`} required maxLength={2000} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
                      <button type="submit" disabled={props.busy || reason.trim() === ''}>
                        Reject
                      </button>{' '}
                      <button type="button" class="link" onClick={() => setRejecting(undefined)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <>
                      <button type="button" disabled={props.busy} onClick={() => props.onApprove!(p)}>
                        Approve<span class="visually-hidden"> {p.id}</span>
                      </button>{' '}
                      <button type="button" class="secondary" disabled={props.busy} onClick={() => setRejecting(p.id)}>
                        Reject…<span class="visually-hidden"> {p.id}</span>
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** A manager proposes an allocation (its proposal counts as its own approval); the other manager must approve it. */
function ProposalForm(props: {
  fundId: string;
  effectiveDate: string;
  allocations?: Schemas['AllocationSummaries'];
  busy: boolean;
  act: (what: string, send: () => Promise<Schemas['CommandResult']>) => Promise<void>;
}) {
  const [form, setForm] = useState({ allocationId: '', projectId: '', amount: '' });
  const [error, setError] = useState<unknown>();
  const set = (field: keyof typeof form) => (e: Event) => setForm({ ...form, [field]: (e.target as HTMLInputElement).value });
  const projects = [...new Map((props.allocations ?? []).map((a) => [a.projectId, a.projectName])).entries()];
  const reason = (field: string) => (error instanceof ApiError ? error.reasonFor(field) : undefined);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    await props.act(`Allocation ${form.allocationId} proposed`, async () => {
      try {
        return await call(
          session.client().POST('/funds/{fundId}/allocations', {
            params: { path: { fundId: props.fundId } },
            body: { effectiveDate: props.effectiveDate, allocationId: form.allocationId.trim(), projectId: form.projectId.trim(), amount: form.amount.trim() },
          }),
        );
      } catch (e) {
        setError(e);
        throw e;
      }
    });
  };
  return (
    <>
      <h2>Propose an allocation</h2>
      <form class="controls" onSubmit={submit} aria-label="Propose an allocation" noValidate>
        <Field id="allocation-id" label="Allocation id" error={reason('allocationId')}>
          <input id="allocation-id" value={form.allocationId} onInput={set('allocationId')} aria-invalid={reason('allocationId') ? 'true' : undefined} />
        </Field>
        <Field id="project-id" label="Project id" error={reason('projectId')}>
          <input id="project-id" list="projects" value={form.projectId} onInput={set('projectId')} aria-invalid={reason('projectId') ? 'true' : undefined} />
          <datalist id="projects">
            {projects.map(([id, name]) => (
              <option value={id}>{name}</option>
            ))}
          </datalist>
        </Field>
        <Field id="allocation-amount" label="Amount (USD)" error={reason('amount')}>
          <input id="allocation-amount" inputMode="decimal" value={form.amount} onInput={set('amount')} aria-invalid={reason('amount') ? 'true' : undefined} />
        </Field>
        <button type="submit" disabled={props.busy}>
          Propose
        </button>
      </form>
      <p class="hint">Dated {props.effectiveDate}. Your proposal counts as your approval; it waits for the other managers.</p>
    </>
  );
}
