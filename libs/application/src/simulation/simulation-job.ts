import type { FundFork, FundModelParameters, FundSimulationResult } from '@fundsim/simulation';

/** A simulation for a worker: the fund forward from its books (following an LP in them, or a new commitment admitted at the fork). */
export type SimulationJob = { kind: 'fund'; fork: FundFork; parameters: FundModelParameters; options: { paths: number; seed: number } };

export type ResultOf<J extends SimulationJob> = J extends { kind: 'fund' } ? FundSimulationResult : never;
