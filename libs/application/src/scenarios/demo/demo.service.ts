import { Injectable } from '@nestjs/common';
import { reject } from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import { MemoryEventStore } from '@fundsim/event-store';
import { InjectEventStore } from '../../event-store.provider';
import { ScenarioService, type ScenarioCommand, type ScenarioFile, type ScenarioResult } from '../scenario';
import { fundStream } from '../../streams';
import { buildUsJapanDemo, DEMO_FUND, type DemoOptions } from './us-japan-fund';

/** The store already holds the demo fund: loading it again would mix two histories. */
export class DemoExistsError extends Error {
  readonly code = 'DEMO_EXISTS';
  constructor(description: string) {
    super(`${description} already holds a fund "${DEMO_FUND}": the demo loads only into a store without one (use another --store, or remove the file)`);
  }
}

export const MAX_DEMO_RETAIL_LPS = 1_000_000;

/** Loads the U.S.-Japan demo fund into the configured store, all or nothing. */
@Injectable()
export class DemoService {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly scenarios: ScenarioService,
  ) {}

  async load(options: DemoOptions = {}, onProgress?: (done: number, total: number) => void): Promise<ScenarioResult & { retailLps: number }> {
    checkOptions(options);
    if ((await this.store.streamRevision(fundStream(DEMO_FUND))) !== undefined) throw new DemoExistsError(this.store.description);
    const { value, written } = await this.scenarios.inSandbox(DEMO_FUND, undefined, (run) => buildUsJapanDemo(run, options, onProgress));
    return { fundId: DEMO_FUND, commands: value, ...written, retailLps: options.retailLps ?? 3000 };
  }

  /** The demo as a scenario file (each command with its recorded-at time), without touching any store. */
  async scenarioFile(options: DemoOptions = {}, onProgress?: (done: number, total: number) => void): Promise<ScenarioFile> {
    checkOptions(options);
    const commands: ScenarioCommand[] = [];
    await new ScenarioService(new MemoryEventStore()).inSandbox(DEMO_FUND, undefined, (run) =>
      buildUsJapanDemo((command) => (commands.push(command), run(command)), options, onProgress),
    );
    return { fundId: DEMO_FUND, commands: commands.map(toEntry) };
  }
}

function checkOptions(options: DemoOptions): void {
  const n = options.retailLps ?? 3000;
  if (!Number.isInteger(n) || n < 0 || n > MAX_DEMO_RETAIL_LPS)
    reject('INVALID_PARAMETER', `retail LPs must be an integer from 0 to ${MAX_DEMO_RETAIL_LPS.toLocaleString('en-US')}, got ${n}`);
  if (options.seed !== undefined && (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 2 ** 32 - 1))
    reject('INVALID_PARAMETER', `seed must be an integer from 0 to 4294967295, got ${options.seed}`);
}

/** A command as a scenario file entry: type, metadata, then its data fields. */
function toEntry(command: ScenarioCommand): Record<string, unknown> {
  const { fundId: _fundId, ...data } = command.data as Record<string, unknown>;
  return {
    type: command.type,
    effectiveDate: command.metadata.effectiveDate,
    actor: command.metadata.actor,
    commandId: command.metadata.commandId,
    recordedAt: command.recordedAt,
    ...data,
  };
}
