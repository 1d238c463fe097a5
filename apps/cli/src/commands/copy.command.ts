import { copyLog, CopyIncompleteError, CopyTargetNotEmptyError } from '@fundsim/application';
import { EventShapeError } from '@fundsim/domain';
import { ACCEPTED_STORE_FORMS, InvalidStoreUrlError, openEventStore, parseStoreLocation, type EventStore } from '@fundsim/event-store';
import { UsageError, type Command } from '../command';

const REPORT_EVERY = 100_000;

export const copyCommand: Command = {
  name: 'copy',
  summary: 'Copy the whole log into an empty store (SQLite into PostgreSQL, say) and check it event for event',
  usage: 'fundsim copy --to STORE [--store FROM] [--json]   (FROM: --store, $FUNDSIM_STORE or ./data/fundsim.db)',
  options: {
    to: { type: 'string', value: 'STORE', description: 'the empty store to copy into: sqlite:<path>, postgres://user@host/db or esdb://host:2113' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(values, _positionals, { store, out, err }) {
    if (typeof values.to !== 'string') throw new UsageError('--to is required: the empty store to copy into');
    let target: EventStore;
    try {
      target = openEventStore(parseStoreLocation(values.to));
    } catch (error) {
      if (error instanceof InvalidStoreUrlError)
        throw new UsageError(`--to ${JSON.stringify(values.to)} is not a store fundsim knows. Accepted forms:\n  ${ACCEPTED_STORE_FORMS.join('\n  ')}`);
      throw error;
    }
    let reported = 0;
    try {
      const result = await copyLog(store, target, (copied) => {
        if (copied - reported >= REPORT_EVERY) err(`copied ${(reported = copied).toLocaleString('en-US')} events...`);
      });
      if (values.json) out(JSON.stringify({ from: store.description, to: target.description, ...result }, null, 2));
      else {
        out(`Copied ${result.events} events of ${result.streams} streams from ${store.description} to ${target.description}.`);
        out(`The copy verifies (head hash ${result.headHash}) and reads back event for event as the source.`);
      }
      return 0;
    } catch (error) {
      if (error instanceof CopyTargetNotEmptyError) throw new UsageError(error.message);
      if (error instanceof EventShapeError) {
        err(`fundsim copy: ${store.description} holds an event this fundsim cannot read: ${error.message}. Nothing was written.`);
        return 1;
      }
      if (error instanceof CopyIncompleteError) {
        err(`fundsim copy: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      await target.close();
    }
  },
};
