import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import fc from 'fast-check';
import { Rejection, type RecordedFundEvent } from '@fundsim/domain';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundCommandService, type AnyCommand } from '../commands/fund-commands.service';
import { asRecorded } from '../log/fund-log';
import { fundStream } from '../streams';

/**
 * Random fund histories for property tests: a fund with LPs, cash, a facility and projects, then
 * random commands, valid or not, at weekly dates.
 */
const managers = ['us-treasury', 'jp-mof'] as const;
const amount = fc.integer({ min: 1, max: 2_000 }).map((n) => `${n}.00`);
const smallAmount = fc.integer({ min: 1, max: 400 }).map((n) => `${n}.00`);
const manager = fc.constantFrom(...managers);
const lp = fc.constantFrom('lp-a', 'lp-b', 'lp-c', 'lp-d');
const project = fc.constantFrom('grid', 'quantum');
const allocation = fc.constantFrom('al-1', 'al-2', 'al-3');

/** A step gets the date, the fund's history and the ids of the commitments recorded so far (latest last). */
export type Step = (date: string, history: readonly RecordedFundEvent[], commitments: readonly string[]) => AnyCommand;
const meta = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });

export const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(lp, amount).map(([lpId, a]): Step => (d) => ({
    type: 'CommitCapital',
    data: { lpId, kind: 'retail', country: 'US', amount: a, currency: 'USD' },
    metadata: meta('platform', d),
  })),
  manager.map((m): Step => (d) => ({ type: 'HoldClose', data: {}, metadata: meta(m, d) })),
  fc.tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, 10, 30)).map(([pct, dueIn]): Step => (d) => ({
    type: 'CallCapital',
    data: { percentage: (pct / 100).toFixed(2), dueDate: addDays(d, dueIn) },
    metadata: meta('us-treasury', d),
  })),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), lp)
    .map(([callNumber, lpId]): Step => (d) => ({ type: 'RecordContributionDefault', data: { callNumber, lpId }, metadata: meta('jp-mof', d) })),
  amount.map((a): Step => (d) => ({ type: 'DrawLeverage', data: { facilityId: 'bank', amount: a }, metadata: meta('jp-mof', d) })),
  amount.map((a): Step => (d) => ({ type: 'RepayLeverage', data: { facilityId: 'bank', amount: a }, metadata: meta('jp-mof', d) })),
  fc.constant((d: string): AnyCommand => ({ type: 'PayInterest', data: { facilityId: 'bank' }, metadata: meta('us-treasury', d) })),
  project.map((projectId): Step => (d) => ({
    type: 'RegisterProject',
    data: { projectId, name: projectId, sector: 'energy', partners: [], totalProjectSize: '100000.00' },
    metadata: meta('us-treasury', d),
  })),
  {
    arbitrary: fc.tuple(allocation, project, smallAmount, manager).map(([allocationId, projectId, a, m]): Step => (d) => ({
      type: 'ProposeAllocation',
      data: { allocationId, projectId, amount: a },
      metadata: meta(m, d),
    })),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(allocation, manager)
      .map(([allocationId, m]): Step => (d) => ({ type: 'ApproveAllocation', data: { allocationId }, metadata: meta(m, d) })),
    weight: 4,
  },
  fc
    .tuple(allocation, manager)
    .map(([allocationId, m]): Step => (d) => ({ type: 'RejectAllocation', data: { allocationId, reason: 'no' }, metadata: meta(m, d) })),
  {
    arbitrary: fc
      .tuple(allocation, smallAmount)
      .map(([allocationId, a]): Step => (d) => ({ type: 'FundProject', data: { allocationId, amount: a }, metadata: meta('us-treasury', d) })),
    weight: 4,
  },
  fc
    .tuple(project, amount)
    .map(([projectId, a]): Step => (d) => ({ type: 'ValueProject', data: { projectId, fairValue: a }, metadata: meta('us-treasury', d) })),
  fc.tuple(project, amount, fc.constantFrom('income', 'capital')).map(([projectId, a, kind]): Step => (d) => ({
    type: 'ReceiveProceeds',
    data: { projectId, kind: kind as 'income' | 'capital', amount: a },
    metadata: meta('us-treasury', d),
  })),
  amount.map((a): Step => (d) => ({ type: 'DeclareDistribution', data: { amount: a }, metadata: meta('us-treasury', d) })),
  // A transfer of part (or more than all) of an interest, to a known LP or a new one (a yen one: lp-t).
  {
    arbitrary: fc
      .tuple(lp, fc.constantFrom('lp-a', 'lp-b', 'lp-c', 'lp-d', 'lp-t', 'lp-u'), fc.integer({ min: 1, max: 1_500 }), fc.integer({ min: 0, max: 2_000 }))
      .map(([fromLpId, toLpId, cents, price]): Step => (d) => ({
        type: 'TransferInterest',
        data: {
          fromLpId,
          toLpId,
          commitmentUsd: `${cents}.00`,
          priceUsd: `${price}.00`,
          kind: 'retail',
          ...(toLpId === 'lp-t' ? { country: 'JP', currency: 'JPY' } : { country: 'US', currency: 'USD' }),
        },
        metadata: meta('jp-mof', d),
      })),
    weight: 2,
  },
  amount.map((a): Step => (d) => ({ type: 'ChargeManagementFee', data: { amount: a, period: 'q' }, metadata: meta('us-treasury', d) })),
  // A correction of one of the latest events, sometimes with a replacement valuation.
  fc.tuple(fc.integer({ min: 1, max: 6 }), amount).map(([back, a]): Step => (d, history) => {
    const target = history[history.length - back];
    const replacement = target?.type === 'ProjectValued' ? { type: 'ProjectValued', data: { projectId: target.data.projectId, fairValue: a } } : undefined;
    return { type: 'ReverseEvent', data: { eventId: target?.metadata.eventId ?? 'none', reason: 'correction', replacement }, metadata: meta('jp-mof', d) };
  }),
);

