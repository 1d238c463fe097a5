import { noActions, type FundFork } from './fund-fork';
import type { FundModelParameters } from './fund-parameters';
import { FundPath, fundModelOf } from './fund-path';
import { runQuarter } from './fund-quarter';
import { FundResults, type FundSimulationResult } from './fund-results';
import { Random } from './random';

// The model's input, trace and result, and the correlation it factors, are named here too (its public face).
export type { FollowedLp, FundFork, QuarterActions } from './fund-fork';
export type { LpFigures, LpOutcome, LpResult } from './lp-results';
export { FUND_SAMPLED_PATHS, type FundPathFigures, type FundSimulationResult } from './fund-results';
export { correlationFactor } from './sector-correlation';

/**
 * Runs the fund forward from its fork, quarter by quarter, over `paths` seeded paths. Each
 * quarter (fund-quarter.ts, one step each): values move (sector shocks, correlated, tilted by the
 * sentiment of the quarter before); income and, from the exit age, capital proceeds come in;
 * interest, fees and expenses fall due with the quarter's fundings; calls come in at their pace,
 * and what is still short is drawn within the leverage cap (the books' rule) and the facilities'
 * limits and maturities; what cannot be paid is a liquidity shortfall (fundings wait first); once
 * nothing is left to fund, debt is repaid; spare cash is distributed. With every volatility at
 * zero each path is the deterministic run.
 */
export function simulateFund(
  fork: FundFork,
  p: FundModelParameters,
  options: { paths: number; seed: number; trace?: boolean; onProgress?: (done: number) => void },
): FundSimulationResult {
  const model = fundModelOf(fork, p);
  const random = new Random(options.seed);
  const results = new FundResults(model, options.paths, options.seed);
  const state = new FundPath(model);
  for (let path = 0; path < options.paths; path++) {
    state.start();
    results.startPath();
    results.record(path, 0, state);
    for (let q = 1; q <= model.quarters; q++) {
      const acts = options.trace && path === 0 ? noActions(q, fork.dates[q]) : undefined;
      results.endQuarter(path, q, state, runQuarter(model, state, q, random, acts), acts);
    }
    results.endPath(path, state);
    if (options.onProgress && (path + 1) % 1000 === 0) options.onProgress(path + 1);
  }
  return results.summary(options.trace ?? false);
}
