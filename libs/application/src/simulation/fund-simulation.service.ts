import { Injectable, Optional } from '@nestjs/common';
import {
  accrue,
  accrueInterest,
  addMonths,
  bearsNoCarry,
  availableCash,
  daysBetween,
  isIsoDate,
  isIsoTimestamp,
  ownsBy,
  parseCents,
  reject,
  type FundState,
} from '@fundsim/domain';
import { fundFlows, knownAtInstant, linesAt, type Ledger } from '@fundsim/projections';
import { InvalidParameterError, resolveFundParameters, simulateFund, type FundFork, type FundModelParameters, type QuarterActions } from '@fundsim/simulation';
import { FundQueryService } from '../queries/fund-queries.service';
import { admitCommitment, PendingCommitments, type Admission, type CommitmentInput } from './commitment-admission';
import { present, type FundSimulation } from './fund-simulation.view';
import { SimulationPool } from './simulation-pool';
import { carryTermsOf, runOf, throwIfCancelled, type SimulationRunOptions } from './simulation-run';

export interface FundSimulationInput {
  /** The fork's date: the books as of it. */
  from: string;
  /** The books as known at this time (date or ISO timestamp); as known now when absent. */
  knownAt?: string;
  scenario?: string;
  paths?: number;
  seed?: number;
  /** An LP followed on the same paths. */
  lpId?: string;
  /** A new commitment, admitted on a copy of the books at the fork by their own rules and followed on the same paths (not with `lpId`). */
  commitment?: CommitmentInput;
  /** Model parameters to override (docs/simulation.md, part 2). */
  parameters?: Record<string, unknown>;
}

export const MAX_FUND_PATHS = 100_000;

export type { FollowedLpOutcome, FormattedBand, FormattedFigures, FormattedOutcome, FundSimulation } from './fund-simulation.view';

/**
 * The fund itself run forward from its books: a fork of the books as of a date (as known at a
 * time) — the fund's state, its projects, facilities and allocations, the LPs' flows so far, the
 * waterfall's account — copied into the model's figures, nothing else (no copy of the log); then
 * the forward model over many paths, in a worker when the API runs it. Nothing is written.
 */
@Injectable()
export class FundSimulationService {
  /** The commitments pending on the dates last simulated (commitment-admission.ts). */
  private readonly pending = new PendingCommitments();

  constructor(
    private readonly queries: FundQueryService,
    @Optional() private readonly pool?: SimulationPool,
  ) {}

  async simulate(fundId: string, input: FundSimulationInput, run: SimulationRunOptions = {}, maxPaths = MAX_FUND_PATHS): Promise<FundSimulation> {
    const { paths, seed, scenario } = runOf(input, maxPaths);
    if (!isIsoDate(input.from)) reject('INVALID_DATE', `from must be a date YYYY-MM-DD, got ${JSON.stringify(input.from)}`);
    if (input.knownAt !== undefined && !isIsoDate(input.knownAt) && !isIsoTimestamp(input.knownAt))
      reject('INVALID_DATE', `knownAt must be a date or an ISO timestamp, got ${JSON.stringify(input.knownAt)}`);
    if (input.commitment && input.lpId !== undefined)
      reject('INVALID_PARAMETER', `Follow an LP in the books (lpId ${input.lpId}) or a new commitment, not both`);
    if (input.commitment && input.knownAt !== undefined)
      reject('INVALID_PARAMETER', 'A new commitment is admitted on the books as known now: knownAt cannot go with it');
    let parameters: FundModelParameters;
    try {
      parameters = resolveFundParameters(scenario, input.parameters ?? {});
    } catch (error) {
      if (error instanceof InvalidParameterError) return reject('INVALID_PARAMETER', error.message);
      throw error;
    }
    const { fork, admission } = await this.fork(fundId, input, parameters.quarters);
    const progress = run.onProgress && ((done: number) => run.onProgress!(done, paths));
    const result = this.pool
      ? await this.pool.run({ kind: 'fund', fork, parameters, options: { paths, seed } }, { ...run, onProgress: progress })
      : (throwIfCancelled(run.signal), simulateFund(fork, parameters, { paths, seed, onProgress: progress }));
    return present(fundId, input, { paths, seed, scenario }, parameters, fork, result, admission);
  }

