import { osPrincipal, ScenarioConflictError, ScenarioFormatError, ScenarioPartlyWrittenError, ScenarioRejectedError } from '@fundsim/application';
import { readFileSync } from 'node:fs';
import { UsageError, type Command } from '../command';

export const applyCommand: Command = {
  name: 'apply',
  writes: true,
  summary: 'Apply a scenario file: decide every command first, then write them (all or nothing on SQLite)',
  usage: 'fundsim apply <scenario.json> [--json]',
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run(values, positionals, { scenarios, out, err }) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('apply takes one scenario file');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      const result = await scenarios.apply(
        text,
        (done, total) => {
          if (total >= 100 && (done % 100 === 0 || done === total)) err(`decided ${done}/${total} commands...`);
        },
        { importedBy: osPrincipal() },
      );
      if (values.json) out(JSON.stringify(result, null, 2));
      else if (result.eventsWritten === 0) out(`Nothing new: all ${result.commands} commands of ${file} were already recorded.`);
      else
        out(
          `Applied ${result.commands} commands of ${file} to fund ${result.fundId}: ${result.eventsWritten} events written (positions ${result.fromPosition}-${result.toPosition}).`,
        );
      return 0;
    } catch (error) {
      if (error instanceof ScenarioRejectedError) {
        if (values.json) out(JSON.stringify({ index: error.index, type: error.type, code: error.code, message: error.rejection.message, written: 0 }, null, 2));
        else err(error.message);
        return 1;
      }
      if (error instanceof ScenarioFormatError) throw new UsageError(error.message);
      if (error instanceof ScenarioConflictError || error instanceof ScenarioPartlyWrittenError) {
        err(error.message);
        return 1;
      }
      throw error;
    }
  },
};
