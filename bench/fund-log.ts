/**
 * A generated ten-year log of the U.S.-Japan fund for the benchmarks: two sovereign LPs and `lps`
 * retail LPs admitted at three closes, and about 9,200 fund events (daily USD/JPY, weekly
 * valuations and expenses, monthly fundings and interest, quarterly calls, draws, fees, proceeds
 * and distributions). Written straight to the store (deciding a million commitments one by one
 * would take the benchmark's whole budget); each derived figure (a call's total, a close's
 * catch-up) is computed the way the deciders compute it, so the books balance.
 */
import { fundStream, lpStream, type FundCommandService, type FundQueryService } from '@fundsim/application';
import {
  bearsNoCarry,
  carryExemptPart,
  feeRule,
  paysNoFee,
  callRuleOf,
  callShare,
  attribute,
  contribute,
  exemptShare,
  openDeals,
  returnableCapital,
  withDistribution,
  withFunding,
  withProceeds,
  Dec,
  distribute,
  formatCents,
  openWaterfall,
  parseCents,
  parseFraction,
  splitCall,
  splitRecord,
  timesRate,
  type WaterfallTerms,
} from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import type { AppendRequest, EventStore, JsonObject } from '@fundsim/event-store';

export const FUND = 'usjp';

let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

interface FundEvent {
  date: string;
  type: string;
  data: JsonObject;
}

const retailAmount = (i: number) => BigInt((i % 90_000) + 10_000) * 100n;
/** A retail LP's commitment in USD cents (a yen LP's at 150 yen to the dollar). */
const retailCents = (i: number) => (i % 3 === 0 ? (BigInt((i % 90_000) * 150 + 1_500_000) * 100n) / 150n : retailAmount(i));
const sovereigns = [
  { lpId: 'us-gov', country: 'US', currency: 'USD' as const, amount: '110000000000.00', amountUsd: '110000000000.00' },
  { lpId: 'jp-gov', country: 'JP', currency: 'JPY' as const, amount: '13500000000000', amountUsd: '90000000000.00', fxRate: '150' },
];
const CLOSES = ['2027-03-31', '2027-09-30', '2028-03-31'];
/** Retail LPs [from, to) admitted at each close. */
const cohortsOf = (lps: number) => [
  [0, Math.floor(lps * 0.4)],
  [Math.floor(lps * 0.4), Math.floor(lps * 0.7)],
  [Math.floor(lps * 0.7), lps],
];