  /** The model's trace of path 0 (the commands the books would record), for the property that no path breaks a rule. */
  async trace(fundId: string, input: FundSimulationInput): Promise<{ fork: FundFork; actions: QuarterActions[] }> {
    const parameters = resolveFundParameters(input.scenario ?? 'base', input.parameters ?? {});
    const { fork } = await this.fork(fundId, input, parameters.quarters);
    return { fork, actions: simulateFund(fork, parameters, { paths: 1, seed: input.seed ?? 42, trace: true }).trace! };
  }

  /** The fork of the books as of `from`, as known at `knownAt`, in the model's figures. */
  private async fork(fundId: string, input: FundSimulationInput, quarters: number): Promise<{ fork: FundFork; admission: Admission | null }> {
    const books = await this.queries.books(fundId);
    const date = input.from;
    const ledger = books.timeline.asOf({ asOf: date, knownAt: input.knownAt === undefined ? undefined : knownAtInstant(input.knownAt) });
    let state = ledger.state;
    if (!state.config) reject('INVALID_DATE', `Fund ${fundId} was not yet established on ${date}`);
    const inception = state.config!.inceptionDate;
    if (date < inception) reject('INVALID_DATE', `date ${date} is before the fund's inception on ${inception}`);
    // A new commitment: admitted on a copy of the books by their own rules; the fund is then forked with it in.
    const admitted = input.commitment && (await admitCommitment(this.queries.store, fundId, state, date, input.commitment, this.pending));
    if (admitted) state = admitted.state;
    if (!state.admittedUsd.isPositive()) reject('INVALID_DATE', `Fund ${fundId} had admitted no commitment by ${date}: there is nothing to run forward`);
    if (state.projects.size === 0)
      reject('INVALID_DATE', `Fund ${fundId} held no project on ${date}: there is nothing to run forward (its first projects come later)`);
    const n = (m: { toString(): string }) => Number(m.toString());
    const firstClose = state.closes[0]?.date ?? date;
    const terms = state.config!.waterfall;
    const admittedCents = parseCents(state.admittedUsd.toString());
    /** An LP's share of admitted commitments and its net assets on the date; undefined when not admitted by then. */
    const stake = (lpId: string | undefined): { ownership: number; netAssets: number } | undefined => {
      const entry = lpId === undefined ? undefined : books.investors.lp(lpId);
      if (!entry || !ownsBy(entry, state.epochs.length)) return undefined;
      const position = books.lpPosition(entry, { asOf: date, knownAt: input.knownAt });
      return { ownership: Number(position.admitted) / Number(admittedCents), netAssets: Number(position.netAssets) / 100 };
    };
    /** Whether an LP in the books bears carry under the terms (an exempt LP's share goes to it whole). */
    const bearsCarry = (lpId: string) => terms !== undefined && !bearsNoCarry(terms, { lpId, kind: books.investors.lp(lpId)!.kind });
    const paysFees = (lpId: string) => !state.feeExempt?.admitted.has(lpId);
    const followed = stake(input.lpId);
    if (input.lpId !== undefined && !followed) reject('UNKNOWN_LP', `LP ${input.lpId} has no admitted commitment in fund ${fundId} on ${date}`);
    const lp: FundFork['lp'] = admitted
      ? admitted.lp
      : followed && {
          lpId: input.lpId!,
          ...followed,
          paidIn: followed.netAssets,
          paidAtFork: 0,
          bearsCarry: bearsCarry(input.lpId!),
          paysFees: paysFees(input.lpId!),
        };
    // What the new LP pays on joining is paid in by the LPs at the fork.
    const joining = admitted?.lp.paidAtFork ?? 0;
    const flows = lpFlowsOf(ledger, date);
    let notYetDue = 0n;
    for (const c of state.calls) if (c.date <= date && c.dueDate > date) notYetDue += parseCents(c.totalUsd.toString());
    const pastFlows = quarterlyFlows(flows, notYetDue, date);
    pastFlows[pastFlows.length - 1] -= joining;
    const fork: FundFork = {
      dates: Array.from({ length: quarters + 1 }, (_, q) => addMonths(date, 3 * q)),
      fundAgeYears: daysBetween(firstClose, date) / 365.25,
      admitted: n(state.admittedUsd),
      calledFraction: n(state.calledFraction),
      // Calls not yet due are spent as cash and counted as paid in at the fork; defaulted contributions still owed are neither.
      cash: n(availableCash(state, date)) + Number(notYetDue) / 100,
      leveragePolicy: { maxRatio: Number(state.config!.leveragePolicy.maxRatio), basis: state.config!.leveragePolicy.basis },
      facilities: [...state.facilities.values()].map((f) => ({
        facilityId: f.facilityId,
        limit: n(f.limit),
        principal: n(f.principal),
        annualRate: n(f.annualRate),
        dayBasis: f.dayCount === 'ACT/360' ? 360 : 365,
        maturityDate: f.maturityDate,
        accrued: n(accrueInterest(f, date).accrued),
      })),
      projects: [...state.projects.values()].map((p) => ({ projectId: p.projectId, sector: p.sector, cost: n(p.cost), fairValue: n(p.fairValue) })),
      allocations: allocationsToFund(state),
      pastFlows,
      pastPaidIn: Number(flows.paidIn + notYetDue) / 100 + joining,
      pastDistributed: (Number(flows.distributed) + Number(flows.payable)) / 100,
      interestBefore: Number(linesAt(ledger, date).interest) / 100,
      ...(terms && state.waterfall ? { carry: carryOf(terms, accrue(terms, state.waterfall, date), state) } : {}),
      // Once a fee-exempt LP is admitted, fees are on the others' commitments and called from them (fee-exemption.ts).
      ...(state.feeExempt && admittedCents > 0n ? { feeBearing: 1 - Number(state.feeExempt.cents) / Number(admittedCents) } : {}),
      managers: (terms?.managerShares ?? []).map((s) => ({ manager: s.manager, share: Number(s.share), lpOwnership: stake(s.lpId)?.ownership ?? 0 })),
      ...(lp ? { lp } : {}),
    };
    return { fork, admission: admitted?.admission ?? null };
  }
}

