import {
  availableCash,
  Dec,
  evolveFund,
  foldFundHistory,
  needsRefold,
  initialFundState,
  leverageCap,
  Money,
  totalDebt,
  accrueInterest,
  formatCents,
  type FundState,
  type RecordedFundEvent,
} from '@fundsim/domain';
import { deterministicEventId } from '@fundsim/event-store';
import type Decimal from 'decimal.js';
import { Random } from '@fundsim/simulation';
import type { CommandResult } from '../../commands/fund-commands.service';
import type { ScenarioCommand } from '../scenario';
import { fundStream } from '../../streams';

export const DEMO_FUND = 'usjp';

export interface DemoOptions {
  /** Retail LPs, half in the U.S. (USD) and half in Japan (JPY). Default 3,000. */
  retailLps?: number;
  seed?: number;
  /** The history up to this date only (its later steps left out): a fund to run forward from there. */
  until?: string;
  /** Other waterfall terms than the demo's own (`DEMO_WATERFALL`), on the same history: for tests of other terms. */
  waterfall?: object;
}

/**
 * The demo's waterfall: a European waterfall with an 8% preferred return compounding yearly from
 * each call's due date, a full catch-up and 20% carried interest, borne by every LP but the two
 * governments' own (sovereign) accounts, us-gov and jp-gov, which pay no management fee either (the
 * fees, 1% a year of the other LPs' commitments, are called from those LPs); the managers share the
 * fees and the carry by their governments' stakes (equally before either is admitted).
 */
export const DEMO_WATERFALL = {
  style: 'european',
  preferredReturn: { rate: '0.08', compounding: 'annual', dayCount: 'ACT/365', accruesFrom: 'due-date' },
  catchUp: '1',
  carriedInterest: '0.20',
  carryBearing: 'non-sovereign',
  feeBearing: 'non-sovereign',
  managerShares: [
    { manager: 'us-treasury', share: '0.5', lpId: 'us-gov' },
    { manager: 'jp-mof', share: '0.5', lpId: 'jp-gov' },
  ],
  feeShares: 'by-stake',
  carryShares: 'by-stake',
} as const;

/** The demo's terms before issue 27 (but the preferred return from the due date): every LP bears carry, fees and carry shared 50/50. */
export const DEMO_WATERFALL_ALL_BEARING = {
  style: 'european',
  preferredReturn: DEMO_WATERFALL.preferredReturn,
  catchUp: '1',
  carriedInterest: '0.20',
  carryBearing: 'all',
  managerShares: DEMO_WATERFALL.managerShares,
} as const;

const B = (billions: number) => new Dec(billions).times(1e9);
const usd = (amount: Decimal.Value) => Money.of(amount, 'USD');
const US = 'us-treasury';
const JP = 'jp-mof';

interface Project {
  projectId: string;
  name: string;
  sector: string;
  partners: string[];
  size: number;
  /** Expected annual growth of fair value, and its volatility. */
  growth: number;
  volatility: number;
}

const PROJECTS: Project[] = [
  {
    projectId: 'stargate',
    name: 'Stargate AI infrastructure',
    sector: 'ai-infrastructure',
    partners: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'],
    size: 500,
    growth: 0.12,
    volatility: 0.15,
  },
  {
    projectId: 'quantum',
    name: 'Quantum computing',
    sector: 'quantum-computing',
    partners: ['national laboratories'],
    size: 60,
    growth: 0.1,
    volatility: 0.25,
  },
  { projectId: 'renewables', name: 'Renewable energy', sector: 'renewable-energy', partners: ['utilities'], size: 120, growth: 0.06, volatility: 0.08 },
  { projectId: 'defense-tech', name: 'Defense technology', sector: 'defense-tech', partners: ['primes'], size: 80, growth: 0.07, volatility: 0.1 },
  { projectId: 'semiconductors', name: 'Semiconductor fabs', sector: 'semiconductors', partners: ['foundries'], size: 150, growth: 0.09, volatility: 0.18 },
  { projectId: 'energy-grids', name: 'Energy grids', sector: 'energy-grids', partners: ['grid operators'], size: 100, growth: 0.05, volatility: 0.06 },
  { projectId: 'icebreakers', name: 'Arctic icebreakers', sector: 'arctic-icebreakers', partners: ['shipyards'], size: 20, growth: 0.03, volatility: 0.1 },
  { projectId: '5g-networks', name: '5G networks', sector: '5g-networks', partners: ['carriers'], size: 40, growth: 0.05, volatility: 0.1 },
];

