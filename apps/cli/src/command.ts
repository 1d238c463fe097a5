import type {
  AuditService,
  DemoService,
  EventLogService,
  FundQueryService,
  KeyService,
  ScenarioService,
  FundSimulationService,
  SimulationService,
} from '@fundsim/application';
import type { EventStore } from '@fundsim/event-store';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Shown in help as the value's name, for string options. */
  value?: string;
}

export interface CliContext {
  /** The store the command runs on (--store or FUNDSIM_STORE). */
  store: EventStore;
  log: EventLogService;
  queries: FundQueryService;
  audit: AuditService;
  simulation: SimulationService;
  fundSimulation: FundSimulationService;
  demo: DemoService;
  scenarios: ScenarioService;
  keys: KeyService;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One `fundsim` sub-command: its help text and what it does. Exit code is the return value. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Commands that do not need the event store open (help, serve). */
  needsStore?: boolean;
  /** Commands that write (demo, apply, keys) may create the store; the others refuse a store that is not there. */
  writes?: boolean;
  /** Options that cannot be given together. */
  exclusive?: string[][];
  run(values: Record<string, string | boolean | undefined>, positionals: string[], ctx: CliContext): Promise<number>;
}

export class UsageError extends Error {}

export function parseNonNegativeInt(value: string | boolean | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

const NUMBER = /^[-+]?[\d,]+(\.\d+)?%?$/;

/** The widest line the CLI prints (details that do not fit are in --json). */
export const WIDTH = 120;

/** Words of `text` in lines of at most `width` characters (a longer word on a line of its own). */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) (lines.push(line), (line = word));
    else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * Columns as wide as their widest cell: numbers (amounts, rates, counts) right-aligned, the rest
 * left. A text last column wraps onto continuation lines so that no line passes WIDTH.
 */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === '' || r[i] === 'n/a' || NUMBER.test(r[i])));
  const last = header.length - 1;
  const indent = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  if (!numeric[last] && indent + widths[last] > WIDTH) widths[last] = Math.max(header[last].length, WIDTH - indent);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const row = (cells: string[]): string[] => {
    const [first, ...more] = numeric[last] ? [cells[last]] : wrap(cells[last], widths[last]);
    return [line([...cells.slice(0, last), first]), ...more.map((text) => `${' '.repeat(indent)}${text}`)];
  };
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.flatMap(row)];
}

/** An ownership fraction ("0.4464979152") as a percentage, exactly ("44.64979152%"): the one unit the CLI shows it in. */
export function percent(fraction: string): string {
  const [whole, decimals = ''] = fraction.split('.');
  const digits = `${whole}${decimals.padEnd(2, '0')}`;
  const point = whole.length + 2;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point);
  return `${integer}${rest ? `.${rest}` : ''}%`;
}

/** Amounts with thousands separators: for reading, not for parsing (use --json). */
export const money = (s: string | null) => (s === null ? 'n/a' : s.replace(/\B(?=(\d{3})+(?!\d))/g, ','));

type Values = Record<string, string | boolean | undefined>;

/** --fund, or the store's one fund when it holds only one (a usage error listing them otherwise). */
export async function fundOf(values: Values, { queries }: Pick<CliContext, 'queries'>): Promise<string> {
  if (typeof values.fund === 'string') return values.fund;
  const funds = await queries.funds();
  if (funds.length === 1) return funds[0].fundId;
  if (funds.length === 0) throw new UsageError("the store holds no fund yet: load one with 'fundsim demo' or 'fundsim apply <scenario.json>'");
  throw new UsageError(`--fund is needed: the store holds ${funds.length} funds (${funds.map((f) => f.fundId).join(', ')})`);
}

/**
 * A date option, or the fund's latest effective date in the books when it is left out, said in a
 * line before the output (on stderr when the output is JSON or CSV, which a program reads).
 */
export async function dateOf(values: Values, option: string, fund: string, ctx: Pick<CliContext, 'queries' | 'out' | 'err'>): Promise<string> {
  const given = values[option];
  const latest = await ctx.queries.latestDate(fund);
  if (typeof given === 'string') {
    // A date past the books' last event reads the books as they stand then: said, on stderr, so the output stays the figures'.
    if (given > latest) ctx.err(`(--${option} ${given} is after the latest date in the books of ${fund}, ${latest}: nothing is recorded after it)`);
    return given;
  }
  (values.json || values.csv ? ctx.err : ctx.out)(`(--${option} ${latest}: the latest date in the books of ${fund}; give --${option} for another)`);
  return latest;
}

/** --fund and --as-of of every replay command, each defaulted as above. */
export async function fundAndDate(values: Values, ctx: Pick<CliContext, 'queries' | 'out' | 'err'>): Promise<{ fund: string; asOf: string; knownAt?: string }> {
  const fund = await fundOf(values, ctx);
  const asOf = await dateOf(values, 'as-of', fund, ctx);
  return { fund, asOf, knownAt: typeof values['known-at'] === 'string' ? values['known-at'] : undefined };
}

export const REPLAY_OPTIONS: Record<string, OptionSpec> = {
  fund: { type: 'string', value: 'F', description: "fund id (the store's one fund when left out)" },
  'as-of': { type: 'string', value: 'DATE', description: "the books' date (effective date; the books' latest when left out)" },
  'known-at': { type: 'string', value: 'T', description: 'as the books stood then (date or ISO timestamp), before later corrections' },
};
