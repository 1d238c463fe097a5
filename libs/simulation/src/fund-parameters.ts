import { correlationFactor } from './fund-model';
import { InvalidParameterError } from './parameters';

/**
 * The forward model of the fund: its parameters, their defaults and the named scenarios. Each
 * sector's value follows a lognormal walk with correlated shocks; a leading indicator (market
 * sentiment in tech and infrastructure equities, an AR(1) factor) tilts the next quarter's growth.
 * The fund's plan is a set of policy parameters; its rules (the leverage cap, the facilities'
 * limits and maturities, cash before spending) are the books' own (docs/simulation.md, part 2).
 */
export interface SectorParameters {
  /** Expected annual growth of fair value. */
  growth: number;
  /** Annual volatility. */
  volatility: number;
  /** Income a year, as a share of fair value (paid as proceeds). */
  incomeYield: number;
}

export interface FundModelParameters {
  /** Quarters simulated from the fork's date. */
  quarters: number;
  /** Per sector; a project of a sector not listed takes `otherSector`. */
  sectors: Record<string, SectorParameters>;
  otherSector: SectorParameters;
  /** Which sectors are tech (the rest are infrastructure), for the correlation and the sentiment. */
  techSectors: string[];
  /** Correlation of two sectors' shocks: both tech, both infrastructure, one of each. */
  correlationTech: number;
  correlationInfrastructure: number;
  correlationAcross: number;
  /** The leading indicator: its weight in next quarter's shocks (0 to 1) and its persistence from quarter to quarter. */
  sentimentLoading: number;
  sentimentPersistence: number;
  /** Capital exits: from this fund age (years since its first close), this share of each project's fair value a quarter. */
  exitStartYears: number;
  exitRate: number;
  /** Calls: this share of admitted commitments a quarter while allocations remain to fund and commitments remain uncalled. */
  callPace: number;
  /** Allocations left to fund are funded evenly over this many quarters. */
  fundingQuarters: number;
  /** Draws use at most this share of the leverage cap (the rule itself is the books'). */
  targetLeverage: number;
  /** Once nothing is left to fund, this share of the debt is repaid a quarter, from cash. */
  repayRate: number;
  /** Management fee a year, of admitted commitments; fund expenses a year, likewise. */
  managementFee: number;
  expenseRate: number;
  /** Cash kept back, as a share of admitted commitments; distributions pay out this share of the cash above twice it. */
  reserve: number;
  distributionShare: number;
  /** Years from the first close before the fund distributes. */
  distributionStartYears: number;
  /** The facilities' rates, moved by this much (a rate shock). */
  rateShock: number;
  /** Milestones as switches: calls and fundings start this many quarters later (tariff talks drag on). */
  delayQuarters: number;
  /** 1: the governments' talks break down: allocations proposed and not yet approved are never funded. */
  breakdown: number;
}

const sector = (growth: number, volatility: number, incomeYield: number): SectorParameters => ({ growth, volatility, incomeYield });

/**
 * Defaults: growth and volatility by sector are the demo fund's own valuation model
 * (libs/application/src/scenarios/demo/us-japan-fund.ts), income 5% a year of fair value as the demo pays
 * it (1.25% a quarter), exits 4% of fair value a quarter from the fund's sixth year, calls 5% a
 * quarter, fundings over three years, fees 0.25% a quarter and expenses as the demo charges them.
 */
export const DEFAULT_FUND_PARAMETERS: FundModelParameters = {
  quarters: 40,
  sectors: {
    'ai-infrastructure': sector(0.12, 0.15, 0.05),
    'quantum-computing': sector(0.1, 0.25, 0.05),
    'renewable-energy': sector(0.06, 0.08, 0.05),
    'defense-tech': sector(0.07, 0.1, 0.05),
    semiconductors: sector(0.09, 0.18, 0.05),
    'energy-grids': sector(0.05, 0.06, 0.05),
    'arctic-icebreakers': sector(0.03, 0.1, 0.05),
    '5g-networks': sector(0.05, 0.1, 0.05),
  },
  otherSector: sector(0.06, 0.12, 0.05),
  techSectors: ['ai-infrastructure', 'quantum-computing', 'semiconductors', '5g-networks'],
  correlationTech: 0.7,
  correlationInfrastructure: 0.5,
  correlationAcross: 0.3,
  sentimentLoading: 0.3,
  sentimentPersistence: 0.5,
  exitStartYears: 5.5,
  exitRate: 0.04,
  callPace: 0.05,
  fundingQuarters: 12,
  targetLeverage: 0.9,
  repayRate: 0.06,
  managementFee: 0.01,
  expenseRate: 0.0003,
  reserve: 0.0067,
  distributionShare: 0.6,
  distributionStartYears: 3,
  rateShock: 0,
  delayQuarters: 0,
  breakdown: 0,
};

