import 'reflect-metadata';
import { DemoService, EventLogService, ScenarioFormatError } from '@fundsim/application';
import { EventStoreError } from '@fundsim/event-store';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${process.env.PORT}`);
  const app = await createApp({ logger: ['error', 'warn'] });
  // A fresh store gets the demo fund, so that there is something to look at (FUNDSIM_DEMO=off: not).
  const log = app.get(EventLogService);
  if (process.env.FUNDSIM_DEMO !== 'off' && (await log.headPosition()) === 0) {
    console.log('The store is empty: loading the U.S.-Japan demo fund (set FUNDSIM_DEMO=off to start empty)...');
    let reported = 0;
    try {
      const result = await app.get(DemoService).load({}, (done, total) => {
        const tenth = Math.floor((done * 10) / total);
        if (tenth > reported) console.log(`  ${(reported = tenth) * 10}%`);
      });
      console.log(`Loaded fund ${result.fundId}: ${result.eventsWritten} events, ${result.retailLps} retail LPs.`);
    } catch (error) {
      // EventStoreDB cannot take the demo's history as one atomic batch: start empty there.
      if (!(error instanceof ScenarioFormatError)) throw error;
      console.log(`Not loaded: ${error.message}. Starting with an empty store.`);
    }
  }
  await app.listen(port, process.env.HOST ?? '0.0.0.0');
  const url = `http://localhost:${port}`;
  console.log(`fundsim API listening on ${url} (store ${log.storeDescription})`);
  console.log(`API docs (OpenAPI) at ${url}/docs`);
}

main().catch((error: unknown) => {
  console.error(error instanceof EventStoreError ? error.message : error);
  process.exit(1);
});
