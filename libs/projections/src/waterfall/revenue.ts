import { divRoundHalfEven, formatCents, fxRateOn, parseFraction, reject, type WaterfallTerms } from '@fundsim/domain';
import type { Ledger } from '../ledger/fund-ledger';
import { managerAccounts, type ManagerCents } from './waterfall-report';
import type { Borne } from './net-transfer';

/** One quarter of a manager's revenue, in one currency. */
export interface RevenueFigures {
  /** Its share of the management fees charged in the quarter. */
  managementFees: string;
  /** Its part of the distributions declared in the quarter (catch-up and carried interest). */
  carriedInterestPaid: string;
  /** The change in its share of the carry accrued (negative when the accrual fell). */
  carriedInterestAccrued: string;
  /** As a sovereign LP (its own LP account); null when the terms name no LP. */
  asLp: { contributions: string; distributions: string; profit: string; netAssets: string } | null;
  /** Fees, carry paid, the change in carry accrued and its profit as an LP. */
  income: string;
}

export interface RevenueQuarter {
  /** "2027-Q3". */
  quarter: string;
  from: string;
  to: string;
  /** The period starts or ends inside the quarter: its figures are for [from, to] only. */
  partial: boolean;
  usd: RevenueFigures;
  /** For a manager whose LP account is in yen: the same at the USD/JPY rate recorded for the quarter's last day (whole yen). */
  jpy: RevenueFigures | null;
  usdJpy: string | null;
}

/** One government's account both ways: what its LPs paid the fund in a period, what its manager received, and the difference. */
export interface TransferFigures {
  /** Its LPs' share of the fees and the carry (paid, and the change in the accrued), and of the expenses (paid to others, outside the net). */
  paidAsLp: {
    managementFees: string;
    carriedInterestPaid: string;
    carriedInterestAccrued: string;
    /** Carry paid plus the change in carry accrued. */
    carriedInterest: string;
    expenses: string;
    feesAndCarry: string;
  };
  /** The manager's fees, carry paid and change in carry accrued (its revenue's own figures). */
  receivedAsManager: { managementFees: string; carriedInterestPaid: string; carriedInterestAccrued: string; total: string };
  /** Received as manager less fees and carry paid as LP: positive, the government gains from the other LPs. */
  net: string;
}

export interface TransferQuarter {
  quarter: string;
  from: string;
  to: string;
  /** The period starts or ends inside the quarter: its figures are for [from, to] only. */
  partial: boolean;
  usd: TransferFigures;
  /** At the USD/JPY rate recorded for the quarter's last day (whole yen); null with no rate by then. */
  jpy: TransferFigures | null;
  usdJpy: string | null;
}

/** The net transfer: the manager's government (its LPs named by the terms) paying as LPs against receiving as manager. */
export interface NetTransfer {
  lps: string[];
  quarters: TransferQuarter[];
  /** In yen, the sum of the quarters' yen; null unless every quarter has a rate. */
  total: { usd: TransferFigures; jpy: TransferFigures | null };
}

export interface Revenue {
  fundId: string;
  manager: string;
  /** Its share of the carry, and of a fee, on the period's last day (fixed, or its government's stake). */
  share: string;
  feeShare: string;
  lpId: string | null;
  from: string;
  to: string;
  knownAt: string | null;
  quarters: RevenueQuarter[];
  /** Over the whole period; in yen, the sum of the quarters' yen (each at its own rate). */
  total: { usd: RevenueFigures; jpy: RevenueFigures | null };
  /** Null when the terms name no LP account of the manager's government. */
  transfer: NetTransfer | null;
}

interface Cents {
  managementFees: bigint;
  carriedInterestPaid: bigint;
  carriedInterestAccrued: bigint;
  asLp: { contributions: bigint; distributions: bigint; profit: bigint; netAssets: bigint } | null;
  income: bigint;
}