/** Committed allocations with something left to fund, and those proposed and not yet decided. */
function allocationsToFund(state: FundState): FundFork['allocations'] {
  const projects = [...state.projects.keys()];
  const out: FundFork['allocations'] = [];
  for (const a of state.allocations.values()) {
    if (a.status === 'rejected') continue;
    const unfunded = Number(a.amount.minus(a.funded).toString());
    if (unfunded > 0) out.push({ allocationId: a.allocationId, project: projects.indexOf(a.projectId), unfunded, committed: a.status === 'committed' });
  }
  return out;
}

/** The LPs' flows up to the fork (paid in and distributed summed apart), and what is declared and unpaid. */
function lpFlowsOf(ledger: Ledger, date: string): ReturnType<typeof fundFlows> & { paidIn: bigint; distributed: bigint } {
  const flows = fundFlows(ledger, date);
  let paidIn = 0n;
  let distributed = 0n;
  for (const f of flows.flows) f.cents < 0n ? (paidIn -= f.cents) : (distributed += f.cents);
  return { ...flows, paidIn, distributed };
}

/**
 * The LPs' flows by quarter back from the fork (the last entry: the quarter just before it), for
 * the IRR; what is declared and unpaid, and calls not yet due, are counted then.
 */
function quarterlyFlows({ flows, payable }: ReturnType<typeof fundFlows>, notYetDue: bigint, date: string): number[] {
  const back = (d: string) => Math.max(1, Math.round(daysBetween(d, date) / 91.3125));
  const length = flows.reduce((max, f) => Math.max(max, back(f.date)), 1);
  const out = new Array<number>(length).fill(0);
  for (const f of flows) out[length - back(f.date)] += Number(f.cents) / 100;
  out[length - 1] += Number(payable - notYetDue) / 100;
  return out;
}

function carryOf(
  terms: NonNullable<NonNullable<FundState['config']>['waterfall']>,
  ledger: NonNullable<FundState['waterfall']>,
  state: FundState,
): FundFork['carry'] {
  const d = (c: bigint) => Number(c) / 100;
  const admitted = Number(parseCents(state.admittedUsd.toString()));
  return {
    bearing: admitted > 0 ? 1 - Number(state.carryExempt?.cents ?? 0n) / admitted : 1,
    terms: carryTermsOf(terms),
    account: {
      contributed: d(ledger.contributed),
      returned: d(ledger.returned),
      prefAccrued: d(ledger.prefAccrued),
      prefPaid: d(ledger.prefPaid),
      lpsProfit: d(ledger.catchUpToLps + ledger.carryTierToLps),
      managers: d(ledger.catchUpToManagers + ledger.carryTierToManagers),
    },
  };
}
