import { reject, type WaterfallTerms } from '@fundsim/domain';
import type { CarryTerms } from '@fundsim/simulation';
import { SimulationCancelledError, type RunOptions } from './simulation-pool';

/** Who asks for a simulation, how to call it off, and what it is told while it waits and runs (the pool's RunOptions, progress out of the total). */
export interface SimulationRunOptions extends Omit<RunOptions, 'onProgress'> {
  onProgress?: (done: number, total: number) => void;
}

/** Without a pool the run cannot be stopped once started; a client already gone is not run for. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SimulationCancelledError();
}

/** The fund's waterfall terms in the model's figures. */
export function carryTermsOf(terms: WaterfallTerms): CarryTerms {
  const p = terms.preferredReturn;
  return {
    preferredReturn: Number(p.rate),
    compounding: p.compounding,
    dayBasis: p.dayCount === 'ACT/360' ? 360 : 365,
    catchUp: Number(terms.catchUp),
    carriedInterest: Number(terms.carriedInterest),
    ...(terms.clawback
      ? { clawback: { rule: terms.clawback.rule, ...(terms.clawback.taxRate === undefined ? {} : { taxRate: Number(terms.clawback.taxRate) }) } }
      : {}),
  };
}

/** A simulation's paths, seed and scenario, with their defaults, checked (INVALID_PARAMETER). */
export function runOf(input: { paths?: number; seed?: number; scenario?: string }, maxPaths: number): { paths: number; seed: number; scenario: string } {
  const paths = input.paths ?? 10_000;
  const seed = input.seed ?? 42;
  if (!Number.isInteger(paths) || paths < 1 || paths > maxPaths)
    reject('INVALID_PARAMETER', `paths must be an integer from 1 to ${maxPaths.toLocaleString('en-US')}, got ${JSON.stringify(input.paths)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)
    reject('INVALID_PARAMETER', `seed must be an integer from 0 to 4294967295, got ${JSON.stringify(input.seed)}`);
  return { paths, seed, scenario: input.scenario ?? 'base' };
}