/** The quarters that overlap [from, to], each cut to it (`partial` when cut). */
export function quartersOf(from: string, to: string): { quarter: string; from: string; to: string; partial: boolean }[] {
  const out: { quarter: string; from: string; to: string; partial: boolean }[] = [];
  let year = Number(from.slice(0, 4));
  let q = Math.floor((Number(from.slice(5, 7)) - 1) / 3);
  for (;;) {
    const start = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    if (start > to) return out;
    const end = new Date(Date.UTC(year, q * 3 + 3, 0)).toISOString().slice(0, 10);
    out.push({ quarter: `${year}-Q${q + 1}`, from: start < from ? from : start, to: end > to ? to : end, partial: start < from || end > to });
    if (++q === 4) [q, year] = [0, year + 1];
  }
}

/** A manager's share of the fees, the carry paid and accrued, cumulative to a ledger's date, in cents. */
function cumulative(terms: WaterfallTerms, ledger: Ledger, date: string, manager: string): ManagerCents {
  return managerAccounts(terms, ledger, date).managers.find((m) => m.manager === manager)!;
}

export interface RevenueInput {
  fundId: string;
  manager: string;
  from: string;
  to: string;
  knownAt: string | null;
  terms: WaterfallTerms;
  /** Figures in yen too (a manager whose LP account is in yen). */
  yen: boolean;
  /** The ledger as of a date (as known at the query's time). */
  ledgerAsOf: (date: string) => Ledger;
  /** The manager's LP account on a date, cumulative from inception, when it has one. */
  lpPosition?: (date: string) => LpPosition;
  /** The manager's government's LPs, and what they bear cumulative to a date (`borneByGroup`). */
  government?: { lps: string[]; borne: (date: string) => Borne };
}

/** An LP's contributions and its share of the distributions declared, cumulative, and its net assets, in cents. */
export interface LpPosition {
  /** Its commitment admitted by the date's closes. */
  admitted: bigint;
  contributions: bigint;
  distributions: bigint;
  netAssets: bigint;
}

/** A manager's revenue by quarter: fees, carry paid and accrued, and its returns as an LP. */
export function managerRevenue(input: RevenueInput): Revenue {
  const share =
    input.terms.managerShares.find((s) => s.manager === input.manager) ??
    reject('UNKNOWN_MANAGER', `${input.manager} is not a manager of fund ${input.fundId} (${input.terms.managerShares.map((s) => s.manager).join(', ')})`);
  const start = dayBefore(input.from);
  let previous = cumulative(input.terms, input.ledgerAsOf(start), start, input.manager);
  let lpBefore = input.lpPosition?.(start);
  let borneBefore = input.government?.borne(start);
  const transfer: { quarters: TransferQuarter[]; usd: TransferCents[]; jpy: TransferCents[] } = { quarters: [], usd: [], jpy: [] };
  const quarters: RevenueQuarter[] = [];
  const totals: { usd: Cents[]; jpy: Cents[] } = { usd: [], jpy: [] };
  for (const q of quartersOf(input.from, input.to)) {
    const ledger = input.ledgerAsOf(q.to);
    const now = cumulative(input.terms, ledger, q.to, input.manager);
    const lp = input.lpPosition?.(q.to);
    const asLp = lp && lpBefore ? quarterAsLp(lpBefore, lp) : null;
    lpBefore = lp;
    const usd: Cents = {
      managementFees: now.fees - previous.fees,
      carriedInterestPaid: now.paid - previous.paid,
      carriedInterestAccrued: now.accrued - previous.accrued,
      asLp,
      income: 0n,
    };
    usd.income = usd.managementFees + usd.carriedInterestPaid + usd.carriedInterestAccrued + (asLp?.profit ?? 0n);
    const rate = input.yen ? fxRateOn(ledger.state, q.to) : undefined;
    const jpy = rate ? toYen(usd, rate.toString()) : null;
    totals.usd.push(usd);
    if (jpy) totals.jpy.push(jpy);
    quarters.push({ ...q, usd: format(usd, formatCents), jpy: jpy && format(jpy, String), usdJpy: rate ? rate.toString() : null });
    previous = now;
    if (input.government && borneBefore) {
      const borne = input.government.borne(q.to);
      const t = transferCents(borneBefore, borne, usd);
      borneBefore = borne;
      const fx = fxRateOn(ledger.state, q.to);
      const tYen = fx ? transferToYen(t, fx.toString()) : null;
      transfer.usd.push(t);
      if (tYen) transfer.jpy.push(tYen);
      transfer.quarters.push({ ...q, usd: formatTransfer(t, formatCents), jpy: tYen && formatTransfer(tYen, String), usdJpy: fx ? fx.toString() : null });
    }
  }
  return {
    fundId: input.fundId,
    manager: input.manager,
    // On the period's last day: fixed, or by the governments' stakes then.
    share: previous.share,
    feeShare: previous.feeShare,
    lpId: share.lpId ?? null,
    from: input.from,
    to: input.to,
    knownAt: input.knownAt,
    quarters,
    total: { usd: format(sum(totals.usd), formatCents), jpy: input.yen && totals.jpy.length === quarters.length ? format(sum(totals.jpy), String) : null },
    transfer: input.government
      ? {
          lps: input.government.lps,
          quarters: transfer.quarters,
          total: {
            usd: formatTransfer(sumTransfer(transfer.usd), formatCents),
            jpy: transfer.jpy.length === transfer.quarters.length ? formatTransfer(sumTransfer(transfer.jpy), String) : null,
          },
        }
      : null,
  };
}

