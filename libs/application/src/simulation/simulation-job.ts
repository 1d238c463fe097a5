import type { CarryTerms, CommitmentStart, FundFork, FundModelParameters, FundSimulationResult, ModelParameters, SimulationResult } from '@fundsim/simulation';

/** A simulation for a worker: an LP's commitment (the cash-flow model), or the fund forward from its books. */
export type SimulationJob =
  | { kind: 'lp'; start: CommitmentStart; parameters: ModelParameters; options: { paths: number; seed: number; fxSpot?: number; carry?: CarryTerms } }
  | { kind: 'fund'; fork: FundFork; parameters: FundModelParameters; options: { paths: number; seed: number } };

export type ResultOf<J extends SimulationJob> = J extends { kind: 'lp' } ? SimulationResult : FundSimulationResult;