/** [allocationId, projectId, billions, proposer, date, approver (or a rejection)] */
const ALLOCATIONS: [string, string, number, string, string, string | { rejectedBy: string; reason: string }][] = [
  ['al-stargate-1', 'stargate', 100, US, '2026-08-10', JP],
  ['al-quantum', 'quantum', 25, JP, '2026-08-17', US],
  ['al-renewables', 'renewables', 40, JP, '2026-08-24', US],
  ['al-defense-tech', 'defense-tech', 30, US, '2026-08-31', JP],
  ['al-semiconductors', 'semiconductors', 45, JP, '2026-09-07', US],
  ['al-energy-grids', 'energy-grids', 35, US, '2026-09-14', JP],
  ['al-icebreakers', 'icebreakers', 10, US, '2026-09-21', JP],
  ['al-5g-networks', '5g-networks', 20, US, '2026-09-28', { rejectedBy: JP, reason: "Duplicates the national carriers' own 5G build-out" }],
  ['al-stargate-2', 'stargate', 50, US, '2027-07-20', JP],
];

const FACILITIES = [
  { facilityId: 'jbic', lender: 'Japan Bank for International Cooperation', limit: B(300), annualRate: '0.040', dayCount: 'ACT/365' as const },
  { facilityId: 'jpm-syndicate', lender: 'JPMorgan-led syndicate', limit: B(250), annualRate: '0.0525', dayCount: 'ACT/360' as const },
  { facilityId: 'mufg', lender: 'MUFG Bank', limit: B(150), annualRate: '0.045', dayCount: 'ACT/365' as const },
];

/** Rounded to whole millions: the demo's amounts are in round figures. */
const millions = (x: Decimal, rounding: Decimal.Rounding) => x.dividedBy(1e6).toDecimalPlaces(0, rounding).times(1e6);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const monthStarts = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
};
const quarterEnds = (fromYear: number, toYear: number) => {
  const out: string[] = [];
  for (let y = fromYear; y <= toYear; y++) for (const md of ['03-31', '06-30', '09-30', '12-31']) out.push(`${y}-${md}`);
  return out;
};

/**
 * The U.S.-Japan fund of the product brief, ten years of it (2026-2035), decided command by
 * command through the real deciders (so every figure obeys the fund's rules). It holds: the fund
 * ($300B hard cap, both governments as managers, both approvals required); tariff talks and the
 * G7 summit that delays the first close; both governments and retail LPs of both countries (USD
 * and JPY) at three closes, the later two with equalization and the last scaled back at the hard
 * cap; three credit facilities (up to $700B: with $300B of equity, about $1T deployable within the
 * 2.33x cap); Stargate as the flagship (proposed by the U.S. Treasury, approved by Japan's MoF) and
 * six other sectors, a 5G allocation rejected; monthly fundings and draws, quarterly valuations,
 * interest, fees, expenses, and from 2029 proceeds and distributions, from 2032 repayments; a
 * monthly USD/JPY series; three transfers of retail interests (2030-2033); and the year-end 2027
 * Stargate valuation corrected late, in the audit (recorded 2028-02-15).
 *
 * Every command carries its recorded-at time (its date at 12:00 UTC, a second apart), so the log,
 * its hash chain and every figure are the same on every machine for the same options.
 */