/**
 * Steps that reach the investor ledger's hard cases: JPY LPs under moving rates, top-ups of
 * admitted LPs across closes, defaults on calls made before a top-up, distributions in several
 * epochs, reversals (and replacements) of pending commitments; with a small hard cap, scale-back.
 */
const jpyLp = fc.constantFrom('lp-j', 'lp-k');
export const investorStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: step, weight: 6 },
  { arbitrary: manager.map((m): Step => (d) => ({ type: 'HoldClose', data: {}, metadata: meta(m, d) })), weight: 2 },
  {
    arbitrary: fc.tuple(jpyLp, fc.integer({ min: 1_000, max: 300_000 })).map(([lpId, yen]): Step => (d) => ({
      type: 'CommitCapital',
      data: { lpId, kind: 'retail', country: 'JP', amount: String(yen), currency: 'JPY' },
      metadata: meta('platform', d),
    })),
    weight: 2,
  },
  fc
    .integer({ min: 9_000, max: 17_000 })
    .map((r): Step => (d) => ({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: (r / 100).toFixed(2) }, metadata: meta('market-data', d) })),
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 6 }), lp)
      .map(([callNumber, lpId]): Step => (d) => ({ type: 'RecordContributionDefault', data: { callNumber, lpId }, metadata: meta('jp-mof', d) })),
    weight: 2,
  },
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.option(amount, { nil: undefined })).map(([back, replacement]): Step => (d, _history, commitments) => ({
    type: 'ReverseEvent',
    data: {
      eventId: commitments[commitments.length - back] ?? 'none',
      reason: 'typo',
      replacement:
        replacement === undefined ? undefined : { type: 'CapitalCommitted', data: { kind: 'retail', country: 'US', amount: replacement, currency: 'USD' } },
    },
    metadata: meta('us-treasury', d),
  })),
);

/** The random steps, with more income and distributions: histories that reach the catch-up, the carry and clawbacks. */
export const richStep: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: step, weight: 5 },
  {
    arbitrary: fc.tuple(fc.constantFrom('grid', 'quantum'), fc.integer({ min: 100, max: 3_000 })).map(([projectId, n]): Step => (d) => ({
      type: 'ReceiveProceeds',
      data: { projectId, kind: 'income', amount: `${n}.00` },
      metadata: meta('us-treasury', d),
    })),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: 50, max: 3_000 })
      .map((n): Step => (d) => ({ type: 'DeclareDistribution', data: { amount: `${n}.00` }, metadata: meta('us-treasury', d) })),
    weight: 3,
  },
);

/** The governments' sovereign LP accounts, each committed by its manager (as the deciders require). */
export const governments = [
  { manager: 'us-treasury', lpId: 'gov-us', country: 'US' },
  { manager: 'jp-mof', lpId: 'gov-jp', country: 'JP' },
] as const;

/** How the managers share, as terms give it (`ManagerShareTerms`), and who bears no carry or no fee (carry-exemption.ts, fee-exemption.ts). */
export interface ShareTerms {
  managerShares: { manager: string; share: string; lpId?: string }[];
  feeShares?: 'by-stake';
  carryShares?: 'by-stake';
  carryBearing?: 'all' | 'non-sovereign';
  carryExempt?: string[];
  feeBearing?: 'all' | 'non-sovereign';
  feeExempt?: string[];
}

