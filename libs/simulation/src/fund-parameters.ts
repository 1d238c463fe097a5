import {
  applyOverrides,
  InvalidParameterError,
  integerIn,
  numberIn,
  scenarioOf,
  type MoreParameters,
  type Parameter,
  type ParameterTable,
} from './parameter-resolver';
import { correlationFactor, type SectorCorrelations } from './sector-correlation';

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
  /** Chance a year that a project of the sector is written off (drawn per project: a fund in one project bears it whole). */
  writeOffRate: number;
  /** Share of the project's fair value a write-off loses (what is left to fund of it is then abandoned). */
  writeOffLoss: number;
}

export interface FundModelParameters extends SectorCorrelations {
  /** Quarters simulated from the fork's date. */
  quarters: number;
  /** Per sector; a project of a sector not listed takes `otherSector`. */
  sectors: Record<string, SectorParameters>;
  otherSector: SectorParameters;
  /** Which sectors are tech, and the correlations of the sectors' shocks: see SectorCorrelations. */
  /** The leading indicator: its weight in next quarter's shocks (0 to 1) and its persistence from quarter to quarter. */
  sentimentLoading: number;
  sentimentPersistence: number;
  /** Capital exits: from this fund age (years since its first close), this share of each project's fair value a quarter. */
  exitStartYears: number;
  /** Income starts at this fund age (years since its first close): the projects' construction comes first (the demo's first income: 2029). */
  incomeStartYears: number;
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
  /** USD/JPY for a yen investor followed: annual drift and volatility of the rate (lognormal), on a generator of its own (the fund's paths are the same in either currency). */
  fxDrift: number;
  fxVolatility: number;
  /** The yen investor's hedge: rolling 3-month forwards on this share of its net assets, priced by covered interest parity from the two 3-month rates (its cost: about the rate differential a year). */
  hedgeRatio: number;
  usdRate: number;
  jpyRate: number;
  /**
   * The public-market index of the PME (Kaplan-Schoar), on the same paths: annual total return and
   * volatility, and its shocks' correlation with the fund's sectors taken together (an equal-weight
   * composite of their shocks; before the sentiment tilt, which the index shares).
   */
  indexGrowth: number;
  indexVolatility: number;
  indexCorrelation: number;
  /**
   * The LP followed sells its whole interest this many years after the fork (0: it holds to the
   * horizon), on the secondary market: at its net assets less a discount drawn for each path,
   * normal with mean `secondaryDiscount` and volatility `secondaryDiscountVolatility`, kept
   * within 0-90% (docs/simulation.md gives the sources). The buyer takes on its unfunded commitment.
   */
  saleYear: number;
  secondaryDiscount: number;
  secondaryDiscountVolatility: number;
}

const sector = (growth: number, volatility: number, incomeYield: number, writeOffRate: number, writeOffLoss: number): SectorParameters => ({
  growth,
  volatility,
  incomeYield,
  writeOffRate,
  writeOffLoss,
});

/**
 * Defaults, calibrated to public data (docs/simulation.md, "Calibration", gives each figure's
 * source): growth, volatility and income by sector from private-infrastructure and venture/growth
 * return dispersion (Cambridge Associates, Preqin, Burgiss, EDHECinfra; listed comparables for the
 * volatility of tech), write-offs from project-finance default studies (Moody's) and megaproject
 * outcomes (Flyvbjerg); the index from long-run equity returns (Dimson, Marsh and Staunton); the
 * hedge from the policy rates (covered interest parity). The fund's plan (calls 5% a quarter,
 * fundings over three years, exits from the sixth year, fees 0.25% a quarter) is the demo's.
 */
export const DEFAULT_FUND_PARAMETERS: FundModelParameters = {
  quarters: 40,
  sectors: {
    'ai-infrastructure': sector(0.09, 0.2, 0.03, 0.012, 0.6),
    'quantum-computing': sector(0.2, 0.45, 0, 0.08, 0.9),
    'renewable-energy': sector(0.03, 0.12, 0.05, 0.008, 0.6),
    'defense-tech': sector(0.07, 0.16, 0.02, 0.015, 0.6),
    semiconductors: sector(0.09, 0.26, 0.015, 0.02, 0.6),
    'energy-grids': sector(0.025, 0.1, 0.055, 0.004, 0.5),
    'arctic-icebreakers': sector(0.03, 0.14, 0.04, 0.015, 0.6),
    '5g-networks': sector(0.03, 0.2, 0.04, 0.01, 0.6),
  },
  otherSector: sector(0.04, 0.2, 0.03, 0.015, 0.6),
  techSectors: ['ai-infrastructure', 'quantum-computing', 'semiconductors', '5g-networks'],
  correlationTech: 0.7,
  correlationInfrastructure: 0.5,
  correlationAcross: 0.3,
  sentimentLoading: 0.3,
  sentimentPersistence: 0.5,
  exitStartYears: 5.5,
  incomeStartYears: 2.75,
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
  fxDrift: 0,
  fxVolatility: 0.1,
  hedgeRatio: 1,
  usdRate: 0.0375,
  jpyRate: 0.0075,
  indexGrowth: 0.07,
  indexVolatility: 0.16,
  indexCorrelation: 0.7,
  saleYear: 0,
  secondaryDiscount: 0.15,
  secondaryDiscountVolatility: 0.1,
};

