import type { Band, FundFork, FundModelParameters, FundPathFigures, FundSimulationResult, LpFigures, LpOutcome, Percentiles } from '@fundsim/simulation';
import type { Admission, CommitmentInput } from './commitment-admission';

/*
 * What the fund simulation answers, as decimal strings: the fund's bands and percentiles, and the
 * LP it followed (one in the books, or a new commitment with its admission), in each currency.
 */
type Text<T> = { [K in keyof T]: T[K] extends number ? string | null : T[K] extends object ? Text<T[K]> : T[K] };

export interface FormattedBand {
  quarter: number;
  date: string;
  p5: string;
  p50: string;
  p95: string;
}

/** Percentiles over the paths of an LP's outcome (amounts in its currency's units). */
export interface FormattedFigures {
  irr: Text<Percentiles>;
  tvpi: Text<Percentiles>;
  dpi: Text<Percentiles>;
  endingNav: Text<Percentiles>;
  probabilityOfLoss: string;
  pathsWithoutIrr: number;
  /** The most the LP is out of pocket at a quarter's end (the trough of its cumulative net cash flows), as a positive amount. */
  deepestCashOut: Text<Percentiles>;
  /** Years from the fork until it has its money back in cash; null: not within the horizon. */
  paybackYears: Text<Percentiles>;
  /** Share of paths on which it has its money back within the horizon. */
  paidBack: string;
  /** Kaplan-Schoar public-market equivalent against the simulated index (above 1: it beat the index). */
  pme: Text<Percentiles>;
}

/**
 * An LP's outcome in one currency: gross and net of carry; its fees, interest and carry in money;
 * and by quarter (median, p5, p95) what it pays in, receives, holds (net of carry) and still owes.
 */
export interface FormattedOutcome {
  gross: FormattedFigures;
  /** In a fund with a waterfall: after it; null otherwise. */
  netOfCarry: FormattedFigures | null;
  /** Its share of the management fees paid and of the interest accrued over the horizon; the carry it bears (gross less net; null without a waterfall). */
  fees: Text<Percentiles>;
  interest: Text<Percentiles>;
  carry: Text<Percentiles> | null;
  /** A hedged yen outcome: the hedge's cost (the forward points paid) and its settlements, summed over the horizon; null otherwise. */
  hedge: { cost: Text<Percentiles>; settlements: Text<Percentiles> } | null;
  schedule: {
    quarter: number;
    date: string;
    calls: Text<Band1>;
    distributions: Text<Band1>;
    nav: Text<Band1>;
    /** Its commitment not yet called (for a yen investor a dollar obligation: in yen it moves with the rate). */
    unfunded: Text<Band1>;
    /** The hedge's settlement at the quarter's end (the hedged outcome only). */
    hedgeSettlement?: Text<Band1>;
  }[];
}
type Band1 = { p5: number; p50: number; p95: number };

/** The LP followed on the fund's paths: one in the books, or a new commitment (with its admission). */
export interface FollowedLpOutcome {
  lpId: string;
  ownership: string;
  bearsCarry: boolean;
  /** A new commitment: how the books' rules would admit it at the fork; null for an LP in the books. */
  admission: Admission | null;
  /** In USD; for a yen commitment in yen too, unhedged (every flow at its path's USD/JPY) and hedged (rolling 3-month forwards on its net assets). */
  results: { USD: FormattedOutcome; JPY?: FormattedOutcome; JPYHedged?: FormattedOutcome };
  /**
   * With `saleYear`: the LP sells its interest on the secondary market that many years after the
   * fork, at its net assets less the path's discount; its outcomes above end there. Null: it holds.
   */
  sale: { year: number; date: string; discount: Text<Percentiles>; priceUsd: Text<Percentiles> } | null;
}

