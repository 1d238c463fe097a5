import { divRoundHalfEven, formatCents, parseCents, parseFraction } from '@fundsim/domain';
import { csvLine } from '../csv';
import type { CapitalAccount, RollForward } from './statement';

/*
 * The ILPA statement: an LP's capital account for the period, the year to date and since
 * inception side by side, with its commitment rolled forward and, for a yen LP, the roll-forward
 * translated into yen. Pure composition of capital accounts (statement.ts): each column is the
 * statement for its own dates, so the inception-to-date column is exactly the statement from
 * inception, and nothing here knows how a line is computed, only how it moves net assets.
 */

export const ILPA_COLUMNS = ['period', 'yearToDate', 'inceptionToDate'] as const;
export type IlpaColumn = (typeof ILPA_COLUMNS)[number];
export type Columns<T = string> = Record<IlpaColumn, T>;

/** A column's first day (null: from the fund's inception) and last day. */
export interface ColumnDates {
  from: string | null;
  to: string;
}
/** USD/JPY (yen per dollar) the day before a column starts (null from inception) and on its last day. */
export interface ColumnRates {
  opening: string | null;
  closing: string;
}
// Spelled out (not Columns<...>) so that the OpenAPI schemas get plain names.
export interface IlpaDates {
  period: ColumnDates;
  yearToDate: ColumnDates;
  inceptionToDate: ColumnDates;
}
export interface IlpaRates {
  period: ColumnRates;
  yearToDate: ColumnRates;
  inceptionToDate: ColumnRates;
}

type Balance = 'beginningNav' | 'endingNav';

/**
 * Subtotals of other lines of the roll-forward, left out so that each amount counts once:
 * `carriedInterest` is `carriedInterestPaid` + `changeInAccruedCarry`, which ILPA shows on
 * separate lines.
 */
type Subtotal = 'carriedInterest';
const SUBTOTALS: ReadonlySet<keyof RollForward> = new Set<Subtotal>(['carriedInterest']);
/** The roll-forward's figures the ILPA statement shows: its balances and lines, subtotals left out. */
export type IlpaRollForwardKey = Exclude<keyof RollForward, Subtotal>;

/**
 * How each line of the roll-forward moves net assets: the one place in this module that names
 * them (a line added to or renamed in `RollForward` fails to compile here until it is signed, or
 * named a subtotal above).
 */
export const ROLL_FORWARD_SIGNS = {
  contributions: 1n,
  distributions: -1n,
  transfersIn: 1n,
  transfersOut: -1n,
  carriedInterestPaid: -1n,
  changeInAccruedCarry: -1n,
  managementFees: -1n,
  expenses: -1n,
  interest: -1n,
  income: 1n,
  realizedGain: 1n,
  changeInUnrealizedGain: 1n,
} satisfies Record<Exclude<IlpaRollForwardKey, Balance>, 1n | -1n>;

/** Beginning + commitment admitted + transferred in - out + contributions called = ending; `defaulted` is a memo (a default leaves the amount owed, not the commitment released). */
export interface CommitmentRollForward {
  beginningUnfunded: Columns;
  /** Admitted by the closes held in the column (after any scale-back at the hard cap). */
  commitmentAdmitted: Columns;
  /** The unfunded part of interests transferred to the LP in the column (libs/domain transfer.decider.ts). */
  unfundedTransferredIn: Columns;
  /** The unfunded part of interests it transferred (negative: out of its unfunded commitment). */
  unfundedTransferredOut: Columns;
  /** Catch-up at a close and calls, as a reduction of unfunded (negative). */
  contributionsCalled: Columns;
  endingUnfunded: Columns;
  /** Memo: contributions called in the column that the LP has defaulted on (still owed, still in contributions). */
  defaultedInPeriod: Columns;
}