/** A quarter of the net transfer, in one currency's minor units. */
interface TransferCents {
  paid: Borne;
  received: { managementFees: bigint; carriedInterestPaid: bigint; carriedInterestAccrued: bigint };
}

function transferCents(before: Borne, after: Borne, usd: Cents): TransferCents {
  return {
    paid: {
      managementFees: after.managementFees - before.managementFees,
      expenses: after.expenses - before.expenses,
      carriedInterestPaid: after.carriedInterestPaid - before.carriedInterestPaid,
      carriedInterestAccrued: after.carriedInterestAccrued - before.carriedInterestAccrued,
    },
    received: { managementFees: usd.managementFees, carriedInterestPaid: usd.carriedInterestPaid, carriedInterestAccrued: usd.carriedInterestAccrued },
  };
}

/** Each figure converted on its own (half to even), so the yen net is the yen received less the yen paid. */
function transferToYen(t: TransferCents, rate: string): TransferCents {
  const r = parseFraction(rate);
  const yen = (cents: bigint) => divRoundHalfEven(cents * r.numerator, 100n * r.denominator);
  return {
    paid: {
      managementFees: yen(t.paid.managementFees),
      expenses: yen(t.paid.expenses),
      carriedInterestPaid: yen(t.paid.carriedInterestPaid),
      carriedInterestAccrued: yen(t.paid.carriedInterestAccrued),
    },
    received: {
      managementFees: yen(t.received.managementFees),
      carriedInterestPaid: yen(t.received.carriedInterestPaid),
      carriedInterestAccrued: yen(t.received.carriedInterestAccrued),
    },
  };
}

function sumTransfer(all: TransferCents[]): TransferCents {
  const total = (f: (t: TransferCents) => bigint) => all.reduce((s, t) => s + f(t), 0n);
  return {
    paid: {
      managementFees: total((t) => t.paid.managementFees),
      expenses: total((t) => t.paid.expenses),
      carriedInterestPaid: total((t) => t.paid.carriedInterestPaid),
      carriedInterestAccrued: total((t) => t.paid.carriedInterestAccrued),
    },
    received: {
      managementFees: total((t) => t.received.managementFees),
      carriedInterestPaid: total((t) => t.received.carriedInterestPaid),
      carriedInterestAccrued: total((t) => t.received.carriedInterestAccrued),
    },
  };
}

