import { Injectable } from '@nestjs/common';
import { reject, type RecordedFundEvent } from '@fundsim/domain';
import type { EventStore, VerifyResult } from '@fundsim/event-store';
import {
  allocationTrails,
  complianceReport,
  exportEvents,
  exportTrails,
  pendingApprovals,
  type AllocationTrail,
  type ComplianceReport,
  type ExportFormat,
  type ExportedEvent,
  type PendingApprovals,
} from '@fundsim/projections';
import { InjectEventStore } from '../event-store.provider';
import { decodeStored, type ScenarioImported } from './event-codec';
import { asRecorded } from './fund-log';
import { fundStream, importsStream, isFundStream } from '../streams';

export type AllocationSummary = Omit<AllocationTrail, 'lines'> & { lines: number; corrections: number };

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl'];
export const EXPORT_SUBJECTS = ['events', 'trails'] as const;
export type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

/** The auditor's job: allocation trails, policy compliance at every step, the chain, exports. */
@Injectable()
export class AuditService {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async allocations(fundId: string): Promise<AllocationSummary[]> {
    return (await this.trails(fundId)).map(({ lines, ...t }) => ({
      ...t,
      lines: lines.length,
      corrections: lines.reduce((n, l) => n + l.corrections.length, 0),
    }));
  }

  async trail(fundId: string, allocationId: string): Promise<AllocationTrail> {
    const trail = (await this.trails(fundId)).find((t) => t.allocationId === allocationId);
    return trail ?? reject('UNKNOWN_ALLOCATION', `Fund ${fundId} has no allocation ${JSON.stringify(allocationId)}`);
  }

  /** What awaits the managers: allocations and reversals proposed and not yet decided. */
  async approvals(fundId: string): Promise<PendingApprovals> {
    return pendingApprovals(fundId, await this.history(fundId));
  }

  async compliance(fundId: string): Promise<ComplianceReport> {
    return complianceReport(fundId, await this.history(fundId));
  }

  /** The whole log's chain (the fund's events are links of it), with progress for long walks. */
  async verify(fundId: string, onProgress?: (checked: number) => void): Promise<VerifyResult & { fundId: string }> {
    await this.requireFund(fundId);
    return { fundId, ...(await this.store.verify({ onProgress })) };
  }

  /** The fund's events (its stream and its LPs'), or its allocation trails, streamed as CSV or JSON lines. */
  async export(fundId: string, format: ExportFormat, subject: ExportSubject = 'events'): Promise<AsyncIterable<string>> {
    if (!EXPORT_FORMATS.includes(format)) reject('INVALID_FORMAT', `format must be csv or jsonl, got ${JSON.stringify(format)}`);
    if (!EXPORT_SUBJECTS.includes(subject)) reject('INVALID_FORMAT', `export events or trails, got ${JSON.stringify(subject)}`);
    if (subject === 'trails') return toAsync(exportTrails(await this.trails(fundId), format));
    await this.requireFund(fundId);
    return exportEvents(this.fundEvents(fundId), format);
  }

  private async *fundEvents(fundId: string): AsyncGenerator<ExportedEvent> {
    for await (const event of this.store.readAll({ streamPrefix: fundStream(fundId) })) if (isFundStream(fundId, event.stream)) yield event;
  }

  private async trails(fundId: string): Promise<AllocationTrail[]> {
    const trails = allocationTrails(await this.history(fundId));
    const imports = await this.imports(fundId);
    if (imports.length > 0) {
      for (const line of trails.flatMap((t) => t.lines))
        line.importedBy = imports.find((i) => line.position >= i.fromPosition && line.position <= i.toPosition)?.importedBy;
    }
    return trails;
  }

  /** The scenario files imported into the fund: who, and the positions their events took. */
  private async imports(fundId: string): Promise<{ importedBy: string; fromPosition: number; toPosition: number }[]> {
    const imports: { importedBy: string; fromPosition: number; toPosition: number }[] = [];
    if ((await this.store.streamRevision(importsStream(fundId))) === undefined) return imports;
    for await (const event of this.store.readStream(importsStream(fundId))) imports.push(decodeStored<ScenarioImported>(event));
    return imports;
  }

  /** The fund's own stream (not its LPs'): what trails and compliance are made of. */
  private async history(fundId: string): Promise<RecordedFundEvent[]> {
    await this.requireFund(fundId);
    const history: RecordedFundEvent[] = [];
    for await (const event of this.store.readStream(fundStream(fundId))) history.push(asRecorded(event));
    return history;
  }

  private async requireFund(fundId: string): Promise<void> {
    if ((await this.store.streamRevision(fundStream(fundId))) === undefined) reject('FUND_NOT_ESTABLISHED', `There is no fund ${JSON.stringify(fundId)}`);
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