export interface IlpaStatement {
  fundId: string;
  lpId: string;
  currency: 'USD' | 'JPY';
  asOf: string;
  knownAt: string | null;
  dates: IlpaDates;
  /** In USD, each line signed as it moves net assets: beginningNav + the lines = endingNav, in every column. */
  rollForward: Record<IlpaRollForwardKey, Columns>;
  commitment: CommitmentRollForward;
  /**
   * A JPY LP's roll-forward in yen (null for a USD LP, or when no USD/JPY rate is recorded by a
   * date it needs): the beginning NAV at the rate in force the day before the column starts, every
   * line and the ending NAV at the rate on asOf, and the difference as `currencyTranslation`.
   */
  yen: { rates: IlpaRates; rollForward: Record<IlpaRollForwardKey | 'currencyTranslation', Columns> } | null;
}

export interface IlpaInput {
  /** The LP's capital account over each column: [from, asOf], [1 January, asOf], inception to asOf. */
  accounts: Columns<CapitalAccount>;
  /** Its account from inception to the day before each column starts; null when the column starts at inception. */
  openings: Columns<CapitalAccount | null>;
  /** For a JPY LP: USD/JPY (yen per dollar) in force the day before each column starts, and on asOf. */
  rates?: { opening: Columns<string | undefined>; closing: string | undefined };
}

const mapColumns = <T>(f: (c: IlpaColumn) => T): Columns<T> => ({ period: f('period'), yearToDate: f('yearToDate'), inceptionToDate: f('inceptionToDate') });
const isBalance = (k: keyof RollForward): k is Balance => k === 'beginningNav' || k === 'endingNav';

/** The roll-forward's keys the statement shows, in the statement's order (beginning first, ending last). */
function rollForwardKeys(account: CapitalAccount): IlpaRollForwardKey[] {
  return (Object.keys(account.rollForward) as (keyof RollForward)[]).filter((k): k is IlpaRollForwardKey => !SUBTOTALS.has(k));
}

/** A roll-forward figure of one account in cents, signed as it moves net assets. */
function signedCents(account: CapitalAccount, key: IlpaRollForwardKey): bigint {
  const cents = parseCents(account.rollForward[key]);
  return isBalance(key) ? cents : cents * ROLL_FORWARD_SIGNS[key];
}

/** A capital account's roll-forward as the ILPA statement shows it: subtotals left out, each figure in cents signed as it moves net assets. */
export function signedRollForward(account: CapitalAccount): [IlpaRollForwardKey, bigint][] {
  return rollForwardKeys(account).map((k) => [k, signedCents(account, k)]);
}

export function ilpaStatement({ accounts, openings, rates }: IlpaInput): IlpaStatement {
  const itd = accounts.inceptionToDate;
  const keys = rollForwardKeys(itd);
  const rollForward = Object.fromEntries(keys.map((k) => [k, mapColumns((c) => formatCents(signedCents(accounts[c], k)))])) as Record<
    IlpaRollForwardKey,
    Columns
  >;
  // A figure of the account to the day before the column starts (nil from inception), and its change over the column.
  const opening = (c: IlpaColumn, f: (a: CapitalAccount) => string) => (openings[c] ? parseCents(f(openings[c])) : 0n);
  const moved = (c: IlpaColumn, f: (a: CapitalAccount) => string) => parseCents(f(accounts[c])) - opening(c, f);
  const commitment: CommitmentRollForward = {
    beginningUnfunded: mapColumns((c) => formatCents(opening(c, (a) => a.unfunded))),
    // Moved by closes: what transfers moved is on its own lines.
    commitmentAdmitted: mapColumns((c) =>
      formatCents(moved(c, (a) => a.commitment.usd) - parseCents(accounts[c].transfers.commitmentIn) + parseCents(accounts[c].transfers.commitmentOut)),
    ),
    unfundedTransferredIn: mapColumns((c) => accounts[c].transfers.unfundedIn),
    unfundedTransferredOut: mapColumns((c) => formatCents(-parseCents(accounts[c].transfers.unfundedOut))),
    // Out of the commitment: the contributions less the fees called beside it.
    contributionsCalled: mapColumns((c) => formatCents(parseCents(accounts[c].feesCalled) - parseCents(accounts[c].rollForward.contributions))),
    endingUnfunded: mapColumns((c) => accounts[c].unfunded),
    defaultedInPeriod: mapColumns((c) => formatCents(moved(c, (a) => a.defaultedUnpaid))),
  };
  return {
    fundId: itd.fundId,
    lpId: itd.lpId,
    currency: itd.currency,
    asOf: itd.asOf,
    knownAt: itd.knownAt,
    dates: mapColumns((c) => ({ from: accounts[c].from, to: accounts[c].asOf })),
    rollForward,
    commitment,
    yen: itd.currency === 'JPY' && rates ? inYen(accounts, keys, rates) : null,
  };
}

