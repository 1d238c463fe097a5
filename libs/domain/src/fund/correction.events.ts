/**
 * A correction: never an edit in place. It reverses an earlier event of the fund's stream, and
 * may put a replacement in its place, from that event's effective date (the reversal carries it).
 * It is itself recorded now, so "as known at" an earlier time the books still show the original.
 */
export type EventReversed = {
  type: 'EventReversed';
  data: {
    eventId: string;
    reversedType: string;
    reason: string;
    replacement?: { type: string; data: Record<string, unknown> };
  };
};
