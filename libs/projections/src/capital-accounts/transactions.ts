import {
  callShare,
  defaultKey,
  divRoundHalfEven,
  entryEpochOf,
  firstEpochOf,
  formatCents,
  parseCents,
  timesRate,
  type LpEntry,
  type RecordedFundEvent,
} from '@fundsim/domain';
import { LINE_SIGNS, type Lines } from '../ledger/fund-ledger';
import { callsOf, feeCallsOf, feesCalledOf, payoutShare, piecesAt, SCALE, sharedLines, weightOf, type AccountBasis, type Payouts } from './allocation-policy';
import { scaledCarry } from './carry-allocation';
import { transfersOf } from './transferred-value';
import type { CapitalAccount, RollForward } from './statement';

/*
 * An LP's transaction ledger: every cash movement and accounting entry of its capital account,
 * in date order, with the log position of the event that records it and running balances.
 *
 * Cash and contributions are entries of their own events (commitment, admission at a close,
 * catch-up and equalization interest, each call, its payment on the due date unless a default
 * is recorded, each distribution declared and paid, the carry the managers took from it). The
 * P&L (fees, expenses, interest, income, gains, the change in the LP's share of the carry
 * accrued) is allocated at each quarter end and on the ledger's date: each entry is the change
 * in the LP's inception-to-date share of the line, so that the entries sum to the statement's
 * inception-to-date lines. On the ledger's date the shares are the statement's (the register's
 * rounding); at earlier quarter ends, the exact shares rounded half to even (no register pass per
 * quarter over a million LPs), so an earlier quarter end's running NAV may differ by a cent from
 * that date's statement. The ledger's closing balances are the statement's, to the cent.
 */

export type TransactionKind =
  | 'commitment'
  | 'commitment-reversed'
  | 'admission'
  | 'scale-back'
  | 'catch-up'
  | 'equalization-interest'
  | 'call'
  | 'payment'
  | 'fee-call'
  | 'default'
  | 'distribution'
  | 'distribution-paid'
  | 'carried-interest'
  | 'transfer-in'
  | 'transfer-out'
  | 'allocation';

/** The P&L lines allocated at period ends, as the roll-forward names them. */
export type AllocatedLine = Exclude<
  keyof RollForward,
  'beginningNav' | 'endingNav' | 'contributions' | 'distributions' | 'carriedInterest' | 'carriedInterestPaid' | 'transfersIn' | 'transfersOut'
>;

export interface Transaction {
  date: string;
  /** The log position of the event that records it; null for a payment deemed made on its due date and for an allocation. */
  position: number | null;
  kind: TransactionKind;
  /** For an allocation: the roll-forward line it adds to. */
  line?: AllocatedLine;
  /** For a call, or a distribution declared: its number, which names its notice. */
  callNumber?: number;
  distributionNumber?: number;
  description: string;
  /** Its effect on the LP's capital account (net assets), in USD. */
  amount: string;
  /** Cash between the LP and the fund (or, for a transfer, the price between it and the other LP), in USD: negative paid by the LP, positive paid to it. */
  cash: string;
  /** After the entry. */
  balance: Balance;
}

export interface Balance {
  /** Commitment admitted by the closes, in USD. */
  commitment: string;
  /** Committed and not yet admitted by a close (subscribed, in USD at the rate of its date). */
  pending: string;
  unfunded: string;
  contributions: string;
  distributions: string;
  carriedInterest: string;
  nav: string;
  paidIn: string;
  received: string;
}

export interface TransactionLedger {
  fundId: string;
  lpId: string;
  currency: 'USD' | 'JPY';
  asOf: string;
  knownAt: string | null;
  transactions: Transaction[];
  /** The last entry's balances: the statement's from inception. */
  closing: Balance;
}

/** A commitment as the LP's own stream records it. */
export interface CommitmentRecord {
  eventId: string;
  position: number;
  date: string;
  amount: string;
  currency: 'USD' | 'JPY';
  amountUsd: string;
}