const scaleSectors = (growth: number, volatility: number) =>
  Object.fromEntries(
    Object.entries(DEFAULT_FUND_PARAMETERS.sectors).map(([name, s]) => [name, { ...s, growth: s.growth + growth, volatility: s.volatility * volatility }]),
  );

/** What each named scenario changes from the base. */
export const FUND_SCENARIOS: Record<string, Partial<FundModelParameters>> = {
  base: {},
  bull: { sectors: scaleSectors(0.04, 0.8) },
  bear: { sectors: scaleSectors(-0.06, 1.3) },
  'tariff-delay': { delayQuarters: 4 },
  breakdown: { breakdown: 1 },
  'rate-shock': { rateShock: 0.03 },
};
export const FUND_SCENARIO_NAMES = Object.keys(FUND_SCENARIOS);

const BOUNDS: Record<string, [number, number, 'integer'?]> = {
  quarters: [1, 120, 'integer'],
  correlationTech: [-1, 1],
  correlationInfrastructure: [-1, 1],
  correlationAcross: [-1, 1],
  sentimentLoading: [0, 1],
  sentimentPersistence: [0, 0.99],
  exitStartYears: [0, 30],
  exitRate: [0, 1],
  callPace: [0, 1],
  fundingQuarters: [1, 80, 'integer'],
  targetLeverage: [0, 1],
  repayRate: [0, 1],
  managementFee: [0, 0.05],
  expenseRate: [0, 0.05],
  reserve: [0, 0.5],
  distributionShare: [0, 1],
  distributionStartYears: [0, 30],
  rateShock: [-0.1, 0.2],
  delayQuarters: [0, 40, 'integer'],
  breakdown: [0, 1, 'integer'],
};
/** Overrides of every sector at once: `growth`, `volatility`, `incomeYield` add to / scale / set each sector's. */
const ALL_SECTORS = ['growth', 'volatility', 'incomeYield', 'correlation'];

/**
 * The parameters of a scenario with the user's overrides, each checked against its bounds.
 * `correlation` sets the three correlations at once (1: every sector moves together); `growth`,
 * `volatility` and `incomeYield` set that figure for every sector; `<sector>.growth` (and the
 * others) one sector's.
 */
export function resolveFundParameters(scenario: string, overrides: Record<string, unknown> = {}): FundModelParameters {
  if (!Object.hasOwn(FUND_SCENARIOS, scenario))
    throw new InvalidParameterError(`Unknown scenario ${JSON.stringify(scenario)}: use one of ${FUND_SCENARIO_NAMES.join(', ')}`);
  const p: FundModelParameters = structuredClone({ ...DEFAULT_FUND_PARAMETERS, ...FUND_SCENARIOS[scenario] });
  const number = (key: string, value: unknown, [min, max, integer]: [number, number, 'integer'?]): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
      throw new InvalidParameterError(`${key} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
    if (integer && !Number.isInteger(value)) throw new InvalidParameterError(`${key} must be an integer, got ${value}`);
    return value;
  };
  const sectorBounds: Record<keyof SectorParameters, [number, number]> = { growth: [-0.5, 1], volatility: [0, 1], incomeYield: [0, 0.5] };
  for (const [key, value] of Object.entries(overrides)) {
    const [sectorName, field] = key.includes('.') ? key.split('.', 2) : [undefined, key];
    if (sectorName !== undefined) {
      if (!Object.hasOwn(sectorBounds, field))
        throw new InvalidParameterError(`Unknown sector parameter ${JSON.stringify(key)}: use <sector>.growth, .volatility or .incomeYield`);
      const target =
        sectorName === 'other' ? p.otherSector : Object.hasOwn(p.sectors, sectorName) ? p.sectors[sectorName] : (p.sectors[sectorName] = { ...p.otherSector });
      target[field as keyof SectorParameters] = number(key, value, sectorBounds[field as keyof SectorParameters]);
    } else if (ALL_SECTORS.includes(key)) {
      if (key === 'correlation') {
        const c = number(key, value, [-1, 1]);
        p.correlationTech = p.correlationInfrastructure = p.correlationAcross = c;
      } else {
        const v = number(key, value, sectorBounds[key as keyof SectorParameters]);
        for (const s of [...Object.values(p.sectors), p.otherSector]) s[key as keyof SectorParameters] = v;
      }
    } else if (Object.hasOwn(BOUNDS, key)) {
      (p as unknown as Record<string, number>)[key] = number(key, value, BOUNDS[key]);
    } else {
      throw new InvalidParameterError(
        `Unknown parameter ${JSON.stringify(key)}: known are ${[...Object.keys(BOUNDS), ...ALL_SECTORS, '<sector>.growth', '<sector>.volatility', '<sector>.incomeYield'].join(', ')}`,
      );
    }
  }
  // Every sector the parameters name, and one more of each kind: the matrix must have a factor.
  correlationFactor([...Object.keys(p.sectors), 'other-tech', 'other-infrastructure'], { ...p, techSectors: [...p.techSectors, 'other-tech'] });
  return p;
}
