import 'reflect-metadata';
import { AuditService, DemoService, EventLogService, FundQueryService, KeyService, ScenarioService, SimulationService } from '@fundsim/application';
import { Rejection } from '@fundsim/domain';
import { ACCEPTED_STORE_FORMS, EventStoreError, openEventStore, type EventStore } from '@fundsim/event-store';
import { parseArgs } from 'node:util';
import { UsageError, type CliContext, type Command } from './command';
import { applyCommand } from './commands/apply.command';
import { auditCommand } from './commands/audit.command';
import { balanceSheetCommand } from './commands/balance-sheet.command';
import { demoCommand } from './commands/demo.command';
import { eventsCommand } from './commands/events.command';
import { keysCommand } from './commands/keys.command';
import { lpCommand, performanceCommand, registerCommand } from './commands/replay.commands';
import { serveCommand } from './commands/serve.command';
import { simulateCommand } from './commands/simulate.command';
import { verifyCommand } from './commands/verify.command';

const COMMANDS: Command[] = [demoCommand, applyCommand, simulateCommand, balanceSheetCommand, lpCommand, registerCommand, performanceCommand, auditCommand, eventsCommand, verifyCommand, keysCommand, serveCommand];

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
    ...COMMANDS.map((c) => `  ${c.name.padEnd(15)}${c.summary}`),
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

function commandHelp(c: Command): string {
  return [c.summary, '', `Usage: ${c.usage}`, '', 'Options:', ...optionLines(c.options), ...optionLines(GLOBAL_OPTIONS)].join('\n');
}

export async function runCli(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command '${name}'.\n\n${mainHelp()}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(Object.entries({ ...command.options, ...GLOBAL_OPTIONS }).map(([k, o]) => [k, { type: o.type }]));
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${commandHelp(command)}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(commandHelp(command));
    return 0;
  }
  if (typeof parsed.values.store === 'string') process.env.FUNDSIM_STORE = parsed.values.store;

  let store: EventStore | undefined;
  try {
    store = command.needsStore === false ? undefined : openEventStore(process.env.FUNDSIM_STORE);
    const queries = new FundQueryService(store!);
    const scenarios = new ScenarioService(store!);
    const ctx: CliContext = {
      log: new EventLogService(store!),
      queries,
      audit: new AuditService(store!),
      simulation: new SimulationService(store!, queries),
      scenarios,
      demo: new DemoService(store!, scenarios),
      keys: new KeyService(store!),
      ...io,
    };
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals, ctx);
  } catch (error) {
    // What a user can cause gets one line and exit code 2; anything else is a bug (exit 1).
    if (error instanceof UsageError || error instanceof EventStoreError || error instanceof Rejection) {
      io.err(`fundsim: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

if (require.main === module || process.env.FUNDSIM_CLI_MAIN === '1') {
  runCli(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) })
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
