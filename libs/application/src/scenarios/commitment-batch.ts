import { Injectable } from '@nestjs/common';
import { COMMANDS, isIsoDate, Rejection, type AnyCommand, type ActorRole } from '@fundsim/domain';
import { createHash } from 'node:crypto';
import { ScenarioService } from './scenario';

/** One row of a platform's file of commitments, as its columns name them (any field may be missing: the row is then refused). */
export interface CommitmentRow {
  lpId?: string;
  kind?: string;
  country?: string;
  amount?: string;
  currency?: string;
  effectiveDate?: string;
}

/** What became of one row: accepted (with its USD equivalent at the rate of its date), or refused with the rule's code. */
export interface CommitmentRowResult {
  /** 1 for the first row after the header. */
  row: number;
  lpId: string | null;
  ok: boolean;
  /** The rule that refused it (`VALIDATION_FAILED` for a malformed field, else the domain's code), null when accepted. */
  code: string | null;
  message: string | null;
  /** The field at fault, when one is. */
  field: string | null;
  amountUsd: string | null;
}

export interface CommitmentBatchResult {
  fundId: string;
  /** A preview decides every row against the books and writes nothing. */
  preview: boolean;
  written: boolean;
  accepted: number;
  refused: number;
  /** The accepted rows' USD equivalents, summed. */
  totalUsd: string;
  rows: CommitmentRowResult[];
  /** The log positions written (null unless written). */
  fromPosition: number | null;
  toPosition: number | null;
}

/** A batch with a refused row: nothing was written. */
export class CommitmentBatchRefused extends Error {
  readonly code = 'BATCH_REFUSED';
  constructor(readonly result: CommitmentBatchResult) {
    super(`${result.refused} of ${result.rows.length} rows refused (first: row ${result.rows.find((r) => !r.ok)?.row}); nothing was written`);
  }
}

/** Rows a file may hold: 500 rows of commitments stay within the API's 100 kB body limit. */
export const MAX_BATCH_ROWS = 500;
const FIELDS = ['lpId', 'kind', 'country', 'amount', 'currency', 'effectiveDate'] as const;

/** A row's fields checked against the command catalog's grammar for CommitCapital: the first fault, or none. */
function malformed(row: CommitmentRow): { field: string; reason: string } | undefined {
  const data = COMMANDS.CommitCapital.data as Record<string, { pattern?: RegExp; reason?: string; values?: readonly string[] }>;
  const unknown = Object.keys(row).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) return { field: unknown, reason: `is not a field of a commitment (${FIELDS.join(', ')})` };
  for (const field of FIELDS) {
    const value = row[field];
    if (value === undefined || value === '') return { field, reason: 'is missing' };
    if (typeof value !== 'string') return { field, reason: 'must be a string' };
    if (field === 'effectiveDate') {
      if (!isIsoDate(value)) return { field, reason: 'must be a date YYYY-MM-DD' };
      continue;
    }
    const rule = data[field];
    if (rule?.values && !rule.values.includes(value)) return { field, reason: `must be one of ${rule.values.join(', ')}` };
    if (rule?.pattern && !rule.pattern.test(value)) return { field, reason: rule.reason ?? 'is malformed' };
  }
  return undefined;
}

/**
 * A platform's file of commitments, decided as one scenario: every row checked (its fields by the
 * catalog's grammar, then the fund's rules by the deciders, against the books and the rows before
 * it) and reported row by row; written all together only when every row passes and it is not a
 * preview, else nothing is written. Each row's command id comes from the file's content, so
 * submitting the same file twice books it once.
 */
@Injectable()
export class CommitmentBatchService {
  constructor(private readonly scenarios: ScenarioService) {}

  async submit(fundId: string, actor: { subject: string; role: ActorRole }, rows: readonly CommitmentRow[], preview: boolean): Promise<CommitmentBatchResult> {
    const digest = createHash('sha256')
      .update(JSON.stringify([fundId, rows]))
      .digest('hex');
    const results: CommitmentRowResult[] = [];
    const decide = async (run: (command: AnyCommand) => Promise<{ events: readonly { type: string; data: unknown }[] }>) => {
      for (const [i, row] of rows.entries()) {
        const base = { row: i + 1, lpId: typeof row.lpId === 'string' ? row.lpId : null };
        const fault = malformed(row);
        if (fault) {
          results.push({ ...base, ok: false, code: 'VALIDATION_FAILED', message: `${fault.field} ${fault.reason}`, field: fault.field, amountUsd: null });
          continue;
        }
        const command = {
          type: 'CommitCapital',
          data: { fundId, lpId: row.lpId, kind: row.kind, country: row.country, amount: row.amount, currency: row.currency },
          metadata: {
            actor: actor.subject,
            role: actor.role,
            effectiveDate: row.effectiveDate,
            commandId: `${actor.subject}:batch-${digest.slice(0, 16)}-${i}`,
          },
        } as AnyCommand;
        try {
          const result = await run(command);
          const committed = result.events.find((e) => e.type === 'CapitalCommitted')?.data as { amountUsd?: string } | undefined;
          results.push({ ...base, ok: true, code: null, message: null, field: null, amountUsd: committed?.amountUsd ?? null });
        } catch (error) {
          if (!(error instanceof Rejection)) throw error;
          results.push({ ...base, ok: false, code: error.code, message: error.message, field: null, amountUsd: null });
        }
      }
      // A preview, or a refused row: nothing of the sandbox is written.
      if (preview || results.some((r) => !r.ok)) throw new NothingWritten();
    };
    let written: { fromPosition?: number; toPosition?: number } | undefined;
    try {
      written = (await this.scenarios.inSandbox(fundId, { importedBy: actor.subject, digest }, decide)).written;
    } catch (error) {
      if (!(error instanceof NothingWritten)) throw error;
    }
    const accepted = results.filter((r) => r.ok);
    const totalCents = accepted.reduce((sum, r) => sum + BigInt((r.amountUsd ?? '0').replace('.', '')), 0n);
    const result: CommitmentBatchResult = {
      fundId,
      preview,
      written: written !== undefined,
      accepted: accepted.length,
      refused: results.length - accepted.length,
      totalUsd: `${totalCents / 100n}.${String(totalCents % 100n).padStart(2, '0')}`,
      rows: results,
      fromPosition: written?.fromPosition ?? null,
      toPosition: written?.toPosition ?? null,
    };
    if (!preview && result.refused > 0) throw new CommitmentBatchRefused(result);
    return result;
  }
}

/** Thrown out of the sandbox so that it writes nothing. */
class NothingWritten extends Error {}
