import type { Command } from '../command';
import type { LpKind } from './commitment.events';

export type CommitCapital = Command<'CommitCapital', { lpId: string; kind: LpKind; country: string; amount: string; currency: string }>;