export async function buildUsJapanDemo(
  execute: (command: ScenarioCommand) => Promise<CommandResult>,
  options: DemoOptions = {},
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const retailLps = options.retailLps ?? 3000;
  const random = new Random(options.seed ?? 2025);
  let history: RecordedFundEvent[] = [];
  let state: FundState = initialFundState();
  let sequence = 0;
  const perDate = new Map<string, number>();

  const run = async (type: string, data: object, actor: string, date: string, recordedAt?: string) => {
    const n = perDate.get(date) ?? 0;
    perDate.set(date, n + 1);
    const commandId = `demo-${String(sequence++).padStart(7, '0')}`;
    const command = {
      type,
      data,
      metadata: { actor, effectiveDate: date, commandId },
      recordedAt: recordedAt ?? new Date(Date.parse(`${date}T12:00:00Z`) + n * 1000).toISOString(),
    } as ScenarioCommand;
    const result = await execute(command);
    if (result.stream === fundStream(DEMO_FUND)) {
      for (const [index, e] of result.events.entries()) {
        const recorded = {
          type: e.type,
          data: e.data,
          metadata: { actor, effectiveDate: date, eventId: deterministicEventId(commandId, result.stream, index), recordedAt: command.recordedAt },
        } as RecordedFundEvent;
        history.push(recorded);
        state = needsRefold(state, [recorded]) ? foldFundHistory(history) : evolveFund(state, recorded);
      }
    }
    return { commandId, result };
  };

  // The agenda: dated actions, run in date order (then in the order they were added).
  const agenda: ({ date: string; order: number; act: () => Promise<unknown> } | undefined)[] = [];
  const at = (date: string, act: () => Promise<unknown>) => agenda.push({ date, order: agenda.length, act });

  at('2026-01-15', () =>
    run(
      'EstablishFund',
      {
        fundId: DEMO_FUND,
        name: 'U.S.-Japan Sovereign Investment Fund',
        targetSize: '300000000000.00',
        hardCap: '300000000000.00',
        managers: [US, JP],
        approvalsRequired: [US, JP],
        leveragePolicy: { maxRatio: '2.33', basis: 'commitments' },
        concentrationLimit: '0.60',
        equalizationRate: '0.05',
        waterfall: options.waterfall ?? DEMO_WATERFALL,
      },
      US,
      '2026-01-15',
    ),
  );
  // USD/JPY on the first of each month: a random walk around 150.
  let fx = 152;
  for (const month of monthStarts('2026-01-15', '2035-12-15')) {
    const date = month === '2026-01-15' ? month : month.slice(0, 8) + '01';
    at(date, () => {
      fx = Math.min(175, Math.max(125, fx * Math.exp(0.025 * random.normal())));
      return run('RecordFxRate', { pair: 'USD/JPY', rate: fx.toFixed(2) }, 'market-data', date);
    });
  }
  at('2026-02-02', () =>
    run(
      'RecordMilestone',
      { milestone: 'Tariff talks open', note: "A U.S. 10% tariff baseline against Japan's zero-tariff ask; the first close waits for a deal" },
      US,
      '2026-02-02',
    ),
  );
  at('2026-06-15', () =>
    run(
      'RecordMilestone',
      { milestone: 'G7 summit', note: 'Leaders settle the tariff question; the first close, planned for the spring, is set for 1 July' },
      JP,
      '2026-06-15',
    ),
  );

  // Commitments: the governments, and retail LPs in three waves.
  const sovereign = (lpId: string, amount: string, currency: 'USD' | 'JPY', date: string) =>
    at(date, () =>
      run('CommitCapital', { lpId, kind: 'sovereign', country: currency === 'USD' ? 'US' : 'JP', amount, currency }, currency === 'USD' ? US : JP, date),
    );
  sovereign('us-gov', '110000000000.00', 'USD', '2026-03-02');
  sovereign('jp-gov', '13500000000000', 'JPY', '2026-03-02');
  sovereign('us-gov', '65000000000.00', 'USD', '2027-03-01');
  sovereign('jp-gov', '7500000000000', 'JPY', '2027-03-01');
  const waves: [number, string, number][] = [
    [0.6, '2026-03-03', 89],
    [0.25, '2026-09-01', 120],
    [0.15, '2027-02-01', 120],
  ];
  let lp = 0;
  for (const [share, from, days] of waves) {
    const count = Math.round(retailLps * share);
    const dated: { date: string; i: number }[] = [];
    for (let k = 0; k < count && lp < retailLps; k++, lp++) dated.push({ date: addDays(from, Math.floor(random.next() * days)), i: lp });
    dated.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i));
    for (const { date, i } of dated) {
      const japan = i % 2 === 1;
      const id = `retail-${japan ? 'jp' : 'us'}-${String(Math.floor(i / 2) + 1).padStart(6, '0')}`;
      // Amounts skewed small, as retail tickets are: $1,000 to $100,000; 150,000 to 15,000,000 yen.
      const scale = Math.pow(random.next(), 2.5);
      const amount = japan ? String(150_000 + Math.round((scale * 14_850_000) / 10_000) * 10_000) : `${1_000 + Math.round((scale * 99_000) / 500) * 500}.00`;
      at(date, () =>
        run('CommitCapital', { lpId: id, kind: 'retail', country: japan ? 'JP' : 'US', amount, currency: japan ? 'JPY' : 'USD' }, 'retail-platform', date),
      );
    }
  }
  at('2026-07-01', () => run('HoldClose', {}, JP, '2026-07-01'));
  at('2027-01-15', () => run('HoldClose', {}, US, '2027-01-15'));
  at('2027-07-01', () => run('HoldClose', {}, JP, '2027-07-01'));

  // Calls: 5% a quarter from July 2026, due two weeks later, up to 80%.
  let called = 0;
  for (const quarter of quarterEnds(2026, 2031)) {
    const date = addDays(quarter, 15);
    if (date < '2026-07-15') continue;
    at(date, async () => {
      if (called >= 16) return;
      called++;
      return run('CallCapital', { percentage: '0.05', dueDate: addDays(date, 14) }, US, date);
    });
  }

  for (const f of FACILITIES)
    at('2026-07-01', () =>
      run(
        'OpenCreditFacility',
        {
          facilityId: f.facilityId,
          lender: f.lender,
          limit: usd(f.limit).toString(),
          annualRate: f.annualRate,
          dayCount: f.dayCount,
          maturityDate: '2038-07-01',
        },
        JP,
        '2026-07-01',
      ),
    );
  for (const p of PROJECTS)
    at('2026-08-03', () =>
      run(
        'RegisterProject',
        { projectId: p.projectId, name: p.name, sector: p.sector, partners: p.partners, totalProjectSize: usd(B(p.size)).toString() },
        US,
        '2026-08-03',
      ),
    );
  for (const [allocationId, projectId, billions, proposer, date, decision] of ALLOCATIONS) {
    at(date, () => run('ProposeAllocation', { allocationId, projectId, amount: usd(B(billions)).toString() }, proposer, date));
    const next = addDays(date, 2);
    if (typeof decision === 'string') at(next, () => run('ApproveAllocation', { allocationId }, decision, next));
    else at(next, () => run('RejectAllocation', { allocationId, reason: decision.reason }, decision.rejectedBy, next));
  }

  // Monthly: fund each committed allocation over about three years, drawing on the facilities when cash runs short.
  const reserve = B(2); // kept for interest, fees and expenses
  const drawFor = async (date: string, needed: Dec) => {
    let need = needed;
    for (const f of FACILITIES) {
      if (!need.gt(0)) break;
      const facility = state.facilities.get(f.facilityId)!;
      const headroom = Dec.min(leverageCap(state, date).minus(totalDebt(state)).amount, facility.limit.minus(facility.principal).amount);
      const amount = millions(Dec.min(need, headroom), Dec.ROUND_UP);
      if (amount.lte(0) || amount.gt(headroom)) continue;
      await run('DrawLeverage', { facilityId: f.facilityId, amount: usd(amount).toString() }, JP, date);
      need = need.minus(amount);
    }
  };
  for (const month of monthStarts('2026-08-20', '2031-12-20')) {
    const date = month;
    at(date, async () => {
      const tranches: [string, Dec][] = [];
      for (const a of state.allocations.values()) {
        if (a.status !== 'committed') continue;
        const left = a.amount.minus(a.funded).amount;
        if (left.gt(0)) tranches.push([a.allocationId, Dec.min(left, millions(a.amount.amount.dividedBy(36), Dec.ROUND_UP))]);
      }
      if (tranches.length === 0) return;
      const total = tranches.reduce((s, [, t]) => s.plus(t), new Dec(0));
      const shortfall = total.plus(reserve).minus(availableCash(state, date).amount);
      if (shortfall.gt(0)) await drawFor(date, shortfall);
      for (const [allocationId, tranche] of tranches) {
        const amount = Dec.min(tranche, availableCash(state, date).amount.minus(reserve));
        if (amount.gte(1e6)) await run('FundProject', { allocationId, amount: usd(amount.toDecimalPlaces(0, Dec.ROUND_DOWN)).toString() }, US, date);
      }
    });
  }

  // Quarterly: valuations, interest, fees, expenses; proceeds and distributions from 2029; repayments from 2032.
  const fair = (projectId: string) => state.projects.get(projectId)?.fairValue.amount ?? new Dec(0);
  let stargateValuation: string | undefined;
  for (const quarter of quarterEnds(2026, 2035)) {
    if (quarter < '2026-09-30') continue;
    at(quarter, async () => {
      for (const p of PROJECTS) {
        if (!state.projects.get(p.projectId)?.fairValue.isPositive()) continue;
        const growth = Math.exp(p.growth / 4 - (p.volatility * p.volatility) / 8 + (p.volatility / 2) * random.normal());
        const { commandId } = await run('ValueProject', { projectId: p.projectId, fairValue: usd(fair(p.projectId).times(growth)).toString() }, US, quarter);
        if (p.projectId === 'stargate' && quarter === '2027-12-31') stargateValuation = deterministicEventId(commandId, fundStream(DEMO_FUND), 0);
      }
      if (quarter >= '2029-03-31') {
        for (const p of PROJECTS)
          if (fair(p.projectId).gt(1e9))
            await run(
              'ReceiveProceeds',
              { projectId: p.projectId, kind: 'income', amount: usd(millions(fair(p.projectId).times(0.0125), Dec.ROUND_DOWN)).toString() },
              US,
              quarter,
            );
      }
      if (quarter >= '2032-03-31') {
        for (const p of PROJECTS)
          if (fair(p.projectId).gt(1e9))
            await run(
              'ReceiveProceeds',
              { projectId: p.projectId, kind: 'capital', amount: usd(millions(fair(p.projectId).times(0.04), Dec.ROUND_DOWN)).toString() },
              US,
              quarter,
            );
      }
      for (const f of FACILITIES) {
        const facility = state.facilities.get(f.facilityId);
        if (!facility?.principal.isPositive()) continue;
        const due = usd(accrueInterest(facility, quarter).accrued);
        if (due.plus(usd(reserve.dividedBy(4))).gt(availableCash(state, quarter))) await drawFor(quarter, due.amount.plus(reserve));
        await run('PayInterest', { facilityId: f.facilityId }, JP, quarter);
      }
      if (state.admittedUsd.isPositive()) {
        // 1% a year of the fee-bearing LPs' commitments: called from them once a fee-exempt LP is admitted, else out of cash.
        const exempt = state.feeExempt ? usd(formatCents(state.feeExempt.cents)) : undefined;
        const fee = exempt ? state.admittedUsd.minus(exempt).times('0.0025') : state.admittedUsd.times('0.0025');
        const expense = usd(B(0.02));
        const fromCash = exempt ? expense : fee.plus(expense);
        if (fromCash.gt(availableCash(state, quarter))) await drawFor(quarter, fromCash.amount);
        await run('ChargeManagementFee', { amount: fee.toString(), period: quarter.slice(0, 7) }, US, quarter);
        await run('RecordExpense', { amount: expense.toString(), description: 'Administration, custody and audit' }, US, quarter);
      }
      if (quarter >= '2032-03-31') {
        for (const f of FACILITIES) {
          const facility = state.facilities.get(f.facilityId)!;
          const amount = millions(Dec.min(facility.principal.amount.times(0.06), availableCash(state, quarter).amount.minus(reserve)), Dec.ROUND_DOWN);
          if (amount.gt(0)) await run('RepayLeverage', { facilityId: f.facilityId, amount: usd(amount).toString() }, JP, quarter);
        }
      }
      if (quarter >= '2029-03-31') {
        const spare = availableCash(state, quarter).amount.minus(reserve.times(2));
        if (spare.gt(B(1)))
          await run(
            'DeclareDistribution',
            { amount: usd(millions(spare.times(0.6), Dec.ROUND_DOWN)).toString(), paymentDate: addDays(quarter, 15) },
            US,
            quarter,
          );
      }
    });
  }

  // Transfers of LP interests (issue 30), each with the managers' consent: an interest sold to a
  // new LP, one between a yen and a dollar LP, and one to a new yen LP, at prices agreed between them.
  if (retailLps > 40) {
    const transfer = (date: string, fromLpId: string, toLpId: string, commitmentUsd: string, priceUsd: string, newLp?: { country: string; currency: string }) =>
      at(date, () => run('TransferInterest', { fromLpId, toLpId, commitmentUsd, priceUsd, ...(newLp ? { kind: 'retail', ...newLp } : {}) }, US, date));
    transfer('2030-05-15', 'retail-us-000010', 'retail-us-900001', '500.00', '540.00', { country: 'US', currency: 'USD' });
    transfer('2031-10-16', 'retail-jp-000020', 'retail-us-000011', '400.00', '410.00');
    transfer('2033-07-16', 'retail-us-000012', 'retail-jp-900001', '600.00', '720.00', { country: 'JP', currency: 'JPY' });
  }

  // A correction recorded late: the year-end 2027 Stargate valuation, revised in the audit.
  at('2028-02-15', async () => {
    if (!stargateValuation) throw new Error('The demo lost the valuation it corrects');
    const original = history.find((e) => e.metadata.eventId === stargateValuation)!;
    const corrected = usd(new Dec((original.data as { fairValue: string }).fairValue).times(0.94));
    return run(
      'ReverseEvent',
      {
        eventId: stargateValuation,
        reason: 'Year-end audit: the valuation model used stale capacity figures',
        replacement: { type: 'ProjectValued', data: { projectId: 'stargate', fairValue: corrected.toString() } },
      },
      JP,
      '2028-02-15',
    );
  });

  agenda.sort((a, b) => (a!.date < b!.date ? -1 : a!.date > b!.date ? 1 : a!.order - b!.order));
  const cut = options.until === undefined ? -1 : agenda.findIndex((item) => item!.date > options.until!);
  if (cut >= 0) agenda.length = cut;
  for (let done = 0; done < agenda.length; done++) {
    const item = agenda[done]!;
    // Let each step go once run: a million of them would otherwise live to the end.
    agenda[done] = undefined;
    await item.act();
    onProgress?.(done + 1, agenda.length);
  }
  return sequence;
}
