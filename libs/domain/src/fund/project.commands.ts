import type { Command } from '../command';
import type { ProjectRegistered } from './project.events';

export type RegisterProject = Command<'RegisterProject', ProjectRegistered['data']>;
export type ProposeAllocation = Command<'ProposeAllocation', { allocationId: string; projectId: string; amount: string }>;
export type ApproveAllocation = Command<'ApproveAllocation', { allocationId: string }>;
export type RejectAllocation = Command<'RejectAllocation', { allocationId: string; reason: string }>;
export type FundProject = Command<'FundProject', { allocationId: string; amount: string }>;
export type ValueProject = Command<'ValueProject', { projectId: string; fairValue: string }>;
export type ReceiveProceeds = Command<'ReceiveProceeds', { projectId: string; kind: 'income' | 'capital'; amount: string }>;

export type ProjectCommand = RegisterProject | ProposeAllocation | ApproveAllocation | RejectAllocation | FundProject | ValueProject | ReceiveProceeds;
