/**
 * npm run bench:deal-by-deal — what the American (deal-by-deal) waterfall costs the fund's own
 * fold and the distribution decider, against the European terms, interleaved in one process so
 * that the load of a shared machine falls on both alike (bench:waterfall measures the whole read
 * and write paths at a million LPs, one variant after the other).
 *
 * Writes the generated ten-year fund stream (the same as bench:waterfall's, whose size does not
 * depend on the LPs) under each style, with cash to distribute, then: the fold of the fund stream
 * (median of 9, alternating the styles) and a distribution decided (split by tier; American: the
 * capital returnable and the deals attributed), median of 20 rounds of 200, alternating.
 */
import { asRecorded, DEMO_WATERFALL_ALL_BEARING } from '@fundsim/application';
import {
  decideDistribution,
  foldFundHistory,
  parseWaterfallTerms,
  type DeclareDistribution,
  type RecordedFundEvent,
  type WaterfallTerms,
} from '@fundsim/domain';
import { MemoryEventStore } from '@fundsim/event-store';
import { FUND, writeFundLog } from './fund-log';

const EUROPEAN = parseWaterfallTerms(DEMO_WATERFALL_ALL_BEARING, ['us-treasury', 'jp-mof']);
const AMERICAN: WaterfallTerms = { ...EUROPEAN, style: 'american' };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The fund stream under the terms, with income received on 2037-01-14 so that a distribution fits in the cash. */
async function fundStream(terms: WaterfallTerms): Promise<RecordedFundEvent[]> {
  const store = new MemoryEventStore();
  await writeFundLog(store, 2_000, terms);
  const history: RecordedFundEvent[] = [];
  for await (const e of store.readStream(`fund-${FUND}`)) history.push(asRecorded(e));
  const last = history[history.length - 1];
  history.push({
    type: 'ProceedsReceived',
    data: { projectId: 'stargate', kind: 'income', amount: '500000000000.00', costRelieved: '0.00', realizedGain: '0.00' },
    metadata: { ...last.metadata, eventId: 'bench-cash', effectiveDate: '2037-01-14' },
  });
  return history;
}

async function main() {
  const styles = [
    { label: 'european', history: await fundStream(EUROPEAN) },
    { label: 'american', history: await fundStream(AMERICAN) },
  ];
  const folds = new Map<string, number[]>(styles.map((s) => [s.label, []]));
  for (let round = 0; round < 9; round++)
    for (const s of styles) {
      const started = performance.now();
      foldFundHistory(s.history);
      folds.get(s.label)!.push(performance.now() - started);
    }
  const command: DeclareDistribution = {
    type: 'DeclareDistribution',
    data: { amount: '1000000.00' },
    metadata: { actor: 'us-treasury', effectiveDate: '2037-01-15' },
  };
  const states = styles.map((s) => ({ label: s.label, state: foldFundHistory(s.history) }));
  for (const s of states) console.log(`${s.label}: ${JSON.stringify(decideDistribution(command, s.state)[0].data).slice(0, 400)}`);
  const decides = new Map<string, number[]>(styles.map((s) => [s.label, []]));
  for (let round = 0; round < 20; round++)
    for (const s of states) {
      const started = performance.now();
      for (let i = 0; i < 200; i++) decideDistribution(command, s.state);
      decides.get(s.label)!.push((performance.now() - started) / 200);
    }
  const [eu, am] = styles.map((s) => s.label);
  const ratio = (m: Map<string, number[]>) => (median(m.get(am)!) / median(m.get(eu)!)).toFixed(2);
  console.log(
    `fold of the fund stream (${styles[0].history.length.toLocaleString('en-US')} events), median of 9: european ${median(folds.get(eu)!).toFixed(0)} ms, american ${median(folds.get(am)!).toFixed(0)} ms (${ratio(folds)}x)`,
  );
  console.log(
    `a distribution decided, median of 20 x 200: european ${(median(decides.get(eu)!) * 1000).toFixed(0)} us, american ${(median(decides.get(am)!) * 1000).toFixed(0)} us (${ratio(decides)}x)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