const scaleSectors = (growth: number, volatility: number, writeOffs: number) =>
  Object.fromEntries(
    Object.entries(DEFAULT_FUND_PARAMETERS.sectors).map(([name, s]) => [
      name,
      { ...s, growth: s.growth + growth, volatility: s.volatility * volatility, writeOffRate: s.writeOffRate * writeOffs },
    ]),
  );

/** What each named scenario changes from the base. */
export const FUND_SCENARIOS: Record<string, Partial<FundModelParameters>> = {
  base: {},
  bull: { sectors: scaleSectors(0.04, 0.8, 0.75) },
  bear: { sectors: scaleSectors(-0.06, 1.3, 1.5) },
  'tariff-delay': { delayQuarters: 4 },
  breakdown: { breakdown: 1 },
  'rate-shock': { rateShock: 0.03 },
};
export const FUND_SCENARIO_NAMES = Object.keys(FUND_SCENARIOS);

/** What the user may set by name, in the order the error for an unknown name lists them. */
const PARAMETERS: ParameterTable<FundModelParameters> = {
  quarters: integerIn(1, 120),
  correlationTech: numberIn(-1, 1),
  correlationInfrastructure: numberIn(-1, 1),
  correlationAcross: numberIn(-1, 1),
  sentimentLoading: numberIn(0, 1),
  sentimentPersistence: numberIn(0, 0.99),
  exitStartYears: numberIn(0, 30),
  incomeStartYears: numberIn(0, 30),
  exitRate: numberIn(0, 1),
  callPace: numberIn(0, 1),
  fundingQuarters: integerIn(1, 80),
  targetLeverage: numberIn(0, 1),
  repayRate: numberIn(0, 1),
  managementFee: numberIn(0, 0.05),
  expenseRate: numberIn(0, 0.05),
  reserve: numberIn(0, 0.5),
  distributionShare: numberIn(0, 1),
  distributionStartYears: numberIn(0, 30),
  rateShock: numberIn(-0.1, 0.2),
  delayQuarters: integerIn(0, 40),
  breakdown: integerIn(0, 1),
  fxDrift: numberIn(-0.5, 0.5),
  fxVolatility: numberIn(0, 1),
  hedgeRatio: numberIn(0, 1),
  usdRate: numberIn(-0.05, 0.3),
  jpyRate: numberIn(-0.05, 0.3),
  indexGrowth: numberIn(-0.5, 1),
  indexVolatility: numberIn(0, 1),
  indexCorrelation: numberIn(-1, 1),
  saleYear: integerIn(0, 30),
  secondaryDiscount: numberIn(0, 0.9),
  secondaryDiscountVolatility: numberIn(0, 1),
};
/** Each sector's own figures: `<sector>.growth` sets one sector's, `growth` every sector's. */
const SECTOR: Record<keyof SectorParameters, Parameter<number>> = {
  growth: numberIn(-0.5, 1),
  volatility: numberIn(0, 1.5),
  incomeYield: numberIn(0, 0.5),
  writeOffRate: numberIn(0, 1),
  writeOffLoss: numberIn(0, 1),
};
const sectorField = (field: string): field is keyof SectorParameters => Object.hasOwn(SECTOR, field);
const correlation = numberIn(-1, 1);

/**
 * The names beyond the table: `correlation` sets the three correlations at once (1: every sector
 * moves together); `growth`, `volatility` and `incomeYield` set that figure for every sector;
 * `<sector>.growth` (and the others) one sector's (`other.growth`: a sector the defaults do not list).
 */
const SECTOR_PARAMETERS: MoreParameters<FundModelParameters> = {
  names: [...Object.keys(SECTOR), 'correlation', ...Object.keys(SECTOR).map((field) => `<sector>.${field}`)],
  apply(p, key, value) {
    if (key.includes('.')) {
      const [sectorName, field] = key.split('.', 2);
      if (!sectorField(field))
        throw new InvalidParameterError(
          `Unknown sector parameter ${JSON.stringify(key)}: use <sector>.growth, .volatility, .incomeYield, .writeOffRate or .writeOffLoss`,
        );
      const target =
        sectorName === 'other' ? p.otherSector : Object.hasOwn(p.sectors, sectorName) ? p.sectors[sectorName] : (p.sectors[sectorName] = { ...p.otherSector });
      target[field] = SECTOR[field].parse(key, value);
      return true;
    }
    if (key === 'correlation') {
      p.correlationTech = p.correlationInfrastructure = p.correlationAcross = correlation.parse(key, value);
      return true;
    }
    if (!sectorField(key)) return false;
    const v = SECTOR[key].parse(key, value);
    for (const s of [...Object.values(p.sectors), p.otherSector]) s[key] = v;
    return true;
  },
};

/** The parameters of a scenario with the user's overrides, each checked against its bounds (parameter-resolver.ts). */
export function resolveFundParameters(scenario: string, overrides: Record<string, unknown> = {}): FundModelParameters {
  const p: FundModelParameters = structuredClone({ ...DEFAULT_FUND_PARAMETERS, ...scenarioOf(FUND_SCENARIOS, scenario) });
  applyOverrides(p, PARAMETERS, overrides, SECTOR_PARAMETERS);
  // Every sector the parameters name, and one more of each kind: the matrix must have a factor.
  correlationFactor([...Object.keys(p.sectors), 'other-tech', 'other-infrastructure'], { ...p, techSectors: [...p.techSectors, 'other-tech'] });
  return p;
}
