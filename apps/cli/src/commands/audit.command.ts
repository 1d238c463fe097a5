import { EXPORT_FORMATS, EXPORT_SUBJECTS, type AllocationSummary, type ExportSubject } from '@fundsim/application';
import type { AllocationTrail, ComplianceReport, ExportFormat } from '@fundsim/projections';
import { fundOf, money, REPLAY_OPTIONS, table, UsageError, WIDTH, wrap, type CliContext, type Command } from '../command';
import { renderVerify } from './verify.command';

const SUBCOMMANDS = ['allocations', 'trail', 'compliance', 'verify', 'export'] as const;

function renderAllocations(fund: string, list: AllocationSummary[]): string[] {
  return [
    `Allocations of fund ${fund}: ${list.length} (approvals in order, the proposer's first; sectors and trail lines: --json)`,
    '',
    ...table(
      ['ALLOCATION', 'PROJECT', 'AMOUNT', 'STATUS', 'APPROVED BY', 'FUNDED', 'CORRECTIONS'],
      list.map((a) => [a.allocationId, a.projectId, money(a.amount), a.status, a.approvedBy.join('+'), money(a.funded), String(a.corrections)]),
    ),
  ];
}

/** The figures that tell the story of each line, by event type. */
function details(type: string, d: Record<string, unknown>): string {
  const f = (k: string) => (typeof d[k] === 'string' && /^-?\d+(\.\d+)?$/.test(d[k] as string) ? money(d[k] as string) : String(d[k] ?? ''));
  switch (type) {
    case 'AllocationProposed':
      return `${f('amount')} to ${f('projectId')}`;
    case 'AllocationApproved':
      return `approvals now: ${(d.approvals as string[]).join(', ')}`;
    case 'AllocationRejected':
      return `reason: ${f('reason')}`;
    case 'AllocationCommitted':
      return `${f('amount')} binding; ${f('projectId')} committed ${f('projectCommittedAfter')} of a ${f('concentrationLimitAmount')} limit`;
    case 'ProjectFunded':
      return `${f('amount')} paid; cash before ${f('cashBefore')}, allocation left ${f('allocationLeftAfter')}`;
    case 'ProjectValued':
      return `fair value ${f('fairValue')}`;
    case 'ProceedsReceived':
      return `${f('kind')} ${f('amount')}`;
    default:
      return '';
  }
}

function renderTrail(t: AllocationTrail): string[] {
  const lines = [
    `Allocation ${t.allocationId}: ${money(t.amount)} USD to ${t.projectName} (${t.projectId}, ${t.sector})`,
    `Status ${t.status}; proposed by ${t.proposedBy}; approved by ${t.approvedBy.join(', ')}; funded ${money(t.funded)}`,
    'Each line by its log position (event ids and all the data: --json)',
  ];
  const rows: string[][] = [];
  for (const l of t.lines) {
    rows.push([String(l.position), l.effectiveDate, l.recordedAt, l.importedBy ? `${l.actor}*` : l.actor, l.type, details(l.type, l.data)]);
    for (const c of l.corrections) {
      const what = c.replacedBy
        ? `replaced (${c.changed.map((x) => `${x.field} ${JSON.stringify(x.from)} -> ${JSON.stringify(x.to)}`).join('; ')})`
        : 'reversed';
      rows.push([String(c.position), '', c.recordedAt, c.actor, '  correction', `${what}: ${c.reason}`]);
    }
  }
  const importers = [...new Set(t.lines.flatMap((l) => (l.importedBy ? [l.importedBy] : [])))];
  if (importers.length) lines.push(`* from a scenario file imported by ${importers.join(', ')}${importers.length > 1 ? ' (which line by whom: --json)' : ''}`);
  return [...lines, '', ...table(['POSITION', 'EFFECTIVE', 'RECORDED AT', 'ACTOR', 'EVENT', 'DETAILS'], rows)];
}

