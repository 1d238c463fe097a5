import { InvalidParameterError } from './parameter-resolver';

/** How the sectors' shocks correlate: which sectors are tech (the rest are infrastructure), and the three correlations. */
export interface SectorCorrelations {
  /** Which sectors are tech (the rest are infrastructure), for the correlation and the sentiment. */
  techSectors: string[];
  /** Correlation of two sectors' shocks: both tech, both infrastructure, one of each. */
  correlationTech: number;
  correlationInfrastructure: number;
  correlationAcross: number;
}

/**
 * Cholesky factor of the sectors' correlation matrix (row-major, lower): shocks z = L e. A set of
 * correlations that makes no correlation matrix is refused (`InvalidParameterError`), never clamped:
 * the parameters are checked with it when resolved, and the model factors its own sectors with it.
 */
export function correlationFactor(sectors: readonly string[], p: SectorCorrelations): Float64Array {
  const n = sectors.length;
  const tech = sectors.map((s) => p.techSectors.includes(s));
  const c = (i: number, j: number) =>
    i === j ? 1 : tech[i] && tech[j] ? p.correlationTech : !tech[i] && !tech[j] ? p.correlationInfrastructure : p.correlationAcross;
  const invalid = () =>
    new InvalidParameterError(
      `The sector correlations (tech ${p.correlationTech}, infrastructure ${p.correlationInfrastructure}, across ${p.correlationAcross}) do not make a valid correlation matrix`,
    );
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = c(i, j);
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        // A matrix that is not positive semi-definite has no factor: refused, never clamped.
        if (sum < -1e-9) throw invalid();
        L[i * n + i] = Math.sqrt(Math.max(0, sum));
      } else if (L[j * n + j] > 1e-12) L[i * n + j] = sum / L[j * n + j];
      // A zero pivot leaves nothing to correlate with: the residual must be zero too.
      else if (Math.abs(sum) > 1e-9) throw invalid();
    }
  }
  return L;
}