export interface TransactionsInput {
  fundId: string;
  lp: LpEntry;
  basis: AccountBasis;
  payouts: Payouts;
  /** The statement from inception to the basis date. */
  statement: CapitalAccount;
  /** The fund's history as known at the basis date (for each event's log position). */
  history: readonly RecordedFundEvent[];
  commitments: readonly CommitmentRecord[];
  /** The basis at an earlier date (a quarter end). */
  basisAt: (date: string) => AccountBasis;
}

const ALLOCATED: readonly { line: AllocatedLine; key?: keyof Lines; label: string }[] = [
  { line: 'managementFees', key: 'managementFees', label: 'management fees' },
  { line: 'expenses', key: 'expenses', label: 'fund expenses' },
  { line: 'interest', key: 'interest', label: 'interest on the credit facilities' },
  { line: 'income', key: 'income', label: 'income' },
  { line: 'realizedGain', key: 'realizedGain', label: 'realized gain' },
  { line: 'changeInUnrealizedGain', key: 'unrealizedGain', label: 'change in unrealized gain' },
  { line: 'changeInAccruedCarry', label: 'change in carried interest accrued to the managers' },
];
/** How each allocated line moves net assets (a cost is shown positive on the roll-forward): the fund's lines' signs, and carry's for the accrual. */
const SIGN = Object.fromEntries(ALLOCATED.map(({ line, key }) => [line, LINE_SIGNS[key ?? 'carriedInterest']])) as Record<AllocatedLine, 1n | -1n>;

