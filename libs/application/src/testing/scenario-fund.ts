import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from '../queries/fund-queries.service';
import { ScenarioService } from '../scenarios/scenario';

/** A fund 'f' from a scenario: the commands applied as a scenario to a fresh store in memory, and the queries over it. */
export async function scenarioFund(commands: object[]): Promise<{ store: MemoryEventStore; queries: FundQueryService }> {
  const store = new MemoryEventStore();
  await applyTo(store, ...commands);
  return { store, queries: new FundQueryService(store) };
}

/** More commands for fund 'f', as one scenario: all written, or (rejected) none. */
export const applyTo = (store: MemoryEventStore, ...commands: object[]) => new ScenarioService(store).apply(JSON.stringify({ fundId: 'f', commands }));

/** The events in the store: what a rejected command must leave unchanged. */
export async function eventCount(store: MemoryEventStore): Promise<number> {
  let n = 0;
  for await (const _ of store.readAll()) n++;
  return n;
}