export interface FundSimulation {
  fundId: string;
  input: {
    from: string;
    knownAt: string | null;
    scenario: string;
    paths: number;
    seed: number;
    lpId: string | null;
    commitment: CommitmentInput | null;
    parameters: Record<string, unknown>;
  };
  parameters: FundModelParameters;
  /** The fork: what the books said on its date. */
  fork: {
    date: string;
    netAssets: string;
    debt: string;
    cash: string;
    admitted: string;
    calledFraction: string;
    projects: number;
    allocationsToFund: number;
    allocationsAwaitingApproval: number;
    fundAgeYears: string;
  };
  paths: number;
  quarters: number;
  sampledPaths: number;
  /** By quarter: p5, p50, p95 (amounts in USD; the leverage ratio is debt over the cap). */
  netAssets: FormattedBand[];
  debt: FormattedBand[];
  leverageRatio: FormattedBand[];
  cash: FormattedBand[];
  liquidityShortfall: { probability: string; byQuarter: { quarter: number; date: string; probability: string }[] };
  capBinds: { probability: string; firstQuarter: Text<Percentiles> | null };
  sectors: { sector: string; fairValue: Text<Percentiles> }[];
  /** Each project's chance of a write-off within the horizon. */
  writeOffs: { projectId: string; probability: string }[];
  /** The public-market index of the PME (1 at the fork), by quarter. */
  index: FormattedBand[];
  fund: { withLeverageCost: Text<FundPathFigures>; interestAddedBack: Text<FundPathFigures>; netOfCarry: Text<FundPathFigures> | null };
  managers: { manager: string; fees: Text<Percentiles>; carriedInterest: Text<Percentiles>; asLp: Text<Percentiles>; total: Text<Percentiles> }[];
  lp: FollowedLpOutcome | null;
}

const fixed = (places: number) => (x: number) => (Number.isFinite(x) ? (Math.abs(x) < 0.5 * 10 ** -places ? 0 : x).toFixed(places) : null);
const money = fixed(2);

export function present(
  fundId: string,
  input: { from: string; knownAt?: string; lpId?: string; commitment?: CommitmentInput; parameters?: Record<string, unknown> },
  run: { paths: number; seed: number; scenario: string },
  parameters: FundModelParameters,
  fork: FundFork,
  r: FundSimulationResult,
  admission: Admission | null,
): FundSimulation {
  const dates = fork.dates;
  const bands = (b: Band, f: (x: number) => string | null = money): FormattedBand[] =>
    dates.map((date, q) => ({ quarter: q, date, p5: f(b.p5[q])!, p50: f(b.p50[q])!, p95: f(b.p95[q])! }));
  const pct = (p: Percentiles, f: (x: number) => string | null): Text<Percentiles> => ({
    p5: f(p.p5),
    p25: f(p.p25),
    p50: f(p.p50),
    p75: f(p.p75),
    p95: f(p.p95),
  });
  const figures = (x: FundPathFigures): Text<FundPathFigures> => ({ irr: pct(x.irr, fixed(6)), tvpi: pct(x.tvpi, fixed(4)), dpi: pct(x.dpi, fixed(4)) });
  let debt = 0;
  for (const f of fork.facilities) debt += f.principal;
  return {
    fundId,
    input: {
      from: input.from,
      knownAt: input.knownAt ?? null,
      scenario: run.scenario,
      paths: run.paths,
      seed: run.seed,
      lpId: input.lpId ?? null,
      commitment: input.commitment ?? null,
      parameters: input.parameters ?? {},
    },
    parameters,
    fork: {
      date: input.from,
      netAssets: money(r.netAssets.p50[0])!,
      debt: money(debt)!,
      cash: money(fork.cash)!,
      admitted: money(fork.admitted)!,
      calledFraction: fixed(4)(fork.calledFraction)!,
      projects: fork.projects.length,
      allocationsToFund: fork.allocations.length,
      allocationsAwaitingApproval: fork.allocations.filter((a) => !a.committed).length,
      fundAgeYears: fixed(2)(fork.fundAgeYears)!,
    },
    paths: r.paths,
    quarters: r.quarters,
    sampledPaths: r.sampledPaths,
    netAssets: bands(r.netAssets),
    debt: bands(r.debt),
    leverageRatio: bands(r.leverageRatio, fixed(4)),
    cash: bands(r.cash),
    liquidityShortfall: {
      probability: fixed(4)(r.liquidityShortfall.probability)!,
      byQuarter: dates.map((date, q) => ({ quarter: q, date, probability: fixed(4)(r.liquidityShortfall.byQuarter[q])! })),
    },
    capBinds: { probability: fixed(4)(r.capBinds.probability)!, firstQuarter: r.capBinds.firstQuarter ? pct(r.capBinds.firstQuarter, fixed(0)) : null },
    sectors: r.sectors.map((s) => ({ sector: s.sector, fairValue: pct(s.fairValue, money) })),
    writeOffs: r.writeOffs.map((w) => ({ projectId: w.projectId, probability: fixed(4)(w.probability)! })),
    index: bands(r.index, fixed(4)),
    fund: {
      withLeverageCost: figures(r.fund.withLeverageCost),
      interestAddedBack: figures(r.fund.interestAddedBack),
      netOfCarry: r.fund.netOfCarry ? figures(r.fund.netOfCarry) : null,
    },
    managers: r.managers.map((m) => ({
      manager: m.manager,
      fees: pct(m.fees, money),
      carriedInterest: pct(m.carriedInterest, money),
      asLp: pct(m.asLp, money),
      total: pct(m.total, money),
    })),
    lp: r.lp
      ? {
          lpId: r.lp.lpId,
          ownership: fixed(10)(r.lp.ownership)!,
          bearsCarry: r.lp.bearsCarry,
          admission,
          results: {
            USD: lpOutcome(r.lp.usd, dates, 2),
            ...(r.lp.jpy ? { JPY: lpOutcome(r.lp.jpy, dates, 0) } : {}),
            ...(r.lp.jpyHedged ? { JPYHedged: lpOutcome(r.lp.jpyHedged, dates, 0) } : {}),
          },
          sale: r.lp.sale
            ? { year: r.lp.sale.year, date: dates[r.lp.sale.quarter], discount: pct(r.lp.sale.discount, fixed(4)), priceUsd: pct(r.lp.sale.priceUsd, money) }
            : null,
        }
      : null,
  };
}

