import type { FundFork } from '../fund-fork';

/** A small fund over four quarters, easy by hand (docs/simulation.md, part 2). */
export const smallFund: FundFork = {
  dates: ['2030-01-01', '2030-04-01', '2030-07-01', '2030-10-01', '2031-01-01'],
  fundAgeYears: 1,
  admitted: 1000,
  calledFraction: 0.5,
  cash: 100,
  leveragePolicy: { maxRatio: 0.5, basis: 'commitments' },
  facilities: [{ facilityId: 'bank', limit: 300, principal: 0, annualRate: 0.08, dayBasis: 360, maturityDate: '2040-01-01', accrued: 0 }],
  projects: [{ projectId: 'grid', sector: 'energy-grids', cost: 400, fairValue: 400 }],
  allocations: [{ allocationId: 'al-grid', project: 0, unfunded: 300, committed: true }],
  pastFlows: [-500],
  pastPaidIn: 500,
  pastDistributed: 0,
  interestBefore: 0,
  managers: [],
};
