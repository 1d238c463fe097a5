import { applyOverrides, integerIn, listIn, numberIn, scenarioOf, type ParameterTable } from './parameter-resolver';

/**
 * The cash-flow model's parameters, their defaults and the named scenarios.
 *
 * The model is Takahashi and Alexander's ("Illiquid Alternative Asset Fund Modeling", Journal of
 * Portfolio Management 28(2), 2002; the Yale endowment's model): each year a fund calls a rate RC
 * of what is left of commitments, grows its NAV at G, and distributes a rate RD = max(Y, (t/L)^B)
 * of it. Their paper's buyout-like example uses RC = 25%, 33.3%, 50%, 50%, 100%..., B = 2.5,
 * L = 12 years; this fund invests in infrastructure, so the defaults take a lower growth (8%) and
 * a yield floor (3%) of the kind infrastructure funds report. The stochastic parts (fat-tailed
 * growth, pacing noise, a mean-reverting facility rate, a USD/JPY path) are this project's.
 */
export interface ModelParameters {
  /** Rate of contribution by year of the fund's life (the last one repeats). */
  contributionRates: number[];
  /** Annual growth of NAV (before leverage). */
  growth: number;
  /** Annual volatility of growth. */
  growthVolatility: number;
  /** Degrees of freedom of the Student-t growth shocks (lower: fatter tails; >= 3). */
  tailDof: number;
  /** Yield: the floor of the distribution rate. */
  yield: number;
  /** Bow: how the distribution rate rises towards the end of life. */
  bow: number;
  /** Life of the fund, in years. */
  life: number;
  /** Volatility of the pacing of calls (lognormal factor on the contribution rate). */
  pacingVolatility: number;
  /** Debt held per dollar of NAV over the life (0: no leverage). */
  leverage: number;
  /** Facility rate: start, long-run mean, mean reversion per year, volatility per year. */
  rate: number;
  rateMean: number;
  rateReversion: number;
  rateVolatility: number;
  /** USD/JPY: annual drift and volatility of the exchange rate. */
  fxDrift: number;
  fxVolatility: number;
  /** Quarters by which the fund's calls start later (the tariff-delay scenario). */
  delayQuarters: number;
  /** Management fee a year, of the LP's commitment, over the fund's life: out of its NAV (the J-curve). */
  managementFee: number;
  /** Years from the fund's first close before it distributes anything. */
  distributionStartYears: number;
  /** Quarters simulated from the commitment on (default: to the end of the fund's life). */
  horizonQuarters?: number;
}

export const DEFAULT_PARAMETERS: ModelParameters = {
  contributionRates: [0.25, 0.333, 0.5, 0.5, 1],
  growth: 0.08,
  growthVolatility: 0.12,
  tailDof: 4,
  yield: 0.03,
  bow: 2.5,
  life: 12,
  pacingVolatility: 0.15,
  leverage: 1,
  rate: 0.045,
  rateMean: 0.045,
  rateReversion: 0.25,
  rateVolatility: 0.01,
  fxDrift: 0,
  fxVolatility: 0.1,
  // The demo fund's own books: 0.25% of admitted commitments a quarter; first distribution
  // 2029-09-30, 13 quarters after its first close (libs/application/src/scenarios/demo/us-japan-fund.ts).
  managementFee: 0.01,
  distributionStartYears: 3.25,
  delayQuarters: 0,
};

/** What each named scenario changes from the base (the facility rate defaults to the fund's own). */
export const SCENARIOS = {
  base: {},
  bull: { growth: 0.12, growthVolatility: 0.1, yield: 0.04 },
  bear: { growth: 0.02, growthVolatility: 0.18, yield: 0.02 },
  'tariff-delay': { delayQuarters: 4 },
  'rate-shock': { rateShock: 0.03 },
} as const satisfies Record<string, Partial<ModelParameters> & { rateShock?: number }>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** What the user may set, in the order the error for an unknown name lists them. */
const PARAMETERS: ParameterTable<ModelParameters> = {
  contributionRates: listIn(0, 1),
  growth: numberIn(-0.5, 1),
  growthVolatility: numberIn(0, 1),
  tailDof: integerIn(3, 100),
  yield: numberIn(0, 1),
  bow: numberIn(0.1, 10),
  life: numberIn(1, 30),
  pacingVolatility: numberIn(0, 1),
  leverage: numberIn(0, 5),
  rate: numberIn(0, 0.5),
  rateMean: numberIn(0, 0.5),
  rateReversion: numberIn(0, 5),
  rateVolatility: numberIn(0, 0.2),
  fxDrift: numberIn(-0.5, 0.5),
  fxVolatility: numberIn(0, 1),
  managementFee: numberIn(0, 0.05),
  distributionStartYears: numberIn(0, 15),
  delayQuarters: integerIn(0, 40),
  horizonQuarters: integerIn(1, 160),
};

/**
 * The parameters of a scenario with the fund's own facility rate and the user's overrides, each
 * checked against its bounds (parameter-resolver.ts). A rate shock moves the start and the mean of
 * the facility rate.
 */
export function resolveParameters(scenario: string, fundRate: number | undefined, overrides: Record<string, unknown> = {}): ModelParameters {
  const { rateShock = 0, ...changes }: Partial<ModelParameters> & { rateShock?: number } = scenarioOf(SCENARIOS, scenario);
  const base = fundRate === undefined ? DEFAULT_PARAMETERS : { ...DEFAULT_PARAMETERS, rate: fundRate, rateMean: fundRate };
  const params: ModelParameters = { ...base, ...changes };
  params.rate += rateShock;
  params.rateMean += rateShock;
  return applyOverrides(params, PARAMETERS, overrides);
}
