/**
 * Folding defaults stays linear: 100,000 `ContributionDefaulted` events (one call, one LP each)
 * folded by the domain's `foldFundHistory` and by the read side's `LedgerTimeline` (snapshots every
 * 500 events), against folding as many `MilestoneRecorded` (no state growth) in the same run.
 * Target: 100,000 defaults in under 2 s. `BENCH_DEFAULTS` changes the count.
 */
import { foldFundHistory, type RecordedFundEvent } from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { LedgerTimeline } from '@fundsim/projections';

const count = Number(process.env.BENCH_DEFAULTS ?? 100_000);
const meta = (i: number, effectiveDate: string) => ({
  actor: 'jp-mof',
  effectiveDate,
  eventId: `e-${i}`,
  position: i,
  recordedAt: `${effectiveDate}T12:00:00.000Z`,
});
const prefix: RecordedFundEvent[] = [
  {
    type: 'FundEstablished',
    data: { ...establishUsJapanFund().data, baseCurrency: 'USD', inceptionDate: '2026-01-15' },
    metadata: meta(1, '2026-01-15'),
  },
  {
    type: 'CloseHeld',
    data: {
      closeNumber: 1,
      throughPosition: 1,
      pendingCount: count,
      pendingUsd: '300000000000.00',
      admittedUsd: '300000000000.00',
      scaledBack: false,
      catchUpFraction: '0',
      equalizationInterestFactor: '0',
      catchUpUsd: '0.00',
      equalizationInterestUsd: '0.00',
    },
    metadata: meta(2, '2026-06-30'),
  },
  {
    type: 'CapitalCalled',
    data: { callNumber: 1, percentage: '0.1', dueDate: '2026-07-01', admittedUsd: '300000000000.00', totalUsd: '30000000000.00', lpCount: count },
    metadata: meta(3, '2026-07-01'),
  },
] as RecordedFundEvent[];
const defaults = Array.from({ length: count }, (_, i) => ({
  type: 'ContributionDefaulted',
  data: { callNumber: 1, lpId: `retail-${i}`, amountUsd: '100.00' },
  metadata: meta(4 + i, '2026-08-01'),
})) as RecordedFundEvent[];
const milestones = Array.from({ length: count }, (_, i) => ({
  type: 'MilestoneRecorded',
  data: { milestone: `m-${i}`, note: '' },
  metadata: meta(4 + i, '2026-08-01'),
})) as RecordedFundEvent[];

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const results: [string, number, number][] = [];
for (const [name, run] of [
  ['foldFundHistory', (events: RecordedFundEvent[]) => foldFundHistory(events)],
  ['LedgerTimeline (snapshots every 500)', (events: RecordedFundEvent[]) => new LedgerTimeline(500).append(events)],
] as const) {
  const base = time(() => run([...prefix, ...milestones]));
  const folded = time(() => run([...prefix, ...defaults]));
  results.push([name, folded, base]);
}
console.log(`Folding ${count.toLocaleString('en-US')} defaults (target < 2,000 ms), against as many milestones in the same run:`);
for (const [name, ms, base] of results) {
  console.log(
    `  ${name.padEnd(38)} ${ms.toFixed(0).padStart(6)} ms   milestones ${base.toFixed(0).padStart(6)} ms   ratio ${(ms / base).toFixed(2)}   ${ms < 2000 ? 'met' : 'missed'}`,
  );
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
