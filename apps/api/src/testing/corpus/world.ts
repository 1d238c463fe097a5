/**
 * What the hostile corpus knows of the funds, folded from the log itself (GET /events as an
 * admin while the API runs, the SQLite file once it is stopped): the generator takes its ids
 * and dates from it, and the scope audit checks each event against it as it stood before that
 * event. Deliberately its own small fold, not the domain's: an oracle that reused the rules it
 * checks would agree with their bugs.
 */

/** An event of the log, as GET /events and the store give it. */
export interface LogEvent {
  id: string;
  stream: string;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string; effectiveDate: string; commandId?: string };
}

/** The events whose reversal needs every required manager (issue 24, dual control). */
export const DUAL_CONTROLLED: ReadonlySet<string> = new Set([
  'AllocationProposed',
  'AllocationApproved',
  'AllocationRejected',
  'AllocationCommitted',
  'ProjectFunded',
]);

export interface LpView {
  onboardedBy: string;
  kind: string;
  country: string;
  currency: string;
  /** Positions of its commitments, to count those still pending. */
  commitments: { id: string; position: number }[];
}

export interface FundView {
  fundId: string;
  managers: string[];
  approvalsRequired: string[];
  /** Managers named who have not accepted yet: the fund takes no other command until they do. */
  awaiting: Set<string>;
  inception: string;
  /**
   * The latest effective date of the fund's own stream, and of its managers' events there, over
   * the events that count: not the corrections themselves, nor an event reversed without a
   * replacement (the domain folds the history again without it, so the dates may go back).
   */
  latest: string;
  /** The latest decision (any event but a fact): decisions only move forward, and the open period starts in its quarter. */
  latestDecision: string;
  /** The managers' latest decision: the open period ends at the end of the quarter after it. */
  managersDate: string;
  /** The dated events that move those, by id. */
  dated: Map<string, { date: string; byManager: boolean; fact: boolean }>;
  lps: Map<string, LpView>;
  projects: string[];
  facilities: string[];
  allocations: Map<string, 'proposed' | 'committed' | 'rejected'>;
  calls: number;
  closedThrough: number;
  /** The fund stream's events by id, and which of them a reversal has undone. */
  events: Map<string, { type: string; effectiveDate: string }>;
  reversed: Set<string>;
  /** Reversals proposed and waiting, by the event they reverse: who has approved so far. */
  proposals: Map<string, Set<string>>;
}

/** The fund and (for an LP stream) the LP a stream belongs to. */
export function streamOf(stream: string): { fundId: string; lpId?: string } | undefined {
  const match = /^fund-([^.]+)(?:\.lp-(.+))?$/.exec(stream);
  return match ? { fundId: match[1], ...(match[2] === undefined ? {} : { lpId: match[2] }) } : undefined;
}