function renderCompliance(r: ComplianceReport): string[] {
  const out = [
    `Compliance of fund ${r.fundId}: ${r.checkedEvents} events checked, ${r.breaches} breach${r.breaches === 1 ? '' : 'es'}`,
    '(allocation commitments, fundings, leverage draws, and payments: distributions, fees, expenses, interest, repayments)',
    '',
  ];
  out.push(
    ...table(
      ['POSITION', 'EFFECTIVE', 'EVENT', 'SUBJECT', 'AMOUNT', 'RESULT'],
      r.entries.map((e) => [
        String(e.position),
        e.effectiveDate,
        e.type,
        e.subject,
        money(e.amount),
        `${e.ok ? 'ok' : 'BREACH'}${e.reversedBy ? ' (reversed later)' : ''}`,
      ]),
    ),
  );
  for (const e of r.entries.filter((x) => !x.ok)) {
    out.push('', ...wrap(`BREACH at position ${e.position} (${e.type} ${e.subject}, ${e.effectiveDate}, by ${e.actor}, event ${e.eventId}):`, WIDTH));
    for (const c of e.checks.filter((x) => !x.ok)) {
      out.push(...wrap(`${c.rule}: ${c.message}`, WIDTH - 2).map((l) => `  ${l}`));
      out.push(
        ...wrap(
          Object.entries(c.figures)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
          WIDTH - 4,
        ).map((l) => `    ${l}`),
      );
    }
  }
  return out;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Audit a fund: allocation trails, policy compliance at every step, the hash chain, exports',
  usage: 'fundsim audit allocations|trail <allocationId>|compliance|verify|export [--fund F] [--format csv|jsonl] [--what events|trails] [--json]',
  options: {
    fund: REPLAY_OPTIONS.fund,
    format: { type: 'string', value: 'FMT', description: 'export: csv or jsonl (default jsonl)' },
    what: { type: 'string', value: 'WHAT', description: 'export: events (default) or trails' },
    json: { type: 'boolean', description: 'print as JSON (allocations, trail, compliance, verify)' },
  },
  async run(values, positionals, ctx) {
    const [sub, ...rest] = positionals;
    if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number])) throw new UsageError(`Name what to audit: ${SUBCOMMANDS.join(', ')}`);
    return run(sub as (typeof SUBCOMMANDS)[number], await fundOf(values, ctx), rest, values, ctx);
  },
};

async function run(
  sub: (typeof SUBCOMMANDS)[number],
  fund: string,
  rest: string[],
  values: Record<string, string | boolean | undefined>,
  { audit, out, err }: CliContext,
): Promise<number> {
  const print = <T>(value: T, render: (v: T) => string[]) => (values.json ? out(JSON.stringify(value, null, 2)) : render(value).forEach(out));
  switch (sub) {
    case 'allocations':
      print(await audit.allocations(fund), (list) => renderAllocations(fund, list));
      return 0;
    case 'trail': {
      if (rest.length !== 1) throw new UsageError('Name one allocation: fundsim audit trail <allocationId> --fund F');
      print(await audit.trail(fund, rest[0]), renderTrail);
      return 0;
    }
    case 'compliance': {
      const report = await audit.compliance(fund);
      print(report, renderCompliance);
      return 0;
    }
    case 'verify': {
      const result = await audit.verify(fund, (checked) => err(`verified ${checked.toLocaleString('en-US')} events...`));
      print(result, renderVerify);
      return result.ok ? 0 : 1;
    }
    case 'export': {
      const format = (values.format ?? 'jsonl') as ExportFormat;
      const what = (values.what ?? 'events') as ExportSubject;
      if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be csv or jsonl, got ${JSON.stringify(values.format)}`);
      if (!EXPORT_SUBJECTS.includes(what)) throw new UsageError(`--what must be events or trails, got ${JSON.stringify(values.what)}`);
      for await (const line of await audit.export(fund, format, what)) out(line.slice(0, -1));
      return 0;
    }
  }
}
