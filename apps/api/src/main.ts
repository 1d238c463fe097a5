import 'reflect-metadata';
import { DemoService, demoKeysFile, EVENT_STORE, EventLogService, issueDemoKeys, KeyService, ScenarioFormatError } from '@fundsim/application';
import { EventStoreError } from '@fundsim/event-store';
import { userInfo } from 'node:os';
import { createApp } from './bootstrap';

const userName = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${process.env.PORT}`);
  const app = await createApp({ logger: ['error', 'warn'] });
  // A fresh store gets the demo fund, so that there is something to look at (FUNDSIM_DEMO=off: not).
  const log = app.get(EventLogService);
  const keys = app.get(KeyService);
  const empty = (await log.headPosition()) === 0;
  if (process.env.FUNDSIM_DEMO !== 'off' && empty) {
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
  // Authentication is never off: a store without keys gets the demo's (written to a file only
  // its owner can read) when it was empty, and otherwise refuses every request until one is made.
  if ((await keys.activeCount()) === 0) {
    if (empty) {
      const file = demoKeysFile(app.get(EVENT_STORE));
      const issued = await issueDemoKeys(keys, file, `os:${userName()}`);
      console.log(`API keys for the demo's principals (${issued.map((k) => `${k.role} ${k.subject}`).join(', ')}) written to ${file} (readable only by you).`);
    } else {
      console.warn('This store has no API keys: every request but /health will be refused (401). Create one with: fundsim keys create --role admin');
    }
  }
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  const url = `http://localhost:${port}`;
  console.log(`fundsim API listening on ${url} (store ${log.storeDescription})`);
  console.log(`API docs (OpenAPI) at ${url}/docs`);
}

main().catch((error: unknown) => {
  console.error(error instanceof EventStoreError ? error.message : error);
  process.exit(1);
});
