import { DEMO_FUND, DemoExistsError, ScenarioFormatError, ScenarioPartlyWrittenError } from '@fundsim/application';
import { writeFileSync } from 'node:fs';
import { parseNonNegativeInt, UsageError, type Command } from '../command';

export const demoCommand: Command = {
  name: 'demo',
  writes: true,
  summary: `Load the U.S.-Japan demo fund ("${DEMO_FUND}", ten years) into the store, or write it as a scenario file`,
  usage: 'fundsim demo [--retail-lps N] [--seed S] [--write FILE] [--json]',
  options: {
    'retail-lps': { type: 'string', value: 'N', description: 'retail LPs, half in USD and half in JPY (default 3,000)' },
    seed: { type: 'string', value: 'S', description: 'seed of the generated history (default 2025)' },
    write: { type: 'string', value: 'FILE', description: 'write the demo as a scenario file instead of loading it' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(values, _positionals, { demo, out, err }) {
    const options = { retailLps: parseNonNegativeInt(values['retail-lps'], 'retail-lps'), seed: parseNonNegativeInt(values.seed, 'seed') };
    let reported = 0;
    const progress = (done: number, total: number) => {
      const tenth = Math.floor((done * 10) / total);
      if (tenth > reported) {
        reported = tenth;
        err(`building the demo: ${tenth * 10}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} steps)`);
      }
    };
    if (typeof values.write === 'string') {
      const file = await demo.scenarioFile(options, progress);
      writeFileSync(values.write, JSON.stringify(file, null, 1) + '\n');
      out(`Wrote ${file.commands.length} commands of fund ${file.fundId} to ${values.write} (apply it with: fundsim apply ${values.write})`);
      return 0;
    }
    try {
      const result = await demo.load(options, progress);
      if (values.json) out(JSON.stringify(result, null, 2));
      else
        out(
          `Loaded the demo fund ${result.fundId}: ${result.commands} commands, ${result.eventsWritten} events (positions ${result.fromPosition}-${result.toPosition}), ${result.retailLps} retail LPs.`,
        );
      return 0;
    } catch (error) {
      if (error instanceof DemoExistsError || error instanceof ScenarioFormatError) throw new UsageError(error.message);
      if (error instanceof ScenarioPartlyWrittenError) {
        err(error.message);
        return 1;
      }
      throw error;
    }
  },
};
