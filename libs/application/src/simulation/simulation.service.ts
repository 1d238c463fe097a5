import { Injectable, Optional } from '@nestjs/common';
import {
  addMonths,
  daysBetween,
  decide,
  Dec,
  evolveFund,
  evolveInvestors,
  formatCents,
  bearsNoCarry,
  InvestorLedger,
  isIsoDate,
  Money,
  opensEpoch,
  parseCents,
  parseFraction,
  reject,
  timesRate,
  type FundState,
  type LpKind,
  type RecordedFundEvent,
  type WaterfallTerms,
} from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import {
  InvalidParameterError,
  resolveParameters,
  simulate,
  type Band,
  type CarryTerms,
  type ModelParameters,
  type NetOutcome,
  type Outcome,
  type Percentiles,
  type ScenarioName,
} from '@fundsim/simulation';
import { InjectEventStore } from '../event-store.provider';
import { fundLogAfter } from '../log/fund-log';
import { FundQueryService } from '../queries/fund-queries.service';
import { SimulationCancelledError, SimulationPool, type RunOptions } from './simulation-pool';

export interface LpCommitmentInput {
  amount: string;
  currency: 'USD' | 'JPY';
  date: string;
  lpKind?: LpKind;
  country?: string;
  scenario?: ScenarioName | string;
  paths?: number;
  seed?: number;
  /** Model parameters to override (see docs/simulation.md). */
  parameters?: Record<string, unknown>;
}

export const MAX_PATHS = 1_000_000;

/** Who asks for a simulation, how to call it off, and what it is told while it waits and runs (the pool's RunOptions, progress out of the total). */
export interface SimulationRunOptions extends Omit<RunOptions, 'onProgress'> {
  onProgress?: (done: number, total: number) => void;
}
const SIMULATED_LP = 'simulated-lp';

/** Percentiles over the paths of the LP's outcome. */
export interface FormattedFigures {
  irr: Record<keyof Percentiles, string | null>;
  tvpi: Record<keyof Percentiles, string>;
  dpi: Record<keyof Percentiles, string>;
  endingNav: Record<keyof Percentiles, string>;
  probabilityOfLoss: string;
  pathsWithoutIrr: number;
}

export interface FormattedOutcome extends FormattedFigures {
  schedule: {
    quarter: number;
    date: string;
    calls: Record<'p5' | 'p50' | 'p95', string>;
    distributions: Record<'p5' | 'p50' | 'p95', string>;
    nav: Record<'p5' | 'p50' | 'p95', string>;
  }[];
  /** In a fund with a waterfall: the outcome net of carried interest (the figures above are gross); null otherwise. */
  netOfCarry: FormattedFigures | null;
}

export interface LpCommitmentSimulation {
  fundId: string;
  input: Required<Omit<LpCommitmentInput, 'parameters'>> & { parameters: Record<string, unknown> };
  parameters: ModelParameters;
  admission: {
    lpId: string;
    commitment: { amount: string; currency: 'USD' | 'JPY'; amountUsd: string; fxRate: string | null };
    closeNumber: number;
    scaledBack: boolean;
    admittedUsd: string;
    afterFirstClose: boolean;
    catchUpUsd: string;
    equalizationInterestUsd: string;
    /** What joining now costs on top of the calls to come: catch-up plus equalization interest. */
    equalizationPaymentUsd: string;
    ownership: string;
    fundAgeQuarters: number;
    lookThrough: { projects: { projectId: string; name: string; sector: string; exposureUsd: string }[]; sectors: { sector: string; exposureUsd: string }[] };
  };
  paths: number;
  quarters: number;
  sampledPaths: number;
  results: Partial<Record<'USD' | 'JPY', { withLeverage: FormattedOutcome; withoutLeverage: FormattedOutcome }>>;
}

/**
 * The retail investor's job: "if I commit this on this date, what do I own and what might happen
 * to my money?" The fund's books as of the date are copied in memory; the commitment and a close
 * admitting it are decided there by the real deciders (so the catch-up, the equalization interest
 * and any scale-back are the fund's own); the cash-flow model then runs from that point. Nothing
 * is written to the store.
 */
