/*
 * Upper bounds on what a command may book, so that no accepted history can make a read fail:
 * every amount the ledger keeps in integer minor units stays a safe integer (below 2^53).
 * Documented in docs/accounting.md ("Bounds").
 */

/** The largest hard cap a fund may set: 5 trillion USD (the fund is sized at 300 billion). */
export const MAX_HARD_CAP_USD = '5000000000000';

/**
 * The largest amount any command may carry, in its currency: a quadrillion. Commitments are
 * bounded further by the hard cap.
 */
export const MAX_AMOUNT = '1000000000000000';

/**
 * USD/JPY must lie in [10, 1000] yen per dollar (it has stayed within 75-360 since 1949). With the
 * hard cap, a commitment in yen then stays below 5 x 10^15 yen, a safe integer.
 */
export const USD_JPY_BAND = { min: '10', max: '1000' } as const;

/** Annual rates (facility interest, equalization) at most 100%; leverage at most 100x its basis. */
export const MAX_ANNUAL_RATE = '1';
export const MAX_LEVERAGE_RATIO = '100';

/**
 * An effective date at most this many years after the fund's latest one (or its inception): a
 * command dated 9999-12-31 would otherwise push every later command past it. A correction may
 * still reach back.
 */
export const MAX_YEARS_AHEAD = 5;
