import type { Command } from '../command';

export type ReverseEvent = Command<'ReverseEvent', { eventId: string; reason: string; replacement?: { type: string; data: Record<string, unknown> } }>;
/** A required manager's consent to a reversal another manager proposed (of an event under dual control). */
export type ApproveReversal = Command<'ApproveReversal', { eventId: string }>;
/** A required manager refuses a proposed reversal (the proposer may withdraw its own this way). */
export type RejectReversal = Command<'RejectReversal', { eventId: string; reason?: string }>;

export type CorrectionCommand = ReverseEvent | ApproveReversal | RejectReversal;