/** An LP's outcome as strings: amounts to the currency's places, multiples to 4, IRR to 6. */
function lpOutcome(o: LpOutcome, dates: string[], places: number): FormattedOutcome {
  const amount = fixed(places);
  const pct = (p: Percentiles, f: (x: number) => string | null): Text<Percentiles> => ({
    p5: f(p.p5),
    p25: f(p.p25),
    p50: f(p.p50),
    p75: f(p.p75),
    p95: f(p.p95),
  });
  const figures = (f: LpFigures): FormattedFigures => ({
    irr: pct(f.irr, fixed(6)),
    tvpi: pct(f.tvpi, fixed(4)),
    dpi: pct(f.dpi, fixed(4)),
    endingNav: pct(f.endingNav, amount),
    probabilityOfLoss: fixed(4)(f.probabilityOfLoss)!,
    pathsWithoutIrr: f.pathsWithoutIrr,
    deepestCashOut: pct(f.deepestCashOut, amount),
    paybackYears: pct(f.paybackYears, fixed(2)),
    paidBack: fixed(4)(f.paidBack)!,
    pme: pct(f.pme, fixed(4)),
  });
  const band = (b: Band, q: number) => ({ p5: amount(b.p5[q]), p50: amount(b.p50[q]), p95: amount(b.p95[q]) });
  return {
    gross: figures(o.gross),
    netOfCarry: o.netOfCarry ? figures(o.netOfCarry) : null,
    fees: pct(o.fees, amount),
    interest: pct(o.interest, amount),
    carry: o.carry ? pct(o.carry, amount) : null,
    hedge: o.hedge ? { cost: pct(o.hedge.cost, amount), settlements: pct(o.hedge.settlements, amount) } : null,
    schedule: dates.map((date, q) => ({
      quarter: q,
      date,
      calls: band(o.calls, q),
      distributions: band(o.distributions, q),
      nav: band(o.netAssets, q),
      unfunded: band(o.unfunded, q),
      ...(o.hedge ? { hedgeSettlement: band(o.hedgeSettlements, q) } : {}),
    })),
  };
}
