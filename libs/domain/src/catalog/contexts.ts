import type { FundState, RecordedFundEvent } from '../fund/fund.state';
import type { LpStanding } from '../investors/commitment.decider';
import type { InvestorLedger } from '../investors/investor-ledger';
import { COMMANDS, type CommandType, type ContextKind, type ContextKindOf } from './command-catalog';

/** What a decider reads besides its command, by the context kind its catalog entry names. */
export interface DecisionContexts {
  fund: { fund: FundState };
  investors: { fund: FundState; investors: InvestorLedger };
  /** The LP's standing from its own stream: absent for an LP's first commitment. */
  lp: { fund: FundState; lp: LpStanding | undefined };
  history: { fund: FundState; history: readonly RecordedFundEvent[] };
  'history-and-investors': { fund: FundState; history: readonly RecordedFundEvent[]; investors: InvestorLedger };
}

/** The context a command's decider reads. */
export type ContextOf<T extends CommandType> = DecisionContexts[ContextKindOf<T>];

/** Everything a caller may have loaded; `contextFor` takes what the command needs. */
export interface ContextParts {
  fund: FundState;
  history?: readonly RecordedFundEvent[];
  investors?: InvestorLedger;
  lp?: LpStanding;
}

/**
 * The context a command's decider reads, from the parts loaded: the command service loads what
 * the catalog names, so a part missing here is a bug of the caller, not a user's mistake.
 */
export function contextFor<T extends CommandType>(type: T, parts: ContextParts): ContextOf<T>;
export function contextFor(type: CommandType, { fund, history, investors, lp }: ContextParts): DecisionContexts[ContextKind] {
  const kind = COMMANDS[type].context;
  const need = <P>(part: P | undefined, name: string): P => {
    if (part === undefined) throw new Error(`${type} decides with ${name}: load it before deciding`);
    return part;
  };
  switch (kind) {
    case 'fund':
      return { fund };
    case 'investors':
      return { fund, investors: need(investors, 'the investor ledger') };
    case 'lp':
      return { fund, lp };
    case 'history':
      return { fund, history: need(history, "the fund's history") };
    case 'history-and-investors':
      return { fund, history: need(history, "the fund's history"), investors: need(investors, 'the investor ledger') };
  }
}