@Injectable()
export class SimulationService {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly queries: FundQueryService,
    /** The API runs the Monte Carlo in worker threads; without a pool (the CLI) it runs here. */
    @Optional() private readonly pool?: SimulationPool,
  ) {}

  async simulateCommitment(fundId: string, input: LpCommitmentInput, run: SimulationRunOptions = {}): Promise<LpCommitmentSimulation> {
    const { paths, seed, scenario } = runOf(input, MAX_PATHS);
    if (!isIsoDate(input.date)) reject('INVALID_DATE', `date must be a date YYYY-MM-DD, got ${JSON.stringify(input.date)}`);
    if (input.currency !== 'USD' && input.currency !== 'JPY')
      reject('UNSUPPORTED_CURRENCY', `currency must be USD or JPY, got ${JSON.stringify(input.currency)}`);

    const books = await this.queries.books(fundId);
    const date = input.date;
    let state = books.timeline.asOf({ asOf: date }).state;
    const inception = state.config?.inceptionDate ?? books.timeline.history[0].metadata.effectiveDate;
    if (date < inception) reject('INVALID_DATE', `date ${date} is before the fund's inception on ${inception}`);
    let parameters: ModelParameters;
    try {
      parameters = resolveParameters(scenario, facilityRate(state), input.parameters ?? {});
    } catch (error) {
      if (error instanceof InvalidParameterError) return reject('INVALID_PARAMETER', error.message);
      throw error;
    }

    // The hypothetical commitment and the close that admits it, decided on the copy.
    // Booked as the managers would book it: a hypothetical is not an operator's fact, and so not
    // bound to the fund's open period (a simulation may look past the books' last quarter).
    const manager = state.config!.managers[0];
    const metadata = { actor: manager, effectiveDate: date };
    const lpKind = input.lpKind ?? 'retail';
    const country = input.country ?? (input.currency === 'JPY' ? 'JP' : 'US');
    const [commitment] = decide(
      { type: 'CommitCapital', data: { lpId: SIMULATED_LP, kind: lpKind, country, amount: input.amount, currency: input.currency }, metadata },
      { fund: state, lp: undefined },
    );
    if (commitment.type !== 'CapitalCommitted') throw new Error('A commitment decides a CapitalCommitted');
    const head = await this.store.headPosition();
    const investors = await this.pendingOn(fundId, state, date);
    investors.addCommitment('simulated-commitment', commitment.data, head + 1, date);
    const [close] = decide({ type: 'HoldClose', data: {}, metadata: { actor: manager, effectiveDate: date } }, { fund: state, investors });
    if (close.type !== 'CloseHeld') throw new Error('A close decides a CloseHeld');
    const firstClose = state.closes[0]?.date;
    state = evolveFund(state, { ...close, metadata: { ...metadata, actor: manager } } as RecordedFundEvent);
    // The simulated LP's share of the close, by the ledger's rule of admission, and what it pays to catch up.
    const admittedCents = BigInt(
      investors.admission(close.data.throughPosition, parseCents(close.data.admittedUsd)).find((a) => a.lp.lpId === SIMULATED_LP)?.cents ?? 0,
    );
    const admitted = Money.parse(formatCents(admittedCents), 'USD');
    const catchUp = Money.parse(formatCents(timesRate(admittedCents, parseFraction(close.data.catchUpFraction))), 'USD');
    const interest = Money.parse(formatCents(timesRate(admittedCents, parseFraction(close.data.equalizationInterestFactor))), 'USD');
    const ownership = state.admittedUsd.isPositive() ? admitted.amount.dividedBy(state.admittedUsd.amount) : new Dec(0);
    // The fund's age in quarters, to the day (not rounded down to whole quarters).
    const fundAgeQuarters = firstClose === undefined ? 0 : Math.round((daysBetween(firstClose, date) / 91.3125) * 1e4) / 1e4;

    const fxSpot = input.currency === 'JPY' ? Number(commitment.data.fxRate) : undefined;
    // The fund's waterfall, for the outcome net of carry.
    const terms = state.config?.waterfall;
    const carry = terms && !bearsNoCarry(terms, { lpId: SIMULATED_LP, kind: lpKind }) ? carryTermsOf(terms) : undefined;
    const start = {
      commitment: admitted.amount.toNumber(),
      paidIn: catchUp.amount.toNumber(),
      equalizationInterest: interest.amount.toNumber(),
      nav: catchUp.amount.toNumber(),
      fundAgeQuarters,
    };
    const progress = run.onProgress && ((done: number) => run.onProgress!(done, paths));
    const result = this.pool
      ? await this.pool.run({ kind: 'lp', start, parameters, options: { paths, seed, fxSpot, carry } }, { ...run, onProgress: progress })
      : (throwIfCancelled(run.signal), simulate(start, parameters, { paths, seed, fxSpot, carry, onProgress: progress }));

    const projects = [...state.projects.values()];
    const sectors = new Map<string, Money>();
    for (const p of projects) sectors.set(p.sector, (sectors.get(p.sector) ?? Money.zero('USD')).plus(p.fairValue.times(ownership)));
    const dates = Array.from({ length: result.quarters + 1 }, (_, q) => addMonths(date, 3 * q));
    return {
      fundId,
      input: { amount: commitment.data.amount, currency: input.currency, date, lpKind, country, scenario, paths, seed, parameters: input.parameters ?? {} },
      parameters,
      admission: {
        lpId: SIMULATED_LP,
        commitment: { amount: commitment.data.amount, currency: input.currency, amountUsd: commitment.data.amountUsd, fxRate: commitment.data.fxRate ?? null },
        closeNumber: close.data.closeNumber,
        scaledBack: close.data.scaledBack,
        admittedUsd: admitted.toString(),
        afterFirstClose: firstClose !== undefined,
        catchUpUsd: catchUp.toString(),
        equalizationInterestUsd: interest.toString(),
        equalizationPaymentUsd: catchUp.plus(interest).toString(),
        ownership: ownership.toDecimalPlaces(12, Dec.ROUND_HALF_EVEN).toFixed(12),
        fundAgeQuarters,
        lookThrough: {
          projects: projects.map((p) => ({ projectId: p.projectId, name: p.name, sector: p.sector, exposureUsd: p.fairValue.times(ownership).toString() })),
          sectors: [...sectors].map(([sector, exposure]) => ({ sector, exposureUsd: exposure.toString() })),
        },
      },
      paths: result.paths,
      quarters: result.quarters,
      sampledPaths: result.sampledPaths,
      results: {
        USD: { withLeverage: format(result.usd.withLeverage, dates, 2), withoutLeverage: format(result.usd.withoutLeverage, dates, 2) },
        ...(result.jpy
          ? { JPY: { withLeverage: format(result.jpy.withLeverage, dates, 0), withoutLeverage: format(result.jpy.withoutLeverage, dates, 0) } }
          : {}),
      },
    };
  }

  /**
   * The investor ledger of the commitments pending on the date: those recorded after the last
   * close held by then, with an effective date up to it (reversals applied).
   */
  private async pendingOn(fundId: string, state: FundState, date: string): Promise<InvestorLedger> {
    const investors = new InvestorLedger();
    for await (const event of fundLogAfter(this.store, fundId, state.closes[state.closes.length - 1]?.throughPosition ?? 0)) {
      // Pending commitments only: no change of ownership (a close would admit them; the LPs it moves are not in this ledger).
      if (opensEpoch(event) || event.metadata.effectiveDate > date) continue;
      evolveInvestors(investors, event);
    }
    return investors;
  }
}