/** `waterfall`: the fund is established with these terms, and each distribution records its split by tier as the deciders would. */
export async function writeFundLog(store: EventStore, lps: number, waterfall?: WaterfallTerms): Promise<{ fundEvents: number; lpEvents: number }> {
  seed = 42;
  const cohorts = cohortsOf(lps);
  let fundEvents = 0;
  let lpEvents = 0;
  let pendingFund: FundEvent[] = [];
  const flushFund = async () => {
    for (let i = 0; i < pendingFund.length; i += 1000) {
      const events = pendingFund.slice(i, i + 1000).map((e) => ({ type: e.type, data: e.data, metadata: { actor: 'us-treasury', effectiveDate: e.date } }));
      await store.appendBatch([{ stream: fundStream(FUND), events, expectedRevision: 'any' }]);
    }
    fundEvents += pendingFund.length;
    pendingFund = [];
  };
  const fund = (date: string, type: string, data: JsonObject) => pendingFund.push({ date, type, data });
  const commit = async (date: string, requests: AppendRequest[]) => {
    await flushFund();
    for (let i = 0; i < requests.length; i += 10_000) await store.appendBatch(requests.slice(i, i + 10_000));
    lpEvents += requests.length;
  };
  const retailRequests = (from: number, to: number, date: string): AppendRequest[] => {
    const out: AppendRequest[] = [];
    for (let i = from; i < to; i++) {
      const lpId = `retail-${String(i).padStart(7, '0')}`;
      const amount = formatCents(retailAmount(i));
      const jp = i % 3 === 0;
      out.push({
        stream: lpStream(FUND, lpId),
        events: [
          {
            type: 'CapitalCommitted',
            data: {
              fundId: FUND,
              lpId,
              kind: 'retail',
              country: jp ? 'JP' : 'US',
              amount: jp ? String((i % 90_000) * 150 + 1_500_000) : amount,
              currency: jp ? 'JPY' : 'USD',
              amountUsd: jp ? formatCents((BigInt((i % 90_000) * 150 + 1_500_000) * 100n) / 150n) : amount,
            },
            metadata: { actor: 'retail-platform', effectiveDate: date },
          },
        ],
      });
    }
    return out;
  };
  // What each LP has admitted, by amount: a call's total is the sum of its per-LP roundings.
  const admitted = new Map<bigint, number>();
  const admit = (cents: bigint) => admitted.set(cents, (admitted.get(cents) ?? 0) + 1);
  /** The admitted LPs (by the first `closes` closes) whose admitted cents are one of `weights`, in id order. */
  function* admittedIds(closes: number, weights: ReadonlySet<number>): Generator<string> {
    const sovereign = (before: boolean) =>
      sovereigns.filter((s) => s.lpId < 'retail-' === before && weights.has(Number(parseCents(s.amountUsd)))).map((s) => s.lpId);
    yield* sovereign(true);
    for (let i = 0; i < cohorts[closes - 1][1]; i++) if (weights.has(Number(retailCents(i)))) yield `retail-${String(i).padStart(7, '0')}`;
    yield* sovereign(false);
  }
  let admittedTotal = 0n;
  const calls: { pct: string; due: string }[] = [];

  // The fixtures' terms, as the deciders would record them (one copy of the demo's terms, not a second).
  const { waterfall: _none, ...terms } = establishUsJapanFund({ fundId: FUND }).data;
  fund('2027-01-04', 'FundEstablished', {
    ...terms,
    leveragePolicy: { ...terms.leveragePolicy },
    baseCurrency: 'USD',
    inceptionDate: '2027-01-04',
    ...(waterfall ? { waterfall: waterfall as unknown as JsonObject } : {}),
  });
  // The LPs' account with the managers, as the fund's state keeps it.
  let account = openWaterfall('2027-01-04');
  const contributed = (cents: bigint, date: string) => {
    if (waterfall) account = contribute(waterfall, account, cents, date);
  };
  // The sovereigns, where the terms exempt them from carry (carry-exemption.ts): their part of each call and distribution.
  const exempt = waterfall ? sovereigns.filter((s) => bearsNoCarry(waterfall, { lpId: s.lpId, kind: 'sovereign' })) : [];
  const exemptCents = exempt.reduce((sum, s) => sum + parseCents(s.amountUsd), 0n);
  // The sovereigns, where the terms exempt them from fees (fee-exemption.ts): each fee is then called from the retail LPs.
  const feeExempt = waterfall ? sovereigns.filter((s) => paysNoFee(waterfall, { lpId: s.lpId, kind: 'sovereign' })) : [];
  const feeExemptCents = feeExempt.reduce((sum, s) => sum + parseCents(s.amountUsd), 0n);
  const byLp = (lps: typeof sovereigns) => new Map(lps.map((s) => [s.lpId, parseCents(s.amountUsd)]));
  let distributions = 0;
  const projects = ['stargate', 'quantum', 'renewables', 'defense', 'semis', 'grid', 'icebreakers', 'fiveg'];
  const cost = new Map(projects.map((p) => [p, 0n]));
  const fairValue = new Map(projects.map((p) => [p, 0n]));
  // An American waterfall's deals, as the fund's state keeps them (deal-by-deal.ts).
  let deals = waterfall?.style === 'american' ? openDeals() : undefined;
  const facilities = ['jbic', 'jpmorgan', 'mufg'].map((id) => ({ id, principal: 0n, paidTo: '2027-03-31' }));
  let fx = 150;
  let closeNumber = 0;
  await commit(
    '2027-01-05',
    sovereigns.map((s) => ({
      stream: lpStream(FUND, s.lpId),
      events: [
        {
          type: 'CapitalCommitted',
          data: {
            fundId: FUND,
            lpId: s.lpId,
            kind: 'sovereign',
            country: s.country,
            amount: s.amount,
            currency: s.currency,
            amountUsd: s.amountUsd,
            ...(s.fxRate ? { fxRate: s.fxRate } : {}),
          },
          metadata: { actor: 'platform', effectiveDate: '2027-01-05' },
        },
      ],
    })),
  );

  for (let day = 0, date = '2027-01-05'; date <= '2036-12-31'; day++, date = addDays('2027-01-05', day)) {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    fx = Math.max(100, Math.min(200, fx + (random() - 0.5)));
    fund(date, 'FxRateRecorded', { pair: 'USD/JPY', rate: fx.toFixed(2) });
    const closeIndex = CLOSES.indexOf(date);
    if (closeIndex >= 0) {
      const [from, to] = cohorts[closeIndex];
      await commit(addDays(date, -1), retailRequests(from, to, addDays(date, -1)));
      const head = await store.headPosition();
      const batch = new Map<bigint, number>();
      let pendingUsd = 0n;
      if (closeIndex === 0) for (const s of sovereigns) (batch.set(parseCents(s.amountUsd), 1), (pendingUsd += parseCents(s.amountUsd)));
      for (let i = from; i < to; i++) {
        const cents = retailCents(i);
        batch.set(cents, (batch.get(cents) ?? 0) + 1);
        pendingUsd += cents;
      }
      const called = calls.reduce((s, c) => s.plus(c.pct), new Dec(0));
      const factor = calls.reduce(
        (s, c) =>
          s.plus(
            new Dec(c.pct)
              .times('0.05')
              .times(Math.max(0, daysBetween(c.due, date)))
              .dividedBy(365),
          ),
        new Dec(0),
      );
      let catchUp = 0n;
      let interest = 0n;
      for (const [cents, count] of batch) {
        catchUp += timesRate(cents, parseFraction(called.toString())) * BigInt(count);
        interest += timesRate(cents, parseFraction(factor.toString())) * BigInt(count);
        for (let k = 0; k < count; k++) admit(cents);
      }
      admittedTotal += pendingUsd;
      contributed(catchUp, date);
      fund(date, 'CloseHeld', {
        closeNumber: ++closeNumber,
        throughPosition: head,
        pendingCount: to - from,
        pendingUsd: formatCents(pendingUsd),
        admittedUsd: formatCents(pendingUsd),
        scaledBack: false,
        catchUpFraction: called.toString(),
        equalizationInterestFactor: factor.toString(),
        catchUpUsd: formatCents(catchUp),
        equalizationInterestUsd: formatCents(interest),
        // The sovereigns come in at the first close, before any call: no catch-up.
        ...(closeIndex === 0 && exempt.length
          ? { carryExempt: { admitted: Object.fromEntries(exempt.map((s) => [s.lpId, s.amountUsd])), catchUpUsd: '0.00' } }
          : {}),
        ...(closeIndex === 0 && feeExempt.length ? { feeExempt: { admitted: Object.fromEntries(feeExempt.map((s) => [s.lpId, s.amountUsd])) } } : {}),
      });
    }
    // Open before the first call's draws (at the first close): a draw on a facility not yet open would leave the books unbalanced.
    if (date === '2027-03-15')
      for (const f of facilities)
        fund(date, 'CreditFacilityOpened', {
          facilityId: f.id,
          lender: f.id,
          limit: '250000000000.00',
          annualRate: '0.045',
          dayCount: 'ACT/365',
          maturityDate: '2040-12-31',
        });
    if (date === '2027-04-01') {
      for (const p of projects) {
        fund(date, 'ProjectRegistered', {
          projectId: p,
          name: p,
          sector: p === 'stargate' ? 'ai-infrastructure' : p,
          partners: [],
          totalProjectSize: '500000000000.00',
        });
        fund(date, 'AllocationProposed', { allocationId: `al-${p}`, projectId: p, amount: '150000000000.00' });
        fund(date, 'AllocationApproved', { allocationId: `al-${p}`, approvals: ['us-treasury', 'jp-mof'] });
        fund(date, 'AllocationCommitted', { allocationId: `al-${p}`, projectId: p, amount: '150000000000.00', approvedBy: ['us-treasury', 'jp-mof'] });
      }
    }
    const [y, m, d] = date.split('-').map(Number);
    const quarterEnd = (d === 30 && [6, 9].includes(m)) || (d === 31 && [3, 12].includes(m));
    if (quarterEnd && y <= 2031 && closeNumber > 0 && calls.length < 20) {
      const pct = '0.04';
      calls.push({ pct, due: addDays(date, 15) });
      // Split over the LPs as the deciders split it (largest remainder, the cut recorded).
      const histogram = new Map([...admitted].map(([cents, count]) => [Number(cents), count]));
      const { totalCents, split } = splitCall(parseFraction(pct), histogram, (weights) => admittedIds(closeNumber, weights));
      const rule = callRuleOf(parseFraction(pct), split);
      const exemptPart = exempt.reduce((sum, s) => sum + callShare(parseCents(s.amountUsd), s.lpId, rule), 0n);
      contributed(totalCents - exemptPart, date);
      fund(date, 'CapitalCalled', {
        callNumber: calls.length,
        percentage: pct,
        dueDate: addDays(date, 15),
        admittedUsd: formatCents(admittedTotal),
        totalUsd: formatCents(totalCents),
        lpCount: 0,
        split: split as unknown as JsonObject,
        ...(exempt.length ? { carryExemptUsd: formatCents(exemptPart) } : {}),
      });
      for (const f of facilities) {
        const amount = 5_000_000_000n * 100n;
        f.principal += amount;
        fund(date, 'LeverageDrawn', { facilityId: f.id, amount: formatCents(amount) });
      }
    }
    if (d === 28 && date >= '2027-04-28' && y <= 2031) {
      for (const p of projects) {
        const amount = BigInt(Math.round(1_000_000_000 + random() * 2_000_000_000)) * 100n;
        cost.set(p, cost.get(p)! + amount);
        fairValue.set(p, fairValue.get(p)! + amount);
        fund(date, 'ProjectFunded', { allocationId: `al-${p}`, projectId: p, amount: formatCents(amount) });
        if (deals) deals = withFunding(deals, p, amount);
      }
      for (const f of facilities) {
        const interest = (f.principal * 45n * BigInt(daysBetween(f.paidTo, date))) / (1000n * 365n);
        f.paidTo = date;
        if (interest > 0n) fund(date, 'InterestPaid', { facilityId: f.id, amount: formatCents(interest), throughDate: date });
      }
    }
    if (dow === 5 && date >= '2027-05-01') {
      for (const p of projects) {
        const value = BigInt(Math.round(Number(fairValue.get(p)!) * (1 + (random() - 0.47) * 0.01)));
        fairValue.set(p, value);
        fund(date, 'ProjectValued', { projectId: p, fairValue: formatCents(value) });
      }
      fund(date, 'ExpenseRecorded', { amount: '250000.00', description: 'administration' });
    }
    if (quarterEnd && closeNumber > 0 && feeExempt.length === 0)
      fund(date, 'ManagementFeeCharged', { amount: formatCents(admittedTotal / 400n), period: date.slice(0, 7) });
    else if (quarterEnd && closeNumber > 0) {
      // On the retail LPs' commitments, called from them as the deciders split it (the sovereigns left out of the histogram).
      const bearing = admittedTotal - feeExemptCents;
      const fee = bearing / 400n;
      const histogram = new Map([...admitted].map(([cents, count]) => [Number(cents), count]));
      for (const s of feeExempt) histogram.set(Number(parseCents(s.amountUsd)), histogram.get(Number(parseCents(s.amountUsd)))! - 1);
      for (const [cents, count] of histogram) if (count === 0) histogram.delete(cents);
      const sovereignIds = new Set(feeExempt.map((s) => s.lpId));
      const { split } = splitCall({ numerator: fee, denominator: bearing }, histogram, function* (weights) {
        for (const id of admittedIds(closeNumber, weights)) if (!sovereignIds.has(id)) yield id;
      });
      const carryExemptUsd = carryExemptPart(feeRule(fee, bearing, split), byLp(exempt), byLp(feeExempt));
      contributed(fee - parseCents(carryExemptUsd ?? '0'), date);
      fund(date, 'ManagementFeeCharged', {
        amount: formatCents(fee),
        period: date.slice(0, 7),
        calledFrom: { bearingUsd: formatCents(bearing), split: split as unknown as JsonObject, ...(carryExemptUsd ? { carryExemptUsd } : {}) },
      });
    }
    if (quarterEnd && y >= 2031) {
      for (const p of projects) {
        fund(date, 'ProceedsReceived', {
          projectId: p,
          kind: 'income',
          amount: formatCents(fairValue.get(p)! / 100n),
          costRelieved: '0.00',
          realizedGain: '0.00',
        });
        if (deals) deals = withProceeds(deals, p, parseCents(formatCents(fairValue.get(p)! / 100n)));
      }
      const amount = 5_000_000_000n * 100n;
      let split: JsonObject = {};
      if (waterfall) {
        const toExempt = exempt.length ? exemptShare(amount, exemptCents, admittedTotal) : undefined;
        // Deal by deal, as the decider: the capital of the deals held is not returnable yet; the income funds it, oldest first.
        const dealByDeal = deals && {
          returnable: returnableCapital(
            account.contributed,
            projects.map((p) => ({ cost: cost.get(p)!, fairValue: fairValue.get(p)! })),
            { cents: exempt.length ? exemptCents : 0n, admittedCents: admittedTotal },
          ),
          deals: attribute(deals, amount),
        };
        const { split: tiers, ledger } = distribute(waterfall, account, amount - (toExempt ?? 0n), date, dealByDeal?.returnable);
        account = ledger;
        if (deals && dealByDeal) deals = withDistribution(deals, dealByDeal.deals);
        split = { waterfall: splitRecord(waterfall, tiers, undefined, toExempt, dealByDeal) as unknown as JsonObject };
      }
      fund(date, 'DistributionDeclared', {
        distributionNumber: ++distributions,
        amount: formatCents(amount),
        paymentDate: addDays(date, 10),
        cashAvailable: '0.00',
        ...split,
      });
    }
  }
  await flushFund();
  return { fundEvents, lpEvents };
}

/**
 * Cash for the benchmarks' distributions on 2037-01-14 (the generated log does not keep its cash
 * positive): income from the flagship, decided like any command, in whole billions above what the
 * fund is short of.
 */
export async function fundCashForDistributions(queries: FundQueryService, commands: FundCommandService): Promise<void> {
  const cash = parseCents((await queries.balanceSheet(FUND, { asOf: '2037-01-14' })).assets.cash);
  const billion = 100_000_000_000n;
  const short = cash < 0n ? -cash : 0n;
  const billions = (short + billion - 1n) / billion + 1n;
  await commands.execute(FUND, {
    type: 'ReceiveProceeds',
    data: { projectId: 'stargate', kind: 'income', amount: formatCents(billions * billion) },
    metadata: { actor: 'us-treasury', effectiveDate: '2037-01-14' },
  });
}
