import { divRoundHalfEven, formatCents, parseCents } from '../cents';
import { checkEffectiveDate, requireEstablished, requireManager } from '../fund/fund.rules';
import { defaultKey, fxRateOn, type FundState } from '../fund/fund.state';
import { Money } from '../money';
import { reject } from '../rejections';
import { bearsNoCarry } from '../waterfall/carry-exemption';
import { paysNoFee } from '../waterfall/fee-exemption';
import { stakeLps } from '../waterfall/manager-shares';
import type { LpKind } from './commitment.events';
import type { InterestTransferred, TransferInterest } from './transfer.events';
import { admittedCentsOf, entryEpochOf, piecesOf, type InvestorLedger, type LpEntry } from './investor-ledger';
import { LP_ID } from './lp-id';

/*
 * A transfer of an LP interest (issue 30): part or all of one LP's admitted commitment passes to
 * another LP, new or existing, with the managers' consent (the command is theirs), at a price the
 * two agreed. It changes who owns what, so it opens an ownership epoch (ownership.ts): from it on,
 * the transferor weighs `commitmentUsd` less and the transferee as much more, in every call,
 * distribution, fee and P&L share. What the interest had built up before (its part of the
 * transferor's capital account, contributed capital and carry history) moves with it in the
 * books, by the allocation policy's one rule (libs/projections allocation-policy.ts,
 * `transferredValue`): docs/accounting.md works an example.
 *
 * Rules with codes: only an admitted interest moves (a pending commitment is not one:
 * TRANSFER_EXCEEDS_HOLDING), never more than is held, never by an LP in default on a call
 * (LP_IN_DEFAULT); the interest keeps its place in the waterfall, so both LPs must bear carry and
 * fees alike and neither be a government's own account whose stake shares the managers' revenue
 * (INTEREST_NOT_TRANSFERABLE); dates move forward like any decision's.
 */

const KINDS: readonly LpKind[] = ['sovereign', 'retail', 'institutional'];
const COUNTRY = /^[A-Z]{2}$/;

/** Transfers recorded so far: the next one's number is one more. */
export const transfersRecorded = (fund: FundState): number => fund.transferCount ?? 0;

