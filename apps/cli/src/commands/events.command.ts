import { MAX_PAGE_SIZE } from '@fundsim/application';
import { parseNonNegativeInt, table, UsageError, type Command } from '../command';

export const eventsCommand: Command = {
  name: 'events',
  summary: 'List the event log in global order, one page at a time',
  usage: 'fundsim events [--from N] [--limit N] [--stream PREFIX] [--type T1,T2] [--json]',
  options: {
    from: { type: 'string', value: 'N', description: 'start at this global position (inclusive)' },
    limit: { type: 'string', value: 'N', description: `events per page, 1..${MAX_PAGE_SIZE} (default 100)` },
    stream: { type: 'string', value: 'PREFIX', description: 'only streams whose name starts with PREFIX' },
    type: { type: 'string', value: 'T1,T2', description: 'only these event types' },
    json: { type: 'boolean', description: 'print the page as JSON' },
  },
  async run(values, _positionals, { log, out }) {
    const limit = parseNonNegativeInt(values.limit, 'limit', 1);
    if (limit !== undefined && limit > MAX_PAGE_SIZE) throw new UsageError(`--limit must be at most ${MAX_PAGE_SIZE} (page on with --from)`);
    const page = await log.page({
      fromPosition: parseNonNegativeInt(values.from, 'from'),
      limit,
      streamPrefix: values.stream as string | undefined,
      types: typeof values.type === 'string' ? values.type.split(',') : undefined,
    });
    if (values.json) {
      out(JSON.stringify(page, null, 2));
      return 0;
    }
    if (page.events.length === 0) {
      out(`No events (store ${log.storeDescription}).`);
      return 0;
    }
    const rows = page.events.map((e) => [String(e.position), e.stream, String(e.revision), e.type, e.metadata.effectiveDate, e.metadata.actor]);
    table(['POSITION', 'STREAM', 'REV', 'TYPE', 'EFFECTIVE', 'ACTOR'], rows).forEach(out);
    if (page.nextPosition !== undefined) out(`... more: fundsim events --from ${page.nextPosition}`);
    return 0;
  },
};