export function transactionLedger(input: TransactionsInput): TransactionLedger {
  const { basis, lp, payouts, statement } = input;
  const pieces = piecesAt(basis, lp);
  const state = basis.ledger.state;
  const positions = positionsOf(input.history, lp.lpId);
  type Draft = Omit<Transaction, 'balance' | 'amount' | 'cash'> & {
    amount: bigint;
    cash: bigint;
    commitment?: bigint;
    pending?: bigint;
    called?: bigint;
    /** Contributed beside the commitment (a fee called from the fee-bearing LPs): not out of the unfunded commitment. */
    beside?: bigint;
    /** Contributed capital a transfer moved with the commitment: out of the unfunded commitment, not the LP's contributions. */
    moved?: bigint;
    distributed?: bigint;
    carry?: bigint;
  };
  const drafts: Draft[] = [];

  for (const c of input.commitments) {
    if (c.date > basis.asOf) continue;
    const usd = parseCents(c.amountUsd);
    drafts.push({
      date: c.date,
      position: c.position,
      kind: 'commitment',
      description: `Commitment of ${c.amount} ${c.currency}${c.currency === 'JPY' ? ` (${c.amountUsd} USD)` : ''}, pending until a close admits it`,
      amount: 0n,
      cash: 0n,
      pending: usd,
    });
    const reversed = positions.reversedCommitments.get(c.eventId);
    if (reversed && reversed.date <= basis.asOf) {
      drafts.push({
        date: reversed.date,
        position: reversed.position,
        kind: 'commitment-reversed',
        description: `Commitment of ${c.amount} ${c.currency} reversed${reversed.replacementUsd === undefined ? '' : `, replaced by ${reversed.replacementUsd} USD`}`,
        amount: 0n,
        cash: 0n,
        pending: -usd + (reversed.replacementUsd === undefined ? 0n : parseCents(reversed.replacementUsd)),
      });
    }
  }
  const epochs = basis.ledger.epochs;
  for (const { record, moved } of transfersOf(basis, lp)) {
    const cents = BigInt(record.cents);
    const into = cents > 0n;
    drafts.push({
      date: epochs[record.epoch - 1].date,
      position: positions.transfers.get(record.transferNumber) ?? null,
      kind: into ? 'transfer-in' : 'transfer-out',
      description: into
        ? `Transfer ${record.transferNumber}: ${formatCents(cents)} USD of commitment from ${record.counterparty}, with its capital account, for ${formatCents(BigInt(record.priceCents))} USD`
        : `Transfer ${record.transferNumber}: ${formatCents(-cents)} USD of commitment to ${record.counterparty}, with its capital account, for ${formatCents(BigInt(-record.priceCents))} USD`,
      amount: divRoundHalfEven(moved.nav, SCALE),
      cash: -BigInt(record.priceCents),
      commitment: cents,
      moved: moved.contributed,
    });
  }
  for (const p of pieces) {
    const epoch = epochs[p.epoch];
    // A transfer's piece is its entry above; every other epoch is opened by a close: the piece is what it admitted.
    if (epoch.openedBy !== 'CloseHeld') continue;
    const closeNumber = epoch.openedByNumber;
    const closePosition = positions.closes.get(closeNumber) ?? null;
    const piece = lpPiece(lp, epoch.epoch);
    const subscribed = BigInt(piece?.subscribedCents ?? piece?.cents ?? Number(p.cents));
    drafts.push({
      date: epoch.date,
      position: closePosition,
      kind: 'admission',
      description: `Admitted at close ${closeNumber}: ${formatCents(subscribed)} USD`,
      amount: 0n,
      cash: 0n,
      commitment: subscribed,
      pending: -subscribed,
    });
    if (subscribed !== p.cents)
      drafts.push({
        date: epoch.date,
        position: closePosition,
        kind: 'scale-back',
        description: `Scaled back at the hard cap: ${formatCents(subscribed - p.cents)} USD of the commitment not admitted`,
        amount: 0n,
        cash: 0n,
        commitment: p.cents - subscribed,
      });
    const catchUp = callShare(p.cents, lp.lpId, epoch.catchUp);
    const interest = timesRate(p.cents, epoch.interestFactor);
    if (catchUp > 0n)
      drafts.push({
        date: epoch.date,
        position: closePosition,
        kind: 'catch-up',
        description: `Catch-up on the calls made before close ${closeNumber}`,
        amount: catchUp,
        cash: -catchUp,
        called: catchUp,
      });
    if (interest > 0n)
      drafts.push({
        date: epoch.date,
        position: closePosition,
        kind: 'equalization-interest',
        description: 'Equalization interest to the LPs admitted before (outside its capital)',
        amount: 0n,
        cash: -interest,
      });
  }
  for (const { call, amount } of callsOf(basis, pieces, lp.lpId)) {
    if (amount === 0n) continue;
    drafts.push({
      date: call.date,
      position: positions.calls.get(call.callNumber) ?? null,
      kind: 'call',
      callNumber: call.callNumber,
      description: `Capital call ${call.callNumber}: ${formatRate(call.rule.rate)}% of its commitment, due ${call.dueDate}`,
      amount,
      cash: 0n,
      called: amount,
    });
    const defaulted = state.defaults.has(defaultKey(call.callNumber, lp.lpId));
    if (defaulted) {
      const at = positions.defaults.get(call.callNumber);
      drafts.push({
        date: at?.date ?? call.dueDate,
        position: at?.position ?? null,
        kind: 'default',
        description: `Default on call ${call.callNumber}: ${formatCents(amount)} USD still owed`,
        amount: 0n,
        cash: 0n,
      });
    } else if (call.dueDate <= basis.asOf) {
      drafts.push({
        date: call.dueDate,
        position: null,
        kind: 'payment',
        description: `Paid call ${call.callNumber} on its due date`,
        amount: 0n,
        cash: -amount,
      });
    }
  }
  for (const { index, date, amount } of feeCallsOf(basis, pieces, lp.lpId))
    drafts.push({
      date,
      position: positions.feeCalls[index] ?? null,
      kind: 'fee-call',
      description: 'Management fee called from the fee-bearing LPs, beside the commitment, and paid to the managers',
      amount,
      cash: -amount,
      beside: amount,
    });
  basis.ledger.payouts.forEach((payout, i) => {
    const weight = weightOf(pieces, payout.epoch);
    const cents = payoutShare(payouts.toLps[i], weight, lp.lpId);
    const carry = payoutShare(payouts.carry[i], weight, lp.lpId);
    if (cents === 0n && carry === 0n) return;
    const position = positions.distributions.get(payout.distributionNumber) ?? null;
    drafts.push({
      date: payout.date,
      position,
      kind: 'distribution',
      distributionNumber: payout.distributionNumber,
      description: `Distribution ${payout.distributionNumber} declared, payable ${payout.paymentDate}`,
      amount: -cents,
      cash: 0n,
      distributed: cents,
    });
    if (carry !== 0n)
      drafts.push({
        date: payout.date,
        position,
        kind: 'carried-interest',
        description: `Carried interest: the managers' part of distribution ${payout.distributionNumber}`,
        amount: -carry,
        cash: 0n,
        carry,
      });
    if (payout.paymentDate <= basis.asOf && cents !== 0n)
      drafts.push({
        date: payout.paymentDate,
        position: null,
        kind: 'distribution-paid',
        description: `Distribution ${payout.distributionNumber} paid`,
        amount: 0n,
        cash: cents,
      });
  });

  // P&L allocated at each quarter end after its first close, and on the ledger's date.
  if (pieces.length > 0) {
    const first = epochs[pieces[0].epoch].date;
    let previous = new Map<AllocatedLine, bigint>(ALLOCATED.map((a) => [a.line, 0n]));
    for (const date of [...quarterEndsBetween(first, basis.asOf), basis.asOf]) {
      const itd = date === basis.asOf ? statementLines(statement) : exactLines(input.basisAt(date), lp);
      for (const { line, label } of ALLOCATED) {
        const change = itd.get(line)! - previous.get(line)!;
        if (change !== 0n)
          drafts.push({
            date,
            position: null,
            kind: 'allocation',
            line,
            description: `Share of ${label}, to ${date}`,
            amount: SIGN[line] * change,
            cash: 0n,
            carry: line === 'changeInAccruedCarry' ? change : undefined,
          });
      }
      previous = itd;
    }
  }

  // Stable order: by date, then as listed (events before the period's allocations).
  const order = new Map(drafts.map((d, i) => [d, i]));
  drafts.sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : (a.kind === 'allocation' ? 1 : 0) - (b.kind === 'allocation' ? 1 : 0) || order.get(a)! - order.get(b)!,
  );
  const running = { commitment: 0n, pending: 0n, called: 0n, beside: 0n, moved: 0n, distributed: 0n, carry: 0n, nav: 0n, paidIn: 0n, received: 0n };
  const transactions = drafts.map((d): Transaction => {
    running.commitment += d.commitment ?? 0n;
    running.pending += d.pending ?? 0n;
    running.called += d.called ?? 0n;
    running.beside += d.beside ?? 0n;
    running.moved += d.moved ?? 0n;
    running.distributed += d.distributed ?? 0n;
    running.carry += d.carry ?? 0n;
    running.nav += d.amount;
    if (d.cash < 0n) running.paidIn -= d.cash;
    else running.received += d.cash;
    const { commitment: _c, pending: _p, called: _k, beside: _b, moved: _m, distributed: _d, carry: _y, ...rest } = d;
    return {
      ...rest,
      amount: formatCents(d.amount),
      cash: formatCents(d.cash),
      balance: {
        commitment: formatCents(running.commitment),
        pending: formatCents(running.pending),
        unfunded: formatCents(running.commitment - running.called - running.moved),
        contributions: formatCents(running.called + running.beside),
        distributions: formatCents(running.distributed),
        carriedInterest: formatCents(running.carry),
        nav: formatCents(running.nav),
        paidIn: formatCents(running.paidIn),
        received: formatCents(running.received),
      },
    };
  });
  const zero = formatCents(0n);
  const closing = transactions.length
    ? transactions[transactions.length - 1].balance
    : {
        commitment: zero,
        pending: zero,
        unfunded: zero,
        contributions: zero,
        distributions: zero,
        carriedInterest: zero,
        nav: zero,
        paidIn: zero,
        received: zero,
      };
  return { fundId: input.fundId, lpId: lp.lpId, currency: lp.currency, asOf: basis.asOf, knownAt: basis.knownAt, transactions, closing };
}