/** Without a pool the run cannot be stopped once started; a client already gone is not run for. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SimulationCancelledError();
}

/** The fund's waterfall terms in the models' figures. */
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

/** The fund's facilities' rate, weighted by limit; undefined when it has none. */
function facilityRate(state: FundState): number | undefined {
  let weight = new Dec(0);
  let sum = new Dec(0);
  for (const f of state.facilities.values()) {
    weight = weight.plus(f.limit.amount);
    sum = sum.plus(f.limit.amount.times(f.annualRate));
  }
  return weight.isZero() ? undefined : sum.dividedBy(weight).toNumber();
}

const fixed = (places: number) => (x: number) => (Number.isFinite(x) ? (Math.abs(x) < 0.5 * 10 ** -places ? 0 : x).toFixed(places) : null);

/** Simulated figures as strings: amounts to the currency's places, rates and multiples to 4, IRR to 6. */
function format(o: Outcome, dates: string[], places: number): FormattedOutcome {
  const money = fixed(places);
  const pct = <T>(p: Percentiles, f: (x: number) => T) => ({ p5: f(p.p5), p25: f(p.p25), p50: f(p.p50), p75: f(p.p75), p95: f(p.p95) });
  const band = (b: Band, q: number) => ({ p5: money(b.p5[q])!, p50: money(b.p50[q])!, p95: money(b.p95[q])! });
  const figures = (f: NetOutcome): FormattedFigures => ({
    irr: pct(f.irr, fixed(6)),
    tvpi: pct(f.tvpi, (x) => fixed(4)(x)!),
    dpi: pct(f.dpi, (x) => fixed(4)(x)!),
    endingNav: pct(f.endingNav, (x) => money(x)!),
    probabilityOfLoss: fixed(4)(f.probabilityOfLoss)!,
    pathsWithoutIrr: f.pathsWithoutIrr,
  });
  return {
    ...figures(o),
    schedule: dates.map((date, q) => ({
      quarter: q,
      date,
      calls: band(o.schedule.calls, q),
      distributions: band(o.schedule.distributions, q),
      nav: band(o.schedule.nav, q),
    })),
    netOfCarry: o.netOfCarry ? figures(o.netOfCarry) : null,
  };
}
