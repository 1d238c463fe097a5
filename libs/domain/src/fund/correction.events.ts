/**
 * A correction: never an edit in place. It reverses an earlier event of the fund's stream, and
 * may put a replacement in its place, from that event's effective date (the reversal carries it).
 * It is itself recorded now, so "as known at" an earlier time the books still show the original.
 * A reversal of an event under dual control carries the managers who approved it.
 */
export type EventReversed = {
  type: 'EventReversed';
  data: {
    eventId: string;
    reversedType: string;
    reason: string;
    replacement?: { type: string; data: Record<string, unknown> };
    /** Present when the reversal was proposed and approved under dual control. */
    approvedBy?: string[];
  };
};

/**
 * A reversal of an event under dual control, proposed by one manager: the books are unchanged
 * until every required manager has approved it (then an EventReversed follows).
 */
export type ReversalProposed = {
  type: 'ReversalProposed';
  data: {
    eventId: string;
    reversedType: string;
    reason: string;
    replacement?: { type: string; data: Record<string, unknown> };
    approvals: string[];
  };
};

export type ReversalApproved = { type: 'ReversalApproved'; data: { eventId: string; approvals: string[] } };
export type ReversalRejected = { type: 'ReversalRejected'; data: { eventId: string; reason: string } };

export type CorrectionEvent = EventReversed | ReversalProposed | ReversalApproved | ReversalRejected;
