import 'reflect-metadata';
import {
  DemoService,
  demoKeysFile,
  EVENT_STORE,
  EventLogService,
  FundQueryService,
  issueDemoKeys,
  KeyService,
  osPrincipal,
  ScenarioPartlyWrittenError,
} from '@fundsim/application';
import { EventStoreError, InvalidStoreUrlError, parseReadReplica, parseStoreLocation } from '@fundsim/event-store';
import { createApp } from './bootstrap';
import { setupTracing } from './tracing';
import { maxReplicaLagFrom, Readiness } from './health.controller';

async function main(): Promise<void> {
  // Colour codes only for a terminal.
  if (!process.stdout.isTTY) process.env.NO_COLOR ??= '1';
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${process.env.PORT}`);
  // A bad FUNDSIM_STORE is refused here, before Nest's injector would log it with a stack.
  parseReadReplica(process.env.FUNDSIM_STORE_READ, parseStoreLocation(process.env.FUNDSIM_STORE));
  try {
    maxReplicaLagFrom(process.env.FUNDSIM_REPLICA_MAX_LAG);
  } catch (error) {
    throw new StartError((error as Error).message);
  }
  // Before the app is built, so that its HTTP hook and the application's spans find the provider.
  if (setupTracing()) console.log(`Traces sent over OTLP/HTTP to ${process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  const app = await createApp({ logger: ['error', 'warn'], requestLog: process.env.FUNDSIM_REQUEST_LOG !== 'off' });
  const readiness = app.get(Readiness);
  readiness.warmingUp();
  // A fresh store gets the demo fund, so that there is something to look at (FUNDSIM_DEMO=off: not).
  const log = app.get(EventLogService);
  const keys = app.get(KeyService);
  const empty = (await log.headPosition()) === 0;
  if (process.env.FUNDSIM_DEMO !== 'off' && empty) {
    console.log('The store is empty: loading the U.S.-Japan demo fund (set FUNDSIM_DEMO=off to start empty)...');
    let reported = 0;
    const result = await app.get(DemoService).load({}, (done, total) => {
      const tenth = Math.floor((done * 10) / total);
      if (tenth > reported) console.log(`  ${(reported = tenth) * 10}%`);
    });
    console.log(`Loaded fund ${result.fundId}: ${result.eventsWritten} events, ${result.retailLps} retail LPs.`);
  }
  // Authentication is never off: a store without keys gets the demo's (written to a file only
  // its owner can read) when it was empty, and otherwise refuses every request until one is made.
  if ((await keys.activeCount()) === 0) {
    if (empty) {
      const file = demoKeysFile(app.get(EVENT_STORE));
      const issued = await issueDemoKeys(keys, file, osPrincipal());
      console.log(`API keys for the demo's principals (${issued.map((k) => `${k.role} ${k.subject}`).join(', ')}) written to ${file} (readable only by you).`);
    } else {
      console.warn('This store has no API keys: every request but /health will be refused (401). Create one with: fundsim keys create --role admin');
    }
  }
  const host = process.env.HOST ?? '127.0.0.1';
  try {
    // Fastify's own listen (the app is initialised): Nest's would also log the failure with a stack.
    await (app.getHttpAdapter().getInstance() as { listen(o: { port: number; host: string }): Promise<string> }).listen({ port, host });
  } catch (error) {
    await app.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new StartError(`port ${port} on ${host} is in use by another process; set PORT to a free one`);
    if (code === 'EACCES') throw new StartError(`not allowed to listen on ${host}:${port}; set PORT above 1023 or HOST to another interface`);
    if (code === 'EADDRNOTAVAIL') throw new StartError(`${host} is not an address of this machine; set HOST`);
    throw error;
  }
  // PORT=0: the port the system chose.
  const url = `http://localhost:${(app.getHttpServer().address() as { port: number }).port}`;
  console.log(`fundsim API listening on ${url} (store ${log.storeDescription})`);
  console.log(`API docs (OpenAPI) at ${url}/docs`);
  // Ready (GET /health/ready) once every fund's books have caught up with the log.
  await app.get(FundQueryService).catchUpAll();
  readiness.ready();
}

/** A start-up failure the operator can fix: one line, no stack. */
class StartError extends Error {}

main().catch((error: unknown) => {
  const message = (error as Error)?.message ?? String(error);
  const known =
    error instanceof StartError ||
    error instanceof EventStoreError ||
    error instanceof ScenarioPartlyWrittenError ||
    /unable to open database file|SQLITE_CANTOPEN|EACCES|EROFS|ENOSPC/.test(message);
  if (known)
    console.error(
      `fundsim: ${error instanceof InvalidStoreUrlError ? message : message.split('\n')[0]}${/database file|SQLITE_CANTOPEN|EACCES|EROFS/.test(message) ? ` (store ${process.env.FUNDSIM_STORE ?? 'sqlite:./data/fundsim.db'}: check that its folder exists and is writable, or set FUNDSIM_STORE)` : ''}`,
    );
  else console.error(error);
  process.exit(1);
});
