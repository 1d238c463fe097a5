import { DUAL_CONTROLLED, openPeriodEnd, openPeriodStart, streamOf, World, type LogEvent } from './world';

export type Role = 'manager' | 'operator' | 'lp' | 'auditor' | 'admin';

/** What an operator may record: investor and market facts. */
const OPERATOR_FACTS: ReadonlySet<string> = new Set(['FxRateRecorded', 'ProjectValued', 'ProceedsReceived', 'CapitalCommitted']);
const MAX_PENDING_PER_LP = 10;

const describe = (e: LogEvent) =>
  `#${e.position} ${e.type} on ${e.stream} by ${e.metadata.actor} dated ${e.metadata.effectiveDate}${e.metadata.commandId ? ` (command ${e.metadata.commandId})` : ''}`;

/**
 * Every event of the log from position `from` on, checked against who may have written it, with
 * the funds as they stood just before it (the log's own order): the principal of a valid key of
 * a role that writes; a manager only in a fund that names it, and in a fund awaiting acceptance
 * only its acceptance; an operator only facts, dated within the open period; an admin only a
 * fund's establishment; a sovereign's commitment by a manager; an LP's commitments by whoever
 * onboarded it, on its first terms, at most 10 pending; a reversal of a dual-controlled event
 * only with every required manager's approval (in the event and in the log before it); each
 * idempotency key the writer's own, on one stream. Returns one line per violation.
 */
export function scopeViolations(log: readonly LogEvent[], from: number, roles: ReadonlyMap<string, Role>): string[] {
  const world = new World();
  const violations: string[] = [];
  const streamsByCommand = new Map<string, Set<string>>();
  for (const event of log) {
    if (event.position >= from) for (const problem of check(world, event, roles)) violations.push(`${describe(event)}: ${problem}`);
    world.apply(event);
    const commandId = event.metadata.commandId;
    if (commandId !== undefined) streamsByCommand.set(commandId, (streamsByCommand.get(commandId) ?? new Set()).add(event.stream));
  }
  for (const [commandId, streams] of streamsByCommand) {
    if (streams.size > 1) violations.push(`Idempotency key ${commandId} wrote on ${streams.size} streams: ${[...streams].join(', ')}`);
  }
  return violations;
}

function check(world: World, event: LogEvent, roles: ReadonlyMap<string, Role>): string[] {
  const { type, data, metadata } = event;
  const actor = metadata.actor;
  const role = roles.get(actor);
  if (role === undefined) return [`written as ${actor}, the principal of no valid key`];
  if (role === 'lp' || role === 'auditor') return [`an ${role} writes nothing`];
  const where = streamOf(event.stream);
  if (!where) return ["written outside the funds' streams, where no route writes"];
  if (metadata.commandId !== undefined && !metadata.commandId.startsWith(`${actor}:`)) return [`its idempotency key is not ${actor}'s own`];
  const fund = world.funds.get(where.fundId);
  if (type === 'FundEstablished') {
    if (fund) return ['a fund established twice'];
    if (role === 'operator') return ['an operator established a fund'];
    if (role === 'manager' && !(data.managers as string[]).includes(actor))
      return [`a manager established a fund that does not name it (${String(data.managers)})`];
    return [];
  }
  if (!fund) return ['in a fund never established'];
  const problems: string[] = [];
  if (role === 'admin') problems.push("an admin records only a fund's establishment");
  if (fund.awaiting.size > 0 && !(type === 'ManagementAccepted' && fund.awaiting.has(actor)))
    problems.push(`the fund still awaits the acceptance of ${[...fund.awaiting].join(', ')}`);
  if (role === 'manager' && !fund.managers.includes(actor)) problems.push(`${actor} is not a manager of ${fund.fundId} (${fund.managers.join(', ')})`);
  if (role === 'operator') {
    if (!OPERATOR_FACTS.has(type)) problems.push('an operator records only facts');
    const open = openPeriodEnd(fund.managersDate);
    if (metadata.effectiveDate > open) problems.push(`dated after the open period, which ended ${open} (managers' latest decision ${fund.managersDate})`);
    const start = openPeriodStart(fund.latestDecision);
    if (metadata.effectiveDate < start) problems.push(`dated before the open period, which starts ${start} (latest decision ${fund.latestDecision})`);
  }
  if (type === 'CapitalCommitted' && where.lpId !== undefined) {
    const lp = fund.lps.get(where.lpId);
    const first = lp ?? { kind: String(data.kind), country: String(data.country), currency: String(data.currency), onboardedBy: actor };
    if (first.kind === 'sovereign' && role !== 'manager' && role !== 'admin') problems.push("a sovereign's commitment recorded by an operator");
    if (lp && role !== 'admin' && lp.onboardedBy !== actor) problems.push(`LP ${where.lpId} was onboarded by ${lp.onboardedBy}`);
    if (lp && (data.kind !== lp.kind || data.country !== lp.country || data.currency !== lp.currency)) {
      problems.push(
        `LP ${where.lpId}'s terms were ${lp.kind}/${lp.country}/${lp.currency}, not ${String(data.kind)}/${String(data.country)}/${String(data.currency)}`,
      );
    }
    if (lp && world.pendingOf(fund, lp) >= MAX_PENDING_PER_LP) problems.push(`LP ${where.lpId} already had ${world.pendingOf(fund, lp)} commitments pending`);
  }
  if (type === 'EventReversed') {
    const target = String(data.eventId);
    // The type the log gives the reversed event, not only the one the reversal claims.
    const reversedType = fund.events.get(target)?.type ?? String(data.reversedType);
    if (DUAL_CONTROLLED.has(reversedType) || DUAL_CONTROLLED.has(String(data.reversedType))) {
      const approvedBy = (data.approvedBy as string[] | undefined) ?? [];
      const inLog = new Set([...(fund.proposals.get(target) ?? []), actor]);
      const missing = fund.approvalsRequired.filter((m) => !approvedBy.includes(m));
      const missingInLog = fund.approvalsRequired.filter((m) => !inLog.has(m));
      if (missing.length > 0)
        problems.push(`reverses a ${reversedType} without the approval of ${missing.join(', ')} (approvedBy: ${approvedBy.join(', ') || 'none'})`);
      else if (missingInLog.length > 0)
        problems.push(`reverses a ${reversedType}: approvedBy names ${missingInLog.join(', ')}, whose approval is nowhere in the log`);
    }
  }
  return problems;
}