/** The statement's inception-to-date allocated lines, in cents as the roll-forward shows them. */
function statementLines(statement: CapitalAccount): Map<AllocatedLine, bigint> {
  return new Map(ALLOCATED.map(({ line }) => [line, parseCents(statement.rollForward[line])]));
}

/** The LP's exact inception-to-date shares of the allocated lines on an earlier date, rounded half to even. */
function exactLines(basis: AccountBasis, lp: LpEntry): Map<AllocatedLine, bigint> {
  const pieces = piecesAt(basis, lp);
  const shared = sharedLines(basis, pieces);
  shared.set('managementFees', shared.get('managementFees')! + feesCalledOf(basis, pieces, lp.lpId) * SCALE);
  const lines = new Map<AllocatedLine, bigint>();
  for (const { line, key } of ALLOCATED) {
    // As the roll-forward shows them (costs positive, as the fund's lines are).
    if (key) lines.set(line, divRoundHalfEven(shared.get(key)!, SCALE));
  }
  lines.set('changeInAccruedCarry', divRoundHalfEven(scaledCarry(basis, pieces, lp), SCALE));
  return lines;
}

/** The LP's piece entered in epoch number `epoch`. */
function lpPiece(lp: LpEntry, epoch: number): { cents: number; subscribedCents?: number } | undefined {
  if (firstEpochOf(lp) === epoch) return { cents: lp.cents, subscribedCents: lp.subscribedCents };
  return lp.more?.find((p) => entryEpochOf(p) === epoch);
}

