import type { ActorRole } from '../command';
import { CALL_PURPOSES } from '../fund/call-purposes';
import type { CorrectionCommand } from '../fund/correction.commands';
import type { FundCommand } from '../fund/fund.commands';
import type { FundEvent } from '../fund/fund.events';
import type { CommitCapital } from '../investors/commitment.commands';
import { LP_ID } from '../investors/lp-id';
import { field, type Field, type Schema } from './fields';

/** Every command the fund takes. */
export type AnyCommand = FundCommand | CommitCapital | CorrectionCommand;
export type CommandType = AnyCommand['type'];
export type CommandOf<T extends CommandType> = Extract<AnyCommand, { type: T }>;

/**
 * What a decider reads besides the command (the command service loads it, the decider's context
 * type follows from it): the fund's state alone; with the investor ledger (every LP, admitted and
 * pending); with the LP's own standing (its earlier commitments); with the fund's history (a
 * correction's approval); or with both history and ledger (a reversal, which may undo a pending
 * commitment).
 */
export type ContextKind = 'fund' | 'investors' | 'lp' | 'history' | 'history-and-investors';

/**
 * One command, declared once: its data (and how it is checked at the door), the stream it is
 * recorded on, the context its decider reads, its route (`POST /funds/:fundId/<route>`; a data
 * field named like one of the route's parameters comes from the path), who may send it, and the
 * event whose rules a correction checks again by deciding this command anew (its inverse).
 */
export interface CommandEntry {
  summary: string;
  route: string;
  roles: readonly ActorRole[];
  stream: 'fund' | 'lp';
  context: ContextKind;
  /** False: the command carries no effective date of its own (a correction takes the corrected event's). */
  dated: boolean;
  data: Readonly<Record<string, Field>>;
  /** The event a correction re-checks by deciding this command again on the books before it. */
  rechecks?: FundEvent['type'];
}

/** An entry per command type (the compiler asks for each), its data's fields exactly the command's data. */
export type CommandCatalog = { readonly [T in CommandType]: CommandEntry & { data: Schema<CommandOf<T>['data']> } };

const MANAGERS: readonly ActorRole[] = ['manager'];
/** Facts (investor and market data) come from an operator, or a manager; the domain checks whose. */
const FACTS: readonly ActorRole[] = ['operator', 'manager'];

const usd = (example: string, description = 'USD') => field.decimal({ unit: 'USD', example, description });

