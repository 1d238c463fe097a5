import type { Command } from '../command';

export type ReverseEvent = Command<
  'ReverseEvent',
  { eventId: string; reason: string; replacement?: { type: string; data: Record<string, unknown> } }
>;
