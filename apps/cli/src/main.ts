import 'reflect-metadata';
import {
  ApplicationModule,
  AuditService,
  DemoService,
  EVENT_STORE,
  EventLogService,
  FundQueryService,
  FundSimulationService,
  KeyService,
  ScenarioService,
  SimulationService,
} from '@fundsim/application';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NOT_FOUND_CODES, Rejection } from '@fundsim/domain';
import { ACCEPTED_STORE_FORMS, EventStoreError, parseStoreLocation, type EventStore } from '@fundsim/event-store';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, WIDTH, wrap, type CliContext, type Command } from './command';
import { applyCommand } from './commands/apply.command';
import { auditCommand } from './commands/audit.command';
import { balanceSheetCommand } from './commands/balance-sheet.command';
import { copyCommand } from './commands/copy.command';
import { demoCommand } from './commands/demo.command';
import { eventsCommand } from './commands/events.command';
import { keysCommand } from './commands/keys.command';
import { lpCommand, performanceCommand, registerCommand } from './commands/replay.commands';
import { ilpaStatementCommand } from './commands/ilpa-statement.command';
import { transactionsCommand } from './commands/transactions.command';
import { noticeCommand } from './commands/notice.command';
import { serveCommand } from './commands/serve.command';
import { simulateCommand } from './commands/simulate.command';
import { simulateFundCommand } from './commands/simulate-fund.command';
import { verifyCommand } from './commands/verify.command';
import { revenueCommand, waterfallCommand } from './commands/waterfall.commands';

const COMMANDS: Command[] = [
  demoCommand,
  applyCommand,
  simulateCommand,
  simulateFundCommand,
  balanceSheetCommand,
  lpCommand,
  ilpaStatementCommand,
  transactionsCommand,
  noticeCommand,
  registerCommand,
  performanceCommand,
  waterfallCommand,
  revenueCommand,
  auditCommand,
  eventsCommand,
  verifyCommand,
  copyCommand,
  keysCommand,
  serveCommand,
];

const GLOBAL_OPTIONS = {
  store: { type: 'string' as const, value: 'URL', description: 'event store to use (overrides $FUNDSIM_STORE)' },
  help: { type: 'boolean' as const, description: 'show help' },
};

function optionLines(options: Command['options']): string[] {
  return Object.entries(options).map(([name, o]) => `  --${name}${o.value ? ` ${o.value}` : ''}`.padEnd(26) + o.description);
}

function mainHelp(): string {
  return [
    'fundsim: an event-sourced simulator of a U.S.-Japan sovereign-style fund and its retail LPs',
    '',
    'Usage: fundsim <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(Math.max(...COMMANDS.map((d) => d.name.length)) + 2)}${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Stores ($FUNDSIM_STORE or --store):',
    ...ACCEPTED_STORE_FORMS.map((f) => `  ${f}`),
    '',
    "Run 'fundsim <command> --help' for a command's options.",
  ].join('\n');
}

/** What `fundsim` alone prints: the three jobs, each in a command or two that work as they are on the demo. */
const GUIDE = [
  'fundsim: an event-sourced simulator of a U.S.-Japan sovereign-style fund and its retail LPs',
  '',
  'Load the demo fund (ten years, 3,000 retail LPs) into ./data/fundsim.db:  fundsim demo',
  '',
  "Then the three jobs (--fund is the store's one fund, dates the books' latest, unless you say):",
  '  Simulate a retail LP commitment   fundsim simulate --amount 1500000 --currency JPY --date 2026-12-31',
  '  Replay the books to a date        fundsim balance-sheet --as-of 2030-12-31',
  '                                    fundsim lp retail-jp-000001',
  '  Audit the allocation log          fundsim audit allocations',
  '                                    fundsim audit verify',
  '',
  "'fundsim --help' lists every command; 'fundsim <command> --help' shows its options.",
].join('\n');

function commandHelp(c: Command): string {
  const [first, ...rest] = wrap(`Usage: ${c.usage}`, WIDTH);
  const usage = [
    first,
    ...wrap(rest.join(' '), WIDTH - 7)
      .filter(Boolean)
      .map((line) => `       ${line}`),
  ];
  return [c.summary, '', ...usage, '', 'Options:', ...optionLines(c.options), ...optionLines(GLOBAL_OPTIONS)].join('\n');
}

/** Exit codes: what a script can tell apart. */
export const EXIT = { ok: 0, refused: 1, usage: 2, internal: 3 } as const;

