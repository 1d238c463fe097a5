import { MAX_AMOUNT } from '../bounds';
import { Money } from '../money';
import { reject } from '../rejections';
import { checkEffectiveDate, requireEstablished, requireManager } from './fund.rules';
import { concentrationLimit, enforce, withinAllocation, withinCash } from './limits';
import { FACT_COMMANDS, type AllocationState, type FundState, type ProjectState } from './fund.state';
import type {
  ApproveAllocation,
  FundProject,
  ProjectCommand,
  ProposeAllocation,
  ReceiveProceeds,
  RegisterProject,
  RejectAllocation,
  ValueProject,
} from './project.commands';
import type { AllocationCommitted, AllocationProposed, ProceedsReceived, ProjectEvent, ProjectFunded } from './project.events';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function decideProject(command: ProjectCommand, state: FundState): ProjectEvent[] {
  // A valuation and proceeds received are facts, recorded by an operator (or a manager); every
  // other project command is a decision of the fund's managers.
  checkEffectiveDate(state, command);
  if (!FACT_COMMANDS.has(command.type)) requireManager(state, command.metadata.actor);
  switch (command.type) {
    case 'RegisterProject':
      return [register(command, state)];
    case 'ProposeAllocation':
      return propose(command, state);
    case 'ApproveAllocation':
      return approve(command, state);
    case 'RejectAllocation':
      return [rejectAllocation(command, state)];
    case 'FundProject':
      return [fund(command, state)];
    case 'ValueProject':
      return [value(command, state)];
    case 'ReceiveProceeds':
      return [proceeds(command, state)];
  }
}

const project = (state: FundState, projectId: string): ProjectState =>
  state.projects.get(projectId) ?? reject('UNKNOWN_PROJECT', `There is no project ${JSON.stringify(projectId)}`);

const allocation = (state: FundState, allocationId: string): AllocationState =>
  state.allocations.get(allocationId) ?? reject('UNKNOWN_ALLOCATION', `There is no allocation ${JSON.stringify(allocationId)}`);

function register({ data }: RegisterProject, state: FundState): ProjectEvent {
  if (typeof data.projectId !== 'string' || !ID.test(data.projectId)) reject('INVALID_FUND_TERMS', `Project id must be 1-64 letters, digits, '.', '_' or '-'`);
  if (state.projects.has(data.projectId)) reject('PROJECT_EXISTS', `Project ${data.projectId} is already registered`);
  const size = Money.parsePositive(data.totalProjectSize, 'USD', 'A total project size');
  return {
    type: 'ProjectRegistered',
    data: { projectId: data.projectId, name: data.name, sector: data.sector, partners: [...(data.partners ?? [])], totalProjectSize: size.toString() },
  };
}

/** The concentration check, at the moment an allocation becomes binding. */
function commitment(state: FundState, a: { allocationId: string; projectId: string; amount: Money }, approvedBy: string[]): AllocationCommitted {
  requireEstablished(state);
  project(state, a.projectId);
  const concentration = concentrationLimit(state, a.projectId, a.amount);
  enforce(concentration);
  return {
    type: 'AllocationCommitted',
    data: {
      allocationId: a.allocationId,
      projectId: a.projectId,
      amount: a.amount.toString(),
      approvedBy,
      projectCommittedAfter: concentration.figures.projectCommittedAfter,
      concentrationLimitAmount: concentration.figures.limitAmount,
    },
  };
}

const requiredApprovals = (state: FundState): string[] => requireEstablished(state).approvalsRequired;

function propose({ data, metadata }: ProposeAllocation, state: FundState): ProjectEvent[] {
  if (typeof data.allocationId !== 'string' || !ID.test(data.allocationId))
    reject('INVALID_FUND_TERMS', `Allocation id must be 1-64 letters, digits, '.', '_' or '-'`);
  if (state.allocations.has(data.allocationId)) reject('ALLOCATION_EXISTS', `Allocation ${data.allocationId} was already proposed`);
  project(state, data.projectId);
  const amount = Money.parsePositive(data.amount, 'USD', 'An allocation');
  const proposed: AllocationProposed = {
    type: 'AllocationProposed',
    data: { allocationId: data.allocationId, projectId: data.projectId, amount: amount.toString() },
  };
  // Proposing counts as the proposer's approval: with one required manager it binds at once.
  const approvals = [metadata.actor];
  const complete = requiredApprovals(state).every((m) => approvals.includes(m));
  return complete ? [proposed, commitment(state, { allocationId: data.allocationId, projectId: data.projectId, amount }, approvals)] : [proposed];
}