/** The last day a non-manager may date a fact: the end of the quarter after the managers' latest decision. */
export function openPeriodEnd(managersDate: string): string {
  const year = Number(managersDate.slice(0, 4));
  const quarter = Math.floor((Number(managersDate.slice(5, 7)) - 1) / 3) + 1;
  const [y, q] = quarter === 4 ? [year + 1, 1] : [year, quarter + 1];
  return `${String(y).padStart(4, '0')}-${['03-31', '06-30', '09-30', '12-31'][q - 1]}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export class World {
  readonly funds = new Map<string, FundView>();
  /** The position after the last event folded: where the next read starts. */
  next = 0;

  pendingOf(fund: FundView, lp: LpView): number {
    return lp.commitments.filter((c) => c.position > fund.closedThrough && !fund.reversed.has(c.id)).length;
  }

  apply(event: LogEvent): void {
    this.next = Math.max(this.next, event.position + 1);
    const where = streamOf(event.stream);
    if (!where) return;
    const { type, data, metadata } = event;
    if (type === 'FundEstablished' && where.lpId === undefined) {
      const date = metadata.effectiveDate;
      this.funds.set(where.fundId, {
        fundId: where.fundId,
        managers: data.managers as string[],
        approvalsRequired: data.approvalsRequired as string[],
        awaiting: new Set((data.awaitingAcceptance as string[] | undefined) ?? []),
        inception: date,
        latest: date,
        latestDecision: date,
        managersDate: date,
        dated: new Map([[event.id, { date, byManager: true, fact: false }]]),
        lps: new Map(),
        projects: [],
        facilities: [],
        allocations: new Map(),
        calls: 0,
        closedThrough: 0,
        events: new Map(),
        reversed: new Set(),
        proposals: new Map(),
      });
    }
    const fund = this.funds.get(where.fundId);
    if (!fund) return;
    if (where.lpId !== undefined) {
      if (type !== 'CapitalCommitted') return;
      const lp = fund.lps.get(where.lpId) ?? {
        onboardedBy: metadata.actor,
        kind: String(data.kind),
        country: String(data.country),
        currency: String(data.currency),
        commitments: [],
      };
      lp.commitments.push({ id: event.id, position: event.position });
      fund.lps.set(where.lpId, lp);
      return;
    }
    const date = metadata.effectiveDate;
    if (!CORRECTIONS.has(type) && type !== 'FundEstablished') {
      const fact = FACTS.has(type);
      fund.dated.set(event.id, { date, byManager: fund.managers.includes(metadata.actor), fact });
      if (date > fund.latest) fund.latest = date;
      if (!fact && date > fund.latestDecision) fund.latestDecision = date;
      if (!fact && fund.managers.includes(metadata.actor) && date > fund.managersDate) fund.managersDate = date;
    }
    fund.events.set(event.id, { type, effectiveDate: date });
    switch (type) {
      case 'ManagementAccepted':
        fund.awaiting.delete(String(data.manager));
        break;
      case 'ProjectRegistered':
        fund.projects.push(String(data.projectId));
        break;
      case 'CreditFacilityOpened':
        fund.facilities.push(String(data.facilityId));
        break;
      case 'AllocationProposed':
        fund.allocations.set(String(data.allocationId), 'proposed');
        break;
      case 'AllocationCommitted':
        fund.allocations.set(String(data.allocationId), 'committed');
        break;
      case 'AllocationRejected':
        fund.allocations.set(String(data.allocationId), 'rejected');
        break;
      case 'CapitalCalled':
        fund.calls = Math.max(fund.calls, Number(data.callNumber));
        break;
      case 'CloseHeld':
        fund.closedThrough = Number(data.throughPosition);
        break;
      case 'ReversalProposed':
        fund.proposals.set(String(data.eventId), new Set([metadata.actor, ...((data.approvals as string[] | undefined) ?? [])]));
        break;
      case 'ReversalApproved':
        fund.proposals.get(String(data.eventId))?.add(metadata.actor);
        break;
      case 'ReversalRejected':
        fund.proposals.delete(String(data.eventId));
        break;
      case 'EventReversed':
        fund.reversed.add(String(data.eventId));
        fund.proposals.delete(String(data.eventId));
        if (data.replacement === undefined && fund.dated.delete(String(data.eventId))) {
          const counted = [...fund.dated.values()];
          fund.latest = counted.reduce((a, e) => (e.date > a ? e.date : a), fund.inception);
          fund.latestDecision = counted.filter((e) => !e.fact).reduce((a, e) => (e.date > a ? e.date : a), fund.inception);
          fund.managersDate = counted.filter((e) => e.byManager && !e.fact).reduce((a, e) => (e.date > a ? e.date : a), fund.inception);
        }
        break;
    }
  }
}

/** The facts: dated anywhere in the open period, they move neither the latest decision nor the period. */
const FACTS: ReadonlySet<string> = new Set(['FxRateRecorded', 'ProjectValued', 'ProceedsReceived']);

/** The first day of the open period: the first day of the quarter of the latest decision. */
export function openPeriodStart(latestDecision: string): string {
  const month = Math.floor((Number(latestDecision.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${latestDecision.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
}

/** The corrections: recorded with the reversed event's date, they move no date themselves. */
const CORRECTIONS: ReadonlySet<string> = new Set(['EventReversed', 'ReversalProposed', 'ReversalApproved', 'ReversalRejected']);
