import 'reflect-metadata';
import { EventLogService } from '@fundsim/application';
import { EventStoreError } from '@fundsim/event-store';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0..65535, got ${process.env.PORT}`);
  const app = await createApp();
  await app.listen(port, process.env.HOST ?? '0.0.0.0');
  const url = `http://localhost:${port}`;
  console.log(`fundsim API listening on ${url} (store ${app.get(EventLogService).storeDescription})`);
  console.log(`API docs (OpenAPI) at ${url}/docs`);
}

main().catch((error: unknown) => {
  console.error(error instanceof EventStoreError ? error.message : error);
  process.exit(1);
});