export function decideTransfer(command: TransferInterest, fund: FundState, investors: InvestorLedger): InterestTransferred {
  const { data, metadata } = command;
  const config = requireEstablished(fund);
  const date = checkEffectiveDate(fund, command);
  requireManager(fund, metadata.actor);
  for (const id of [data.fromLpId, data.toLpId])
    if (typeof id !== 'string' || !LP_ID.test(id)) reject('INVALID_LP', `LP id must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(id)}`);
  if (data.fromLpId === data.toLpId) reject('INVALID_LP', `An LP cannot transfer its interest to itself (${data.fromLpId})`);
  const amount = Money.parsePositive(data.commitmentUsd, 'USD', 'A transfer');
  const price = Money.parse(data.priceUsd, 'USD');
  if (price.compare(Money.zero('USD')) < 0) reject('INVALID_AMOUNT', `A transfer's price cannot be negative, got ${price.format()}`);
  if (price.gt(Money.parse(config.hardCap, 'USD'))) reject('INVALID_AMOUNT', `A transfer's price of ${price.format()} is above the fund's hard cap`);
  const cents = parseCents(amount.toString());

  const found = investors.lp(data.fromLpId) ?? reject('UNKNOWN_LP', `LP ${data.fromLpId} has no commitment in this fund`);
  const held = BigInt(admittedCentsOf(found));
  const from =
    cents <= held
      ? found
      : reject(
          'TRANSFER_EXCEEDS_HOLDING',
          `LP ${data.fromLpId} holds ${formatCents(held)} USD of admitted commitment; it cannot transfer ${amount.format()} (a pending commitment is not an interest yet)`,
        );
  // What moves is capital paid: not while a call the seller was asked for is unpaid (owed, or not yet due).
  const outstanding = fund.calls.filter((c) => c.dueDate > date && callsOnSeller(fund, from, c.callNumber));
  if (outstanding.length)
    reject(
      'CALL_OUTSTANDING',
      `LP ${from.lpId} has call ${outstanding.map((c) => c.callNumber).join(', ')} to pay (due ${outstanding[0].dueDate}): it may transfer once that is paid`,
    );

  const existing = investors.lp(data.toLpId);
  for (const lp of existing ? [from, existing] : [from]) {
    const unpaid = fund.calls.filter((c) => fund.defaults.has(defaultKey(c.callNumber, lp.lpId)));
    if (unpaid.length)
      reject(
        'LP_IN_DEFAULT',
        `LP ${lp.lpId} is in default on call ${unpaid.map((c) => c.callNumber).join(', ')}: it can neither transfer nor receive an interest`,
      );
  }
  if (existing && ((data.kind !== undefined && data.kind !== existing.kind) || (data.country !== undefined && data.country !== existing.country)))
    reject(
      'LP_TERMS_FIXED',
      `LP ${existing.lpId} is ${existing.kind} in ${existing.country}; a transfer cannot make it ${String(data.kind ?? existing.kind)} in ${String(data.country ?? existing.country)}`,
    );
  if (existing && data.currency !== undefined && data.currency !== existing.currency)
    reject('UNSUPPORTED_CURRENCY', `LP ${existing.lpId} holds its interest in ${existing.currency}, not ${data.currency}`);
  const to = existing ?? { lpId: data.toLpId, ...newTransferee(data) };

  const terms = config.waterfall;
  if (terms) {
    const why = [from, to].flatMap((lp) => [
      ...(bearsNoCarry(terms, lp) ? [`${lp.lpId} bears no carry`] : []),
      ...(paysNoFee(terms, lp) ? [`${lp.lpId} pays no management fee`] : []),
      ...(stakeLps(terms).includes(lp.lpId) ? [`${lp.lpId} is a government's own account, whose stake shares the managers' revenue`] : []),
    ]);
    if (why.length)
      reject(
        'INTEREST_NOT_TRANSFERABLE',
        `The interest keeps its place in the waterfall, so it moves only between LPs that bear carry and fees alike: ${why.join('; ')}`,
      );
  }

  // A rate converts between the two LPs' currencies (recorded whenever one is in force).
  const rate = fxRateOn(fund, date);
  if (from.currency !== to.currency && rate === undefined)
    reject('FX_RATE_MISSING', `No USD/JPY rate is recorded on or before ${date} to convert between a dollar and a yen LP`);
  // The transferor's own currency: its share of what it holds (all of it when it transfers all).
  const fromLocal = from.currency === 'USD' ? cents : cents === held ? BigInt(localOf(from)) : divRoundHalfEven(BigInt(localOf(from)) * cents, held);
  // The transferee's: the same units between two LPs of one currency; dollars converted at the day's rate otherwise.
  const toLocal = to.currency === from.currency ? fromLocal : to.currency === 'USD' ? cents : BigInt(amount.convert('JPY', rate!).toString());
  const units = (currency: 'USD' | 'JPY', n: bigint) => (currency === 'USD' ? formatCents(n) : n.toString());
  return {
    type: 'InterestTransferred',
    data: {
      transferNumber: transfersRecorded(fund) + 1,
      fromLpId: from.lpId,
      toLpId: to.lpId,
      commitmentUsd: amount.toString(),
      fromAmount: units(from.currency, fromLocal),
      toAmount: units(to.currency, toLocal),
      toCurrency: to.currency,
      ...(rate === undefined ? {} : { fxRate: rate }),
      priceUsd: price.toString(),
      ...(existing ? {} : { newLp: { kind: to.kind as LpKind, country: to.country, currency: to.currency } }),
    },
  };
}

/** The call asked something of the seller: it held a piece entered before it. */
function callsOnSeller(fund: FundState, lp: LpEntry, callNumber: number): boolean {
  const k = fund.calls.findIndex((c) => c.callNumber === callNumber);
  return piecesOf(lp).some((p) => fund.epochs[entryEpochOf(p) - 1].callsBefore <= k);
}

/** The LP's commitment in its own currency, minor units. */
function localOf(lp: LpEntry): number {
  let local = lp.local;
  if (lp.more) for (const p of lp.more) local += p.local;
  return local;
}

function newTransferee(data: TransferInterest['data']): { kind: LpKind; country: string; currency: 'USD' | 'JPY' } {
  const kind =
    data.kind !== undefined && KINDS.includes(data.kind)
      ? data.kind
      : reject('INVALID_LP', `LP ${data.toLpId} is new to the fund: its kind must be ${KINDS.join(', ')}, got ${JSON.stringify(data.kind)}`);
  const country =
    typeof data.country === 'string' && COUNTRY.test(data.country)
      ? data.country
      : reject('INVALID_LP', `LP ${data.toLpId} is new to the fund: its country must be an ISO 3166 alpha-2 code, got ${JSON.stringify(data.country)}`);
  const currency =
    data.currency === 'USD' || data.currency === 'JPY'
      ? data.currency
      : reject('UNSUPPORTED_CURRENCY', `LP ${data.toLpId} is new to the fund: its currency must be USD or JPY, got ${JSON.stringify(data.currency)}`);
  return { kind, country, currency };
}
