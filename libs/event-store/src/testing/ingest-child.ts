/**
 * Child process for the crash tests: appends whole batches to a store forever (a SQLite file, or
 * any FUNDSIM_STORE form such as postgres://...), printing how many it has committed, until the
 * parent kills it with SIGKILL.
 */
import { openEventStore } from '../store-config';
import { SqliteEventStore } from '../sqlite.event-store';
import { commitmentEvent } from './fixtures';

const [where, tag] = process.argv.slice(2);
const STREAMS_PER_BATCH = 50;
const EVENTS_PER_STREAM = 4;

async function main(): Promise<void> {
  const store = where.includes('://') ? openEventStore(where) : new SqliteEventStore(where);
  for (let batch = 0; ; batch++) {
    const requests = Array.from({ length: STREAMS_PER_BATCH }, (_, i) => {
      const lp = `${tag}-${batch}-${i}`;
      return {
        stream: `lp-${lp}`,
        expectedRevision: 'no-stream' as const,
        events: Array.from({ length: EVENTS_PER_STREAM }, () => commitmentEvent(lp, '100.00')),
      };
    });
    await store.appendBatch(requests);
    process.stdout.write(`${batch + 1}\n`);
  }
}

void main();