/** Every command's entry, its literal types kept (a decider's context type follows from its `context`). */
const DECLARED = {
  EstablishFund: {
    summary: 'Establish the fund: its terms, managers and policy; inception on the effective date',
    route: 'establish',
    // An admin establishes a fund; a manager one that names it, which the others named then accept.
    roles: ['manager', 'admin'],
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      fundId: field.pattern(/^[a-z0-9-]{1,32}$/, 'must be 1-32 lowercase letters, digits or "-"'),
      name: field.text({ max: 200, example: 'U.S.-Japan Sovereign Investment Fund' }),
      targetSize: usd('300000000000.00', undefined),
      hardCap: usd('300000000000.00', undefined),
      managers: field.ids({ example: ['us-treasury', 'jp-mof'] }),
      approvalsRequired: field.ids({ example: ['us-treasury', 'jp-mof'] }),
      leveragePolicy: field.group('LeveragePolicy', {
        maxRatio: field.decimal({ example: '2.33', description: 'debt <= maxRatio x basis' }),
        basis: field.oneOf(['commitments', 'net-assets'] as const),
      }),
      concentrationLimit: field.decimal({ example: '0.60', description: "Largest share of admitted commitments one project's allocations may reach." }),
      equalizationRate: field.decimal({ example: '0.05', description: 'Annual simple rate on the catch-up of LPs admitted at later closes.' }),
      waterfall: field.optional(
        field.object({
          schema: { allOf: [{ $ref: '#/components/schemas/WaterfallTerms' }] },
          description: 'The distribution waterfall (docs/accounting.md). Without it, distributions go to the LPs whole.',
          example: {
            style: 'european',
            preferredReturn: { rate: '0.08', compounding: 'annual', dayCount: 'ACT/365' },
            catchUp: '1',
            carriedInterest: '0.20',
            carryBearing: 'all',
            managerShares: [
              { manager: 'us-treasury', share: '0.5' },
              { manager: 'jp-mof', share: '0.5' },
            ],
          },
        }),
      ),
    },
  },
  AcceptManagement: {
    summary: 'Accept to manage a fund that another manager established naming this one; the fund takes commands once every manager has',
    route: 'acceptances',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {},
  },
  RecordMilestone: {
    summary: 'Record a milestone (trade talks, G7 summit, ...)',
    route: 'milestones',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      milestone: field.text({ max: 200, example: 'G7 summit' }),
      note: field.optional(field.text({ max: 2000, example: 'Tariff talks push the first close to after the summit' })),
    },
    rechecks: 'MilestoneRecorded',
  },
  HoldClose: {
    summary: 'Hold a close: admit pending commitments, scaled back at the hard cap, with equalization',
    route: 'closes',
    roles: MANAGERS,
    stream: 'fund',
    context: 'investors',
    dated: true,
    data: {},
  },
  CallCapital: {
    summary: 'Call a percentage of every admitted commitment',
    route: 'capital-calls',
    roles: MANAGERS,
    stream: 'fund',
    context: 'investors',
    dated: true,
    data: {
      percentage: field.decimal({
        reason: 'must be a decimal fraction such as "0.10"',
        example: '0.10',
        description: 'Fraction of every admitted commitment.',
      }),
      dueDate: field.optional(field.date({ example: '2026-07-31', description: 'When the LPs pay; the call date when absent.' })),
      purposes: field.optional(
        field.object({
          schema: {
            type: 'object',
            properties: Object.fromEntries(CALL_PURPOSES.map((k) => [k, { type: 'string', example: k === 'investments' ? '0.9' : '0.05' }])),
            additionalProperties: false,
          },
          example: { investments: '0.9', managementFees: '0.075', expenses: '0.025' },
          description:
            'What the call is for, as fractions of it summing to 1: investments, managementFees, expenses, facilityRepayment (the domain checks them: 422 INVALID_CALL_PURPOSES). All investments when absent.',
        }),
      ),
    },
  },
  RecordContributionDefault: {
    summary: 'Record that an LP did not pay its share of a call',
    route: 'capital-calls/:callNumber/defaults',
    roles: MANAGERS,
    stream: 'fund',
    context: 'investors',
    dated: true,
    data: { callNumber: field.int(), lpId: field.id({ example: 'retail-000001' }) },
  },
  TransferInterest: {
    summary:
      "Transfer part or all of an LP's admitted interest to another LP (new or existing) at a price agreed between them, with the managers' consent: it moves with its capital account, unfunded commitment and place in the waterfall",
    route: 'transfers',
    roles: MANAGERS,
    stream: 'fund',
    context: 'investors',
    dated: true,
    data: {
      fromLpId: field.id({ example: 'retail-us-000001' }),
      toLpId: field.id({ example: 'retail-jp-000042' }),
      commitmentUsd: field.amount({ example: '5000.00', description: 'Admitted commitment moved, USD.' }),
      priceUsd: field.decimal({ unit: 'USD', example: '4600.00', description: 'What the transferee pays the transferor (not cash of the fund), USD.' }),
      kind: field.optional(field.oneOf(['sovereign', 'retail', 'institutional'] as const)),
      country: field.optional(field.pattern(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US or JP')),
      currency: field.optional(field.oneOf(['USD', 'JPY'] as const)),
    },
  },
  OpenCreditFacility: {
    summary: 'Open a credit facility (lender, limit, rate, day count, maturity)',
    route: 'credit-facilities',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      facilityId: field.id({ example: 'jbic-1' }),
      lender: field.text({ max: 200, example: 'Japan Bank for International Cooperation' }),
      limit: usd('350000000000.00'),
      annualRate: field.decimal({ example: '0.045' }),
      dayCount: field.oneOf(['ACT/365', 'ACT/360'] as const),
      maturityDate: field.date({ example: '2031-07-01' }),
    },
    rechecks: 'CreditFacilityOpened',
  },
  AmendCreditFacility: {
    summary: 'Amend a facility before it matures: its limit (not below the principal outstanding) and maturity from the effective date',
    route: 'credit-facilities/:facilityId/amendments',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { facilityId: field.id(), limit: usd('400000000000.00'), maturityDate: field.date({ example: '2033-07-01' }) },
    rechecks: 'CreditFacilityAmended',
  },
  DrawLeverage: {
    summary: 'Draw on a facility, within its limit and the leverage cap',
    route: 'credit-facilities/:facilityId/draws',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { facilityId: field.id(), amount: field.amount({ example: '1000000000.00', description: 'USD' }) },
    rechecks: 'LeverageDrawn',
  },
  PayInterest: {
    summary: 'Pay the interest accrued on a facility up to the effective date',
    route: 'credit-facilities/:facilityId/interest-payments',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { facilityId: field.id() },
    rechecks: 'InterestPaid',
  },
  RepayLeverage: {
    summary: 'Repay principal out of cash',
    route: 'credit-facilities/:facilityId/repayments',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { facilityId: field.id(), amount: field.amount({ example: '1000000000.00', description: 'USD' }) },
    rechecks: 'LeverageRepaid',
  },
  RegisterProject: {
    summary: 'Register a project (name, sector, partners, total size)',
    route: 'projects',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      projectId: field.id({ example: 'stargate' }),
      name: field.text({ max: 200, example: 'Stargate' }),
      sector: field.text({ max: 100, example: 'AI infrastructure' }),
      partners: field.texts({ example: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'] }),
      totalProjectSize: usd('500000000000.00'),
    },
    rechecks: 'ProjectRegistered',
  },
  ProposeAllocation: {
    summary: "Propose an allocation to a project (counts as the proposer's approval)",
    route: 'allocations',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      allocationId: field.id({ example: 'alloc-stargate-1' }),
      projectId: field.id({ example: 'stargate' }),
      amount: field.amount({ example: '1000000000.00', description: 'USD' }),
    },
    rechecks: 'AllocationProposed',
  },
  ApproveAllocation: {
    summary: 'Approve an allocation; the last required approval commits it (concentration limit checked)',
    route: 'allocations/:allocationId/approvals',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { allocationId: field.id() },
    rechecks: 'AllocationApproved',
  },
  RejectAllocation: {
    summary: 'Reject an allocation: one rejection ends it',
    route: 'allocations/:allocationId/rejections',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { allocationId: field.id(), reason: field.text({ max: 2000, example: 'Exceeds the sector budget agreed at the G7' }) },
    rechecks: 'AllocationRejected',
  },
  FundProject: {
    summary: 'Fund a committed allocation, within what is left of it and the cash on hand',
    route: 'allocations/:allocationId/fundings',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { allocationId: field.id(), amount: field.amount({ example: '1000000000.00', description: 'USD' }) },
    rechecks: 'ProjectFunded',
  },
  DeclareDistribution: {
    summary: 'Declare a distribution to the LPs, payable on its payment date, within the cash available',
    route: 'distributions',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      amount: field.amount({ example: '1000000000.00', description: 'USD' }),
      paymentDate: field.optional(field.date({ example: '2027-03-31', description: 'When it is paid; the declaration date when absent.' })),
    },
    rechecks: 'DistributionDeclared',
  },
  ChargeManagementFee: {
    summary: 'Charge a management fee: out of cash, or called from the fee-bearing LPs where the terms exempt any',
    route: 'management-fees',
    roles: MANAGERS,
    stream: 'fund',
    context: 'investors',
    dated: true,
    data: { amount: field.amount({ example: '1000000000.00', description: 'USD' }), period: field.text({ max: 50, example: '2027-Q1' }) },
    rechecks: 'ManagementFeeCharged',
  },
  RecordExpense: {
    summary: 'Record a fund expense paid out of cash',
    route: 'expenses',
    roles: MANAGERS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { amount: field.amount({ example: '1000000000.00', description: 'USD' }), description: field.text({ max: 500, example: 'Annual audit' }) },
    rechecks: 'ExpenseRecorded',
  },
  ReverseEvent: {
    summary: "Reverse an event of the fund's stream, optionally replacing it; every later event's rules are re-checked",
    route: 'events/:eventId/reversals',
    roles: MANAGERS,
    stream: 'fund',
    context: 'history-and-investors',
    dated: false,
    data: {
      eventId: field.text(),
      reason: field.text({ max: 2000, example: 'Valuation used a stale rate' }),
      replacement: field.optional(
        field.group('Replacement', {
          type: field.pattern(/^[A-Z][A-Za-z]+$/, 'must be an event type', { example: 'ProjectValued', description: 'Same type as the event it replaces.' }),
          data: field.object({ example: { projectId: 'stargate', fairValue: '11800000000.00' } }),
        }),
      ),
    },
  },
  ApproveReversal: {
    summary: 'Approve a reversal another manager proposed of an event under dual control; the last required approval records it',
    route: 'events/:eventId/reversals/approvals',
    roles: MANAGERS,
    stream: 'fund',
    context: 'history',
    dated: false,
    data: { eventId: field.text() },
  },
  RejectReversal: {
    summary: 'Refuse (or, as its proposer, withdraw) a proposed reversal; the books stay as they are',
    route: 'events/:eventId/reversals/rejections',
    roles: MANAGERS,
    stream: 'fund',
    context: 'history',
    dated: false,
    data: { eventId: field.text(), reason: field.optional(field.text({ max: 2000, example: 'The original allocation stands' })) },
  },

  // Facts: investor and market data.
  CommitCapital: {
    summary: "Commit capital (USD or JPY) on the LP's own stream; pending until a close",
    route: 'commitments',
    // A platform's retail and institutional LPs; the managers record the sovereigns' (the domain checks which).
    roles: FACTS,
    stream: 'lp',
    context: 'lp',
    dated: true,
    data: {
      lpId: field.pattern(LP_ID, 'must be 1-64 letters, digits, ".", "_" or "-"', { example: 'retail-000001' }),
      kind: field.oneOf(['sovereign', 'retail', 'institutional'] as const),
      country: field.pattern(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US or JP', { example: 'JP', description: 'ISO 3166 alpha-2' }),
      amount: field.amount({ example: '1500000', description: 'Decimal string in the commitment currency.' }),
      currency: field.text({ example: 'JPY' }),
    },
  },
  RecordFxRate: {
    summary: 'Record the USD/JPY rate in force from the effective date',
    route: 'fx-rates',
    roles: FACTS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { pair: field.oneOf(['USD/JPY'] as const), rate: field.decimal({ example: '149.37', description: 'Yen per dollar.' }) },
    rechecks: 'FxRateRecorded',
  },
  ValueProject: {
    summary: "Set a project's fair value on the effective date",
    route: 'projects/:projectId/valuations',
    roles: FACTS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: { projectId: field.id(), fairValue: usd('12500000000.00') },
    rechecks: 'ProjectValued',
  },
  ReceiveProceeds: {
    summary: 'Receive proceeds from a project: income, or capital (relieves cost pro rata)',
    route: 'projects/:projectId/proceeds',
    roles: FACTS,
    stream: 'fund',
    context: 'fund',
    dated: true,
    data: {
      projectId: field.id(),
      kind: field.oneOf(['income', 'capital'] as const),
      amount: field.amount({ example: '1000000000.00', description: 'USD' }),
    },
    rechecks: 'ProceedsReceived',
  },
} satisfies CommandCatalog;

/** The command catalog: routes, request validation, the access table, scenario fields, stream routing and the docs' events table derive from it. */
export const COMMANDS: CommandCatalog = DECLARED;

/** The context kind a command's decider reads, as its entry declares it. */
export type ContextKindOf<T extends CommandType> = (typeof DECLARED)[T]['context'];

export const COMMAND_TYPES = Object.keys(COMMANDS) as CommandType[];

/** The catalog's entry for a type, or undefined for a string that names no command. */
export const commandEntry = (type: string): CommandEntry | undefined => (Object.hasOwn(COMMANDS, type) ? COMMANDS[type as CommandType] : undefined);

/** The parameters of a command's route (`:fundId` first), in order. */
export const routeParams = (entry: CommandEntry): string[] => ['fundId', ...[...entry.route.matchAll(/:(\w+)/g)].map((m) => m[1])];

/** The command whose rules produced an event, by the event's type (a correction's re-check). */
export const COMMAND_RECHECKING: ReadonlyMap<string, CommandType> = new Map(
  COMMAND_TYPES.flatMap((type) => {
    const event = COMMANDS[type].rechecks;
    return event ? [[event, type] as const] : [];
  }),
);
