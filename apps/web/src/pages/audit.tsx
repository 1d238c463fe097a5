import { useEffect, useRef, useState } from 'preact/hooks';
import { call, followEvents, session, type Fund, type Schemas } from '../api';
import { money } from '../format';
import { Failure, Loading, Scroll } from '../ui';

type Trail = Schemas['AllocationTrail'];

/** The audit: each allocation and its trail, the compliance report, the chain; live as the log grows. */
export function AuditPage(props: { fund: Fund }) {
  const path = { fundId: props.fund.fundId };
  const [allocations, setAllocations] = useState<Schemas['AllocationSummaries']>();
  const [selected, setSelected] = useState<string>();
  const [trail, setTrail] = useState<Trail>();
  const [compliance, setCompliance] = useState<Schemas['ComplianceReport']>();
  const [verified, setVerified] = useState<Schemas['FundVerifyResult']>();
  const [position, setPosition] = useState<string>();
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<unknown>();
  const refreshes = useRef(0);

  /** Reads the audit again; an answer to an older refresh than the latest is dropped. */
  const refresh = () => {
    const mine = ++refreshes.current;
    const keep =
      <T,>(set: (value: T) => void) =>
      (value: T) => {
        if (mine === refreshes.current) set(value);
      };
    setError(undefined);
    call(session.client().GET('/funds/{fundId}/audit/allocations', { params: { path } })).then(keep(setAllocations), keep(setError));
    call(session.client().GET('/funds/{fundId}/audit/verify', { params: { path } })).then(keep(setVerified), keep(setError));
    call(session.client().GET('/funds/{fundId}/audit/compliance', { params: { path } })).then(keep(setCompliance), keep(setError));
  };
  useEffect(() => {
    refresh();
    // Live: each change of the fund's log (a server-sent event, its id the log position) refreshes the audit.
    const stop = new AbortController();
    followEvents(
      `/funds/${encodeURIComponent(props.fund.fundId)}/balance-sheet/stream`,
      stop.signal,
      (message) => {
        if (message.event !== 'balance-sheet') return;
        setPosition((seen) => {
          if (seen !== undefined && seen !== message.id) refresh();
          return message.id;
        });
      },
      setConnected,
    ).catch((e: unknown) => {
      if (!stop.signal.aborted) setError(e);
    });
    return () => stop.abort();
  }, []);
  useEffect(() => {
    if (!selected) return;
    let live = true;
    call(session.client().GET('/funds/{fundId}/audit/allocations/{allocationId}', { params: { path: { ...path, allocationId: selected } } })).then(
      (t) => live && setTrail(t),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [selected, allocations]);

  const breaches = compliance?.entries.filter((e) => !e.ok) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit of the allocation log</h1>
      <p class="live" aria-live="polite" data-testid="live">
        {connected && position
          ? `Live: the books reflect the log up to position ${position}`
          : position
            ? `Reconnecting to the live stream (last at position ${position})…`
            : 'Connecting to the live stream…'}
      </p>
      <Failure error={error} />
      <h2>The hash chain</h2>
      {!verified ? (
        <Loading what="the verification" />
      ) : verified.ok ? (
        <p class="ok" data-testid="verify">
          Verified: {verified.count} events, head hash <code>{verified.headHash}</code>
        </p>
      ) : (
        <p class="breach" data-testid="verify" role="alert">
          BROKEN at position {verified.position} ({verified.stream} revision {verified.revision}): {verified.reason}
        </p>
      )}
      <h2>Allocations</h2>
      {!allocations ? (
        <Loading what="the allocations" />
      ) : (
        <Scroll label="Allocations">
          <table data-testid="allocations">
            <thead>
              <tr>
                {['Allocation', 'Project', 'Sector', 'Amount (USD)', 'Status', 'Approved by (proposer first)', 'Funded (USD)', 'Corrections', ''].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {allocations.map((a) => (
                <tr class={a.allocationId === selected ? 'selected' : undefined}>
                  <th scope="row">{a.allocationId}</th>
                  <td>{a.projectName}</td>
                  <td>{a.sector}</td>
                  <td class="num">{money(a.amount)}</td>
                  <td>{a.status}</td>
                  <td>{a.approvedBy.join(', ')}</td>
                  <td class="num">{money(a.funded)}</td>
                  <td class="num">{a.corrections}</td>
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(a.allocationId)} aria-pressed={a.allocationId === selected}>
                      Trail<span class="visually-hidden"> of {a.allocationId}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      {trail && trail.allocationId === selected && (
        <>
          <h2>
            Trail of {trail.allocationId}: {trail.lines.length} lines
          </h2>
          <Scroll label="Trail">
            <table data-testid="trail">
              <thead>
                <tr>
                  {['Position', 'Effective', 'Recorded at', 'Actor', 'Event', 'Corrections'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {trail.lines.map((l) => (
                  <tr class={l.corrections.length ? 'corrected' : undefined}>
                    <td class="num">{l.position}</td>
                    <td>{l.effectiveDate}</td>
                    <td>{l.recordedAt}</td>
                    <td>{l.importedBy ? `${l.actor} (import by ${l.importedBy})` : l.actor}</td>
                    <td>{l.type}</td>
                    <td class="wrap">
                      {l.corrections.map((c) => `${c.replacedBy ? 'replaced' : 'reversed'} by ${c.actor} at ${c.recordedAt}: ${c.reason}`).join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      )}
      <h2>Compliance</h2>
      {!compliance ? (
        <Loading what="the compliance report" />
      ) : (
        <>
          <p data-testid="compliance" class={compliance.breaches ? 'breach' : 'ok'}>
            {compliance.checkedEvents} events checked (allocation commitments, fundings, leverage draws, and payments out of cash): {compliance.breaches} breach
            {compliance.breaches === 1 ? '' : 'es'}.
          </p>
          <Scroll label="Compliance checks">
            <table>
              <caption>{breaches.length ? 'The breaches' : 'The latest 20 checks'}</caption>
              <thead>
                <tr>
                  {['Position', 'Effective', 'Event', 'Subject', 'Amount (USD)', 'Result'].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(breaches.length ? breaches : compliance.entries.slice(-20)).map((e) => (
                  <tr class={e.ok ? undefined : 'breach'}>
                    <td class="num">{e.position}</td>
                    <td>{e.effectiveDate}</td>
                    <td>{e.type}</td>
                    <td>{e.subject}</td>
                    <td class="num">{money(e.amount)}</td>
                    <td class="wrap">
                      {e.ok
                        ? 'ok'
                        : `BREACH: ${e.checks
                            .filter((c) => !c.ok)
                            .map((c) => c.message)
                            .join('; ')}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      )}
    </section>
  );
}
