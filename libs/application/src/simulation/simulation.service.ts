import { Injectable, Optional } from '@nestjs/common';
import { isIsoDate, reject, type LpKind } from '@fundsim/domain';
import type { FundModelParameters } from '@fundsim/simulation';
import { FundQueryService } from '../queries/fund-queries.service';
import type { Admission } from './commitment-admission';
import { FundSimulationService, type FollowedLpOutcome, type FormattedOutcome } from './fund-simulation.service';
import { SimulationPool } from './simulation-pool';
import type { SimulationRunOptions } from './simulation-run';

export type { Admission, CommitmentInput } from './commitment-admission';
export { carryTermsOf, runOf, throwIfCancelled, type SimulationRunOptions } from './simulation-run';

export interface LpCommitmentInput {
  amount: string;
  currency: 'USD' | 'JPY';
  date: string;
  lpKind?: LpKind;
  country?: string;
  scenario?: string;
  paths?: number;
  seed?: number;
  /** The fund model's parameters to override (see docs/simulation.md). */
  parameters?: Record<string, unknown>;
}

export const MAX_PATHS = 1_000_000;

export interface LpCommitmentSimulation {
  fundId: string;
  input: Required<Omit<LpCommitmentInput, 'parameters'>> & { parameters: Record<string, unknown> };
  parameters: FundModelParameters;
  admission: Admission;
  paths: number;
  quarters: number;
  sampledPaths: number;
  /** In USD; for a yen commitment in yen too, unhedged (every flow at its path's USD/JPY) and hedged (rolling 3-month forwards on its net assets). */
  results: { USD: FormattedOutcome; JPY?: FormattedOutcome; JPYHedged?: FormattedOutcome };
  /** With the parameter `saleYear`: the sale of its interest on the secondary market (docs/simulation.md); null: it holds to the horizon. */
  sale: FollowedLpOutcome['sale'];
}

/**
 * The retail investor's job: "if I commit this on this date, what do I own and what might happen
 * to my money?" One engine: the fund's books as of the date are copied, the commitment admitted on
 * the copy by the deciders' own rules (close, scale-back, catch-up, equalization interest), and the
 * fund model run forward from there following the new LP with its ownership share, on the fund's
 * own correlated paths (FundSimulationService, as `simulate-fund --commit` runs it: the same
 * outcome for the same seed). Nothing is written to the store.
 */
@Injectable()
export class SimulationService {
  private readonly funds: FundSimulationService;

  constructor(
    queries: FundQueryService,
    /** The API runs the Monte Carlo in worker threads; without a pool (the CLI) it runs here. */
    @Optional() pool?: SimulationPool,
  ) {
    this.funds = new FundSimulationService(queries, pool);
  }

  async simulateCommitment(fundId: string, input: LpCommitmentInput, run: SimulationRunOptions = {}): Promise<LpCommitmentSimulation> {
    if (!isIsoDate(input.date)) reject('INVALID_DATE', `date must be a date YYYY-MM-DD, got ${JSON.stringify(input.date)}`);
    if (input.currency !== 'USD' && input.currency !== 'JPY')
      reject('UNSUPPORTED_CURRENCY', `currency must be USD or JPY, got ${JSON.stringify(input.currency)}`);
    const { amount, currency, lpKind, country } = input;
    const r = await this.funds.simulate(
      fundId,
      {
        from: input.date,
        scenario: input.scenario,
        paths: input.paths,
        seed: input.seed,
        parameters: input.parameters,
        commitment: { amount, currency, ...(lpKind === undefined ? {} : { lpKind }), ...(country === undefined ? {} : { country }) },
      },
      run,
      MAX_PATHS,
    );
    const lp = r.lp!;
    const admission = lp.admission!;
    return {
      fundId,
      input: {
        amount: admission.commitment.amount,
        currency,
        date: input.date,
        lpKind: admission.lpKind,
        country: admission.country,
        scenario: r.input.scenario,
        paths: r.input.paths,
        seed: r.input.seed,
        parameters: r.input.parameters,
      },
      parameters: r.parameters,
      admission,
      paths: r.paths,
      quarters: r.quarters,
      sampledPaths: r.sampledPaths,
      results: lp.results,
      sale: lp.sale,
    };
  }
}