function approve({ data, metadata }: ApproveAllocation, state: FundState): ProjectEvent[] {
  const a = allocation(state, data.allocationId);
  if (a.status === 'rejected') reject('ALLOCATION_ALREADY_REJECTED', `Allocation ${a.allocationId} was rejected`);
  if (a.status === 'committed') reject('ALLOCATION_ALREADY_COMMITTED', `Allocation ${a.allocationId} is already committed`);
  if (a.approvals.includes(metadata.actor)) reject('MANAGER_ALREADY_APPROVED', `${metadata.actor} already approved allocation ${a.allocationId}`);
  const approvals = [...a.approvals, metadata.actor];
  const events: ProjectEvent[] = [{ type: 'AllocationApproved', data: { allocationId: a.allocationId, approvals } }];
  if (requiredApprovals(state).every((m) => approvals.includes(m))) events.push(commitment(state, a, approvals));
  return events;
}

function rejectAllocation({ data }: RejectAllocation, state: FundState): ProjectEvent {
  const a = allocation(state, data.allocationId);
  if (a.status === 'rejected') reject('ALLOCATION_ALREADY_REJECTED', `Allocation ${a.allocationId} was already rejected`);
  if (a.status === 'committed') reject('ALLOCATION_ALREADY_COMMITTED', `Allocation ${a.allocationId} is committed and can no longer be rejected`);
  return { type: 'AllocationRejected', data: { allocationId: a.allocationId, reason: data.reason ?? '' } };
}

function fund({ data, metadata }: FundProject, state: FundState): ProjectFunded {
  const a = allocation(state, data.allocationId);
  if (a.status === 'rejected') reject('ALLOCATION_ALREADY_REJECTED', `Allocation ${a.allocationId} was rejected`);
  if (a.status !== 'committed')
    reject(
      'ALLOCATION_NOT_COMMITTED',
      `Allocation ${a.allocationId} has approvals from ${a.approvals.join(', ')}; it needs ${requiredApprovals(state).join(', ')}`,
    );
  const amount = Money.parsePositive(data.amount, 'USD', 'A funding');
  const allocationLeft = withinAllocation(a, amount);
  enforce(allocationLeft);
  const cash = withinCash(state, metadata.effectiveDate, amount, 'A funding');
  enforce(cash);
  return {
    type: 'ProjectFunded',
    data: {
      allocationId: a.allocationId,
      projectId: a.projectId,
      amount: amount.toString(),
      cashBefore: cash.figures.cashAvailable,
      allocationLeftAfter: Money.parse(allocationLeft.figures.left, 'USD').minus(amount).toString(),
    },
  };
}

function value({ data }: ValueProject, state: FundState): ProjectEvent {
  project(state, data.projectId);
  const fairValue = Money.parse(data.fairValue, 'USD');
  if (fairValue.amount.isNegative()) reject('INVALID_AMOUNT', `A fair value cannot be negative, got ${data.fairValue}`);
  // Zero is a fair value (written off); above the bound, no read could book it (found by the hostile corpus).
  if (fairValue.amount.gt(MAX_AMOUNT))
    reject('INVALID_AMOUNT', `A fair value of ${data.fairValue} USD is above the largest amount fundsim books (${MAX_AMOUNT})`);
  return { type: 'ProjectValued', data: { projectId: data.projectId, fairValue: fairValue.toString() } };
}

function proceeds({ data }: ReceiveProceeds, state: FundState): ProceedsReceived {
  const p = project(state, data.projectId);
  if (data.kind !== 'income' && data.kind !== 'capital') reject('INVALID_AMOUNT', `Proceeds are income or capital, got ${JSON.stringify(data.kind)}`);
  const amount = Money.parsePositive(data.amount, 'USD', 'Proceeds');
  let costRelieved = Money.zero('USD');
  if (data.kind === 'capital') {
    if (amount.gt(p.fairValue))
      reject('PROCEEDS_EXCEED_VALUE', `Capital proceeds of ${amount.format()} exceed ${p.projectId}'s fair value of ${p.fairValue.format()}`);
    costRelieved = p.cost.times(amount.amount.dividedBy(p.fairValue.amount));
  }
  const realizedGain = data.kind === 'capital' ? amount.minus(costRelieved) : Money.zero('USD');
  return {
    type: 'ProceedsReceived',
    data: { projectId: p.projectId, kind: data.kind, amount: amount.toString(), costRelieved: costRelieved.toString(), realizedGain: realizedGain.toString() },
  };
}