/** Shares tied to the governments' stakes: fees, carry or both by stake, with fixed shares until a government is admitted. */
const stakeShares: fc.Arbitrary<ShareTerms> = fc
  .tuple(
    fc.constantFrom(['0.5', '0.5'], ['0.7', '0.3'], ['0.25', '0.75']),
    fc.constantFrom<Omit<ShareTerms, 'managerShares'>>(
      { feeShares: 'by-stake' },
      { carryShares: 'by-stake' },
      { feeShares: 'by-stake', carryShares: 'by-stake' },
    ),
  )
  .map(([shares, rules]) => ({ managerShares: governments.map((g, i) => ({ manager: g.manager, share: shares[i], lpId: g.lpId })), ...rules }));

/** A sovereign commitment of a government's LP account, recorded by its manager. */
const sovereignCommitment =
  (g: (typeof governments)[number], cents: number): Step =>
  (d) => ({
    type: 'CommitCapital',
    data: { lpId: g.lpId, kind: 'sovereign', country: g.country, amount: `${cents}.00`, currency: 'USD' },
    metadata: meta(g.manager, d),
  });

/** With shares by stake: the governments commit (and top up), and closes admit them; fees are charged under the stakes. */
const stakeStep: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(fc.constantFrom(...governments), fc.integer({ min: 1, max: 3_000 })).map(([g, n]) => sovereignCommitment(g, n)),
  manager.map((m): Step => (d) => ({ type: 'HoldClose', data: {}, metadata: meta(m, d) })),
  smallAmount.map((a): Step => (d) => ({ type: 'ChargeManagementFee', data: { amount: a, period: 'q' }, metadata: meta('us-treasury', d) })),
);

/** Often, first: one or both governments commit and a close admits them (random histories are short). */
const stakeOpening: fc.Arbitrary<Step[]> = fc.option(
  fc
    .tuple(fc.subarray([...governments], { minLength: 1 }), fc.integer({ min: 1, max: 3_000 }), manager)
    .map(([gs, n, m]) => [
      ...gs.map((g, i) => sovereignCommitment(g, n * (i + 1))),
      (d: string): AnyCommand => ({ type: 'HoldClose', data: {}, metadata: meta(m, d) }),
    ]),
  { freq: 4, nil: [] },
);

/**
 * LPs exempt from carry, from fees or both: none (often), retail LPs named (one exempt from carry,
 * another from fees, or one from both), or the sovereigns (where they commit).
 */
type Exemption = Pick<ShareTerms, 'carryBearing' | 'carryExempt' | 'feeBearing' | 'feeExempt'>;
const exemption = (sovereigns: boolean): fc.Arbitrary<Exemption> =>
  fc.oneof(
    { arbitrary: fc.constant<Exemption>({}), weight: 2 },
    { arbitrary: fc.constant<Exemption>({ carryExempt: ['lp-b'] }), weight: 1 },
    { arbitrary: fc.constant<Exemption>({ feeExempt: ['lp-b'] }), weight: 2 },
    { arbitrary: fc.constant<Exemption>({ carryExempt: ['lp-b'], feeExempt: ['lp-b', 'lp-c'] }), weight: 2 },
    ...(sovereigns
      ? [
          { arbitrary: fc.constant<Exemption>({ carryBearing: 'non-sovereign' }), weight: 1 },
          { arbitrary: fc.constant<Exemption>({ carryBearing: 'non-sovereign', feeBearing: 'non-sovereign' }), weight: 2 },
        ]
      : []),
  );

/**
 * A waterfall fund's terms and its random steps: two times in three the terms as given with
 * `steps`; one in three with fees, carry or both shared by the governments' stakes (each manager's
 * government a sovereign LP that commits in the history), with steps that commit and admit them.
 * Some exempt LPs from carry: a retail LP by name, or (where the governments commit) the sovereigns.
 */