/**
 * The current-rate translation: the opening NAV at the opening rate, every line of the column and
 * the ending NAV at the closing rate, each rounded half to even to the yen once; the translation
 * line is what is left, so that each yen column adds up exactly. It is the rate's move applied to
 * the opening NAV, plus the yen of rounding.
 */
function inYen(accounts: Columns<CapitalAccount>, keys: readonly IlpaRollForwardKey[], rates: NonNullable<IlpaInput['rates']>): IlpaStatement['yen'] {
  const { closing } = rates;
  if (closing === undefined) return null;
  const needsOpening = (c: IlpaColumn) => accounts[c].from !== null && parseCents(accounts[c].rollForward.beginningNav) !== 0n;
  if (ILPA_COLUMNS.some((c) => needsOpening(c) && rates.opening[c] === undefined)) return null;
  const toYen = (cents: bigint, rate: string) => {
    const { numerator, denominator } = parseFraction(rate);
    return divRoundHalfEven(cents * numerator, denominator * 100n);
  };
  const columns = mapColumns((c) => {
    const a = accounts[c];
    const opening = rates.opening[c] ?? closing;
    const figures = new Map<IlpaRollForwardKey | 'currencyTranslation', bigint>();
    let sum = 0n;
    for (const k of keys) {
      const yen = toYen(signedCents(a, k), k === 'beginningNav' ? opening : closing);
      figures.set(k, yen);
      if (k !== 'endingNav') sum += yen;
    }
    figures.set('currencyTranslation', figures.get('endingNav')! - sum);
    return figures;
  });
  const ordered = [...keys.filter((k) => k !== 'endingNav'), 'currencyTranslation' as const, 'endingNav' as const];
  return {
    rates: mapColumns((c) => ({ opening: accounts[c].from === null ? null : (rates.opening[c] ?? null), closing })),
    rollForward: Object.fromEntries(ordered.map((k) => [k, mapColumns((c) => columns[c].get(k)!.toString())])) as Record<
      IlpaRollForwardKey | 'currencyTranslation',
      Columns
    >,
  };
}

/* ---------------------------------------------------------------- CSV */

export const ILPA_CSV_HEADER = ['line', 'period', 'year_to_date', 'inception_to_date'] as const;

/** camelCase key -> snake_case CSV line name: the JSON key, spelled for a spreadsheet. */
export const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The statement as CSV lines, header first: one row per figure, named by its JSON key in
 * snake_case (`from_date`, `to_date`, the roll-forward, the commitment roll-forward, then for a
 * yen LP the same roll-forward prefixed `jpy_`); amounts as decimal strings, signed as in JSON.
 */
export function* ilpaStatementCsv(s: IlpaStatement): Generator<string> {
  const row = (line: string, cols: Columns<string | null>) => csvLine([line, ...ILPA_COLUMNS.map((c) => cols[c] ?? '')]);
  yield csvLine(ILPA_CSV_HEADER);
  yield row(
    'from_date',
    mapColumns((c) => s.dates[c].from),
  );
  yield row(
    'to_date',
    mapColumns((c) => s.dates[c].to),
  );
  for (const [k, cols] of Object.entries(s.rollForward)) yield row(snakeCase(k), cols);
  for (const [k, cols] of Object.entries(s.commitment)) yield row(snakeCase(k), cols);
  if (!s.yen) return;
  yield row(
    'jpy_rate_opening',
    mapColumns((c) => s.yen!.rates[c].opening),
  );
  yield row(
    'jpy_rate_closing',
    mapColumns((c) => s.yen!.rates[c].closing),
  );
  for (const [k, cols] of Object.entries(s.yen.rollForward)) yield row(`jpy_${snakeCase(k)}`, cols);
}