const formatRate = (rate: { numerator: bigint; denominator: bigint }): string => {
  const text = ((Number(rate.numerator) / Number(rate.denominator)) * 100).toPrecision(12);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
};

/** Quarter ends on or after `from` and before `to`. */
export function quarterEndsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    for (const md of ['03-31', '06-30', '09-30', '12-31']) {
      const date = `${y}-${md}`;
      if (date >= from && date < to) out.push(date);
    }
  }
  return out;
}

/** Where the events an LP's ledger refers to are in the log: the last standing one of each number. */
function positionsOf(history: readonly RecordedFundEvent[], lpId: string) {
  const reversed = new Set<string>();
  for (const e of history) if (e.type === 'EventReversed') reversed.add(e.data.eventId);
  const closes = new Map<number, number>();
  const calls = new Map<number, number>();
  const distributions = new Map<number, number>();
  const defaults = new Map<number, { date: string; position: number }>();
  const reversedCommitments = new Map<string, { date: string; position: number; replacementUsd?: string }>();
  // In the order the books fold them (`Ledger.feeCalls`).
  const feeCalls: number[] = [];
  const transfers = new Map<number, number>();
  for (const e of history) {
    const position = e.metadata.position ?? 0;
    if (e.metadata.eventId !== undefined && reversed.has(e.metadata.eventId)) continue;
    if (e.type === 'CloseHeld') closes.set(e.data.closeNumber, position);
    else if (e.type === 'CapitalCalled') calls.set(e.data.callNumber, position);
    else if (e.type === 'DistributionDeclared') distributions.set(e.data.distributionNumber, position);
    else if (e.type === 'ManagementFeeCharged' && e.data.calledFrom) feeCalls.push(position);
    else if (e.type === 'InterestTransferred') transfers.set(e.data.transferNumber, position);
    else if (e.type === 'ContributionDefaulted' && e.data.lpId === lpId) defaults.set(e.data.callNumber, { date: e.metadata.effectiveDate, position });
    else if (e.type === 'EventReversed' && e.data.reversedType === 'CapitalCommitted') {
      const replacement = e.data.replacement?.data as { amountUsd?: string } | undefined;
      reversedCommitments.set(e.data.eventId, { date: e.metadata.effectiveDate, position, replacementUsd: replacement?.amountUsd });
    }
  }
  return { closes, calls, distributions, defaults, reversedCommitments, feeCalls, transfers };
}