function formatTransfer(t: TransferCents, fmt: (v: bigint) => string): TransferFigures {
  const paid = t.paid.managementFees + t.paid.carriedInterestPaid + t.paid.carriedInterestAccrued;
  const received = t.received.managementFees + t.received.carriedInterestPaid + t.received.carriedInterestAccrued;
  return {
    paidAsLp: {
      managementFees: fmt(t.paid.managementFees),
      carriedInterestPaid: fmt(t.paid.carriedInterestPaid),
      carriedInterestAccrued: fmt(t.paid.carriedInterestAccrued),
      carriedInterest: fmt(t.paid.carriedInterestPaid + t.paid.carriedInterestAccrued),
      expenses: fmt(t.paid.expenses),
      feesAndCarry: fmt(paid),
    },
    receivedAsManager: {
      managementFees: fmt(t.received.managementFees),
      carriedInterestPaid: fmt(t.received.carriedInterestPaid),
      carriedInterestAccrued: fmt(t.received.carriedInterestAccrued),
      total: fmt(received),
    },
    net: fmt(received - paid),
  };
}

/** A quarter as an LP: what it paid in and received, and its profit (the change in its net assets, plus distributions, less contributions). */
function quarterAsLp(before: LpPosition, after: LpPosition): NonNullable<Cents['asLp']> {
  const contributions = after.contributions - before.contributions;
  const distributions = after.distributions - before.distributions;
  return { contributions, distributions, profit: after.netAssets - before.netAssets + distributions - contributions, netAssets: after.netAssets };
}

function toYen(c: Cents, rate: string): Cents {
  const r = parseFraction(rate);
  const yen = (cents: bigint) => divRoundHalfEven(cents * r.numerator, 100n * r.denominator);
  const asLp = c.asLp && {
    contributions: yen(c.asLp.contributions),
    distributions: yen(c.asLp.distributions),
    profit: yen(c.asLp.profit),
    netAssets: yen(c.asLp.netAssets),
  };
  const out: Cents = {
    managementFees: yen(c.managementFees),
    carriedInterestPaid: yen(c.carriedInterestPaid),
    carriedInterestAccrued: yen(c.carriedInterestAccrued),
    asLp,
    income: 0n,
  };
  out.income = out.managementFees + out.carriedInterestPaid + out.carriedInterestAccrued + (asLp?.profit ?? 0n);
  return out;
}

function sum(all: Cents[]): Cents {
  const last = all[all.length - 1];
  const total = (f: (c: Cents) => bigint) => all.reduce((s, c) => s + f(c), 0n);
  const asLp = last?.asLp
    ? {
        contributions: total((c) => c.asLp?.contributions ?? 0n),
        distributions: total((c) => c.asLp?.distributions ?? 0n),
        profit: total((c) => c.asLp?.profit ?? 0n),
        netAssets: last.asLp.netAssets,
      }
    : null;
  return {
    managementFees: total((c) => c.managementFees),
    carriedInterestPaid: total((c) => c.carriedInterestPaid),
    carriedInterestAccrued: total((c) => c.carriedInterestAccrued),
    asLp,
    income: total((c) => c.income),
  };
}

function format(c: Cents, fmt: (v: bigint) => string): RevenueFigures {
  return {
    managementFees: fmt(c.managementFees),
    carriedInterestPaid: fmt(c.carriedInterestPaid),
    carriedInterestAccrued: fmt(c.carriedInterestAccrued),
    asLp: c.asLp && {
      contributions: fmt(c.asLp.contributions),
      distributions: fmt(c.asLp.distributions),
      profit: fmt(c.asLp.profit),
      netAssets: fmt(c.asLp.netAssets),
    },
    income: fmt(c.income),
  };
}

export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