/** The version in the project's package.json (found from the source or the build). */
function version(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'fundsim') return pkg.version ?? 'unknown';
    }
  }
  return 'unknown';
}

/** The closest known name, for "did you mean". */
function closest(name: string, known: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = known.map((k) => [k, distance(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(1, Math.floor(name.length / 3)) ? best[0] : undefined;
}

/** `--amount -10`: a negative number is the option's value, not an option (parseArgs would refuse it). */
function withNegativeValues(args: string[], options: Command['options']): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = /^--([\w-]+)$/.exec(args[i])?.[1];
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) out.push(`--${name}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

export async function runCli(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  let [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`fundsim ${version()}`);
    return EXIT.ok;
  }
  if (name === 'help' && rest.length > 0) [name, rest] = [rest[0], ['--help']];
  if (name === undefined) {
    io.out(GUIDE);
    return EXIT.ok;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.out(mainHelp());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const guess = closest(
      name,
      COMMANDS.map((c) => c.name),
    );
    io.err(`fundsim: unknown command '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}; 'fundsim --help' lists them`);
    return EXIT.usage;
  }
  const allOptions = { ...command.options, ...GLOBAL_OPTIONS };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(Object.entries(allOptions).map(([k, o]) => [k, { type: o.type }]));
    parsed = parseArgs({ args: withNegativeValues(rest, allOptions), options, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = /Unknown option '--?([^']+)'/.exec((error as Error).message)?.[1];
    const guess = unknown && closest(unknown, Object.keys(allOptions));
    const message = unknown ? `unknown option '--${unknown}'${guess ? ` (did you mean '--${guess}'?)` : ''}` : (error as Error).message.split('\n')[0];
    io.err(`fundsim ${command.name}: ${message}; 'fundsim help ${command.name}' shows its options`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  for (const group of command.exclusive ?? []) {
    const given = group.filter((o) => parsed.values[o] !== undefined);
    if (given.length > 1) {
      io.err(`fundsim ${command.name}: ${given.map((o) => `--${o}`).join(' and ')} cannot be given together`);
      return EXIT.usage;
    }
  }
  if (typeof parsed.values.store === 'string') process.env.FUNDSIM_STORE = parsed.values.store;

  let app: INestApplicationContext | undefined;
  let store: EventStore | undefined;
  try {
    if (command.needsStore === false)
      return await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals, {} as CliContext);
    const location = parseStoreLocation(process.env.FUNDSIM_STORE);
    // A read never creates a store: it names the file it did not find.
    if (location.kind === 'sqlite' && !command.writes && location.path !== ':memory:' && !existsSync(location.path)) {
      throw new UsageError(
        `no store at ${location.path} (from ${process.env.FUNDSIM_STORE ? 'FUNDSIM_STORE or --store' : 'the default'}); load one with 'fundsim demo', or point --store at yours`,
      );
    }
    // The same composition root as the API: the application module, over the configured store.
    app = await NestFactory.createApplicationContext(ApplicationModule, { logger: false, abortOnError: false });
    store = app.get<EventStore>(EVENT_STORE);
    const ctx: CliContext = {
      store,
      log: app.get(EventLogService),
      queries: app.get(FundQueryService),
      audit: app.get(AuditService),
      simulation: app.get(SimulationService),
      fundSimulation: app.get(FundSimulationService),
      scenarios: app.get(ScenarioService),
      demo: app.get(DemoService),
      keys: app.get(KeyService),
      ...io,
    };
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals, ctx);
  } catch (error) {
    // What a user can cause gets one line: the rules refused it (1), or bad usage or nothing
    // there (2). Anything else is a bug (3), with its stack.
    if (error instanceof Rejection) {
      io.err(`fundsim: ${error.message}${store ? ` (store ${store.description})` : ''}`);
      return NOT_FOUND_CODES.has(error.code) ? EXIT.usage : EXIT.refused;
    }
    if (error instanceof UsageError || error instanceof EventStoreError) {
      io.err(`fundsim: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    // Closes the store and stops the simulation workers.
    await app?.close();
  }
}

/** Exits once everything written to stdout and stderr has been flushed: a pipe gets all of it. */
async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}

if (require.main === module || process.env.FUNDSIM_CLI_MAIN === '1') {
  // A reader that stops early (`| head`) closes the pipe: the output it wanted was written, so stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  runCli(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) })
    .then((code) => exitAfterFlush(code))
    .catch((error: unknown) => {
      console.error(error);
      return exitAfterFlush(EXIT.internal);
    });
}
