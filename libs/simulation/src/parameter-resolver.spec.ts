import { DEFAULT_FUND_PARAMETERS, resolveFundParameters } from './fund-parameters';
import { applyOverrides, InvalidParameterError, integerIn, listIn, numberIn, scenarioOf, type ParameterTable } from './parameter-resolver';

describe('the parameter resolver', () => {
  interface Toy {
    rate: number;
    steps: number;
    weights: number[];
    label: string;
  }
  const table: ParameterTable<Toy> = { rate: numberIn(0, 0.5), steps: integerIn(1, 10), weights: listIn(0, 1) };
  const toy = (): Toy => ({ rate: 0.1, steps: 4, weights: [1], label: 'fixed' });

  it('sets each override its table knows, checked against its range; the rest of the parameters keep their defaults', () => {
    expect(applyOverrides(toy(), table, { rate: 0.5, steps: 10, weights: [0, 0.5] })).toEqual({ rate: 0.5, steps: 10, weights: [0, 0.5], label: 'fixed' });
    expect(applyOverrides(toy(), table, {})).toEqual(toy());
  });

  // One row per refusal: the message names the parameter and its range (the API answers 422 INVALID_PARAMETER with it).
  it.each([
    [{ rate: 0.6 }, 'rate must be a number in [0, 0.5], got 0.6'],
    [{ rate: '0.1' }, 'rate must be a number in [0, 0.5], got "0.1"'],
    [{ rate: Number.NaN }, 'rate must be a number in [0, 0.5], got null'],
    [{ steps: 2.5 }, 'steps must be an integer, got 2.5'],
    [{ steps: 0 }, 'steps must be a number in [1, 10], got 0'],
    [{ weights: [] }, 'weights must be a non-empty list of numbers in [0, 1]'],
    [{ weights: [0.5, 2] }, 'weights must be a non-empty list of numbers in [0, 1]'],
    [{ label: 'x' }, 'Unknown parameter "label": known are rate, steps, weights'],
    [{ constructor: 1 }, 'Unknown parameter "constructor": known are rate, steps, weights'],
    // The first refused override in the request's order is the one reported.
    [{ steps: 1.5, rate: 9 }, 'steps must be an integer, got 1.5'],
  ])('refuses %j: %s', (overrides, message) => {
    expect(() => applyOverrides(toy(), table, overrides)).toThrow(new InvalidParameterError(message));
  });

  it('names the scenarios there are when one is unknown, and finds none on the prototype', () => {
    expect(scenarioOf({ base: 1, bull: 2 }, 'bull')).toBe(2);
    expect(() => scenarioOf({ base: 1, bull: 2 }, 'toString')).toThrow('Unknown scenario "toString": use one of base, bull');
  });

  it('is what the fund model resolves with: a refusal names the parameter and its range, with the code the API maps', () => {
    for (const resolve of [(o: Record<string, unknown>) => resolveFundParameters('base', o)]) {
      expect(() => resolve({ delayQuarters: 41 })).toThrow('delayQuarters must be a number in [0, 40], got 41');
      expect(() => resolve({ delayQuarters: 1.5 })).toThrow('delayQuarters must be an integer, got 1.5');
      expect(() => resolve({ managementFee: 'high' })).toThrow('managementFee must be a number in [0, 0.05], got "high"');
      expect(() => resolve({ warp: 1 })).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/^Unknown parameter "warp": known are /) }),
      );
    }
    expect(() => resolveFundParameters('base', { fxVolatility: 2 })).toThrow('fxVolatility must be a number in [0, 1], got 2');
    expect(() => resolveFundParameters('base', { 'energy-grids.volatility': 1.6 })).toThrow('energy-grids.volatility must be a number in [0, 1.5], got 1.6');
    expect(() => resolveFundParameters('base', { 'energy-grids.drift': 0.1 })).toThrow(
      'Unknown sector parameter "energy-grids.drift": use <sector>.growth, .volatility, .incomeYield, .writeOffRate or .writeOffLoss',
    );
    expect(resolveFundParameters('base', { volatility: 0.2 }).sectors.semiconductors.volatility).toBe(0.2);
    expect(resolveFundParameters('base', { 'harbours.growth': 0.02 }).sectors.harbours).toEqual({ ...DEFAULT_FUND_PARAMETERS.otherSector, growth: 0.02 });
  });
});
