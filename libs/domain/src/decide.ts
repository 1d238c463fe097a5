import { type AnyCommand, type CommandOf, type CommandType } from './catalog/command-catalog';
import { contextFor, type ContextOf, type ContextParts } from './catalog/contexts';
import { decideReversal, decideReversalApproval, decideReversalRejection } from './fund/correction.decider';
import { FUND_DECISIONS } from './fund/fund.decider';
import { evolveFund, initialFundState, type FundState, type RecordedFundEvent } from './fund/fund.state';
import type { FundEvent } from './fund/fund.events';
import type { CommitCapital } from './investors/commitment.commands';
import type { CapitalCommitted } from './investors/commitment.events';
import { decideCommitment, decideCommitmentReversal } from './investors/commitment.decider';

/** An event a decider decides (a correction's carries the effective date of what it corrects). */
export type Decided = (FundEvent | CapitalCommitted) & { effectiveDate?: string };

/** Emmett's Decider: how a stream's commands become events, and its events its state. */
export interface Decider<Command extends AnyCommand, Event, State> {
  decide<T extends Command['type']>(command: CommandOf<T>, context: ContextOf<T>): Decided[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Every command's decision, from the context its catalog entry names: the compiler asks for one per command type. */
const DECISIONS: { readonly [T in CommandType]: (command: CommandOf<T>, context: ContextOf<T>) => Decided[] } = {
  ...FUND_DECISIONS,
  CommitCapital: (command, { fund, lp }) => decideCommitment(command, fund, lp),
  // A reversal of an event of the fund's stream, or of a pending commitment on an LP's.
  ReverseEvent: (command, { fund, history, investors }) =>
    history.some((e) => e.metadata.eventId === command.data.eventId)
      ? decideReversal(command, history, fund)
      : decideCommitmentReversal(command, fund, investors),
  ApproveReversal: (command, { fund, history }) => decideReversalApproval(command, history, fund),
  RejectReversal: (command, { fund, history }) => decideReversalRejection(command, history, fund),
};

/** decide(command, context) -> events: the one entry to every decider. Pure: no clock, no I/O. */
export function decide<T extends CommandType>(command: CommandOf<T>, context: ContextOf<T>): Decided[] {
  const decision = DECISIONS[command.type as T] as (command: CommandOf<T>, context: ContextOf<T>) => Decided[];
  return decision(command, context);
}

/** Decides a command with the parts of its context a caller loaded (the context its catalog entry names). */
export const decideWith = <T extends CommandType>(command: CommandOf<T>, parts: ContextParts): Decided[] =>
  decide(command, contextFor(command.type as T, parts));

/** The fund's stream: its commands (the fund's own and the corrections), decided as above, folded into its state. */
export const fundDecider: Decider<Exclude<AnyCommand, CommitCapital>, RecordedFundEvent, FundState> = {
  decide,
  evolve: evolveFund,
  initialState: initialFundState,
};