export function withShares<T extends { managerShares: readonly { manager: string; share: string; lpId?: string }[] }>(
  terms: fc.Arbitrary<T>,
  steps: fc.Arbitrary<Step> = richStep,
  maxLength = 40,
): fc.Arbitrary<{ waterfall: Omit<T, keyof ShareTerms> & ShareTerms; steps: Step[] }> {
  const asGiven = fc
    .tuple(terms, exemption(false), fc.array(steps, { minLength: 1, maxLength }))
    .map(([waterfall, exempt, s]) => ({ waterfall: { ...waterfall, ...exempt } as unknown as Omit<T, keyof ShareTerms> & ShareTerms, steps: s }));
  const byStake = fc
    .tuple(
      terms,
      stakeShares,
      exemption(true),
      stakeOpening,
      fc.array(fc.oneof({ arbitrary: steps, weight: 4 }, { arbitrary: stakeStep, weight: 1 }), { minLength: 1, maxLength }),
    )
    .map(([t, shares, exempt, opening, s]) => ({
      waterfall: { ...t, ...shares, ...exempt } as Omit<T, keyof ShareTerms> & ShareTerms,
      steps: [...opening, ...s],
    }));
  return fc.oneof({ arbitrary: asGiven, weight: 2 }, { arbitrary: byStake, weight: 1 });
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const dateAfter = (days: number) => new Date(Date.UTC(2026, 1, 1) + days * 86_400_000).toISOString().slice(0, 10);

/** Fund 'f': 2 LPs x $1,500 admitted, 40% called, a $3,000 facility at 5%, two projects, allocation al-1 committed. */
export async function setUpRandomFund(service: FundCommandService, hardCap = '300000000000.00', waterfall?: object): Promise<void> {
  const terms = {
    concentrationLimit: '0.5',
    leveragePolicy: { maxRatio: '1.5', basis: 'commitments' as const },
    hardCap,
    targetSize: hardCap,
    ...(waterfall ? { waterfall } : {}),
  };
  await service.execute('f', establishUsJapanFund(terms as Parameters<typeof establishUsJapanFund>[0], meta('us-treasury', '2026-01-15')));
  await service.execute('f', { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150.00' }, metadata: meta('market-data', '2026-01-15') });
  await service.execute('f', {
    type: 'OpenCreditFacility',
    data: { facilityId: 'bank', lender: 'bank', limit: '3000.00', annualRate: '0.05', dayCount: 'ACT/365', maturityDate: '2030-01-01' },
    metadata: meta('us-treasury', '2026-01-15'),
  });
  // A fund with LPs, cash and projects, so that most random steps have something to act on.
  for (const lpId of ['lp-a', 'lp-b'])
    await service.execute('f', {
      type: 'CommitCapital',
      data: { lpId, kind: 'retail', country: 'US', amount: '1500.00', currency: 'USD' },
      metadata: meta('platform', '2026-01-20'),
    });
  await service.execute('f', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-01-25') });
  await service.execute('f', { type: 'CallCapital', data: { percentage: '0.40' }, metadata: meta('us-treasury', '2026-01-26') });
  for (const projectId of ['grid', 'quantum'])
    await service.execute('f', {
      type: 'RegisterProject',
      data: { projectId, name: projectId, sector: 'energy', partners: [], totalProjectSize: '100000.00' },
      metadata: meta('us-treasury', '2026-01-27'),
    });
  await service.execute('f', {
    type: 'ProposeAllocation',
    data: { allocationId: 'al-1', projectId: 'grid', amount: '300.00' },
    metadata: meta('us-treasury', '2026-01-28'),
  });
  await service.execute('f', { type: 'ApproveAllocation', data: { allocationId: 'al-1' }, metadata: meta('jp-mof', '2026-01-29') });
}

/**
 * Applies random steps, one a week, to a fresh random fund in memory. A rejected command must
 * write nothing; after each accepted one, `check` gets the fund's history and the command.
 */
export async function runRandomHistory(
  steps: readonly Step[],
  check: (
    history: RecordedFundEvent[],
    command: AnyCommand,
    date: string,
    index: number,
    store: MemoryEventStore,
    service: FundCommandService,
  ) => void | Promise<void>,
  options: { hardCap?: string; waterfall?: object } = {},
): Promise<void> {
  const store = new MemoryEventStore();
  const service = new FundCommandService(store);
  await setUpRandomFund(service, options.hardCap, options.waterfall);
  for (const [index, make] of steps.entries()) {
    const date = dateAfter(index * 7);
    const commitments: string[] = [];
    for await (const e of store.readAll({ eventTypes: ['CapitalCommitted'] })) commitments.push(e.id);
    const command = make(date, await fundHistory(store), commitments);
    const head = await store.headPosition();
    try {
      await service.execute('f', command);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      expect(await store.headPosition()).toBe(head);
      continue;
    }
    await check(await fundHistory(store), command, date, index, store, service);
  }
}

async function fundHistory(store: MemoryEventStore): Promise<RecordedFundEvent[]> {
  const history: RecordedFundEvent[] = [];
  for await (const e of store.readStream(fundStream('f'))) history.push(asRecorded(e));
  return history;
}
