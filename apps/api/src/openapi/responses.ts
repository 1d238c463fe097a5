import type {
  AllocationSummary,
  CommandResult,
  CommitmentBatchResult,
  EventLogPage,
  FundSimulation,
  FundSummary,
  LpCommitmentSimulation,
  Principal,
} from '@fundsim/application';
import type { VerifyResult } from '@fundsim/event-store';
import type {
  AllocationTrail,
  BalanceSheet,
  CallNotice,
  CapitalAccount,
  DistributionNotice,
  ComplianceReport,
  FundPerformance,
  IlpaStatement,
  PendingApprovals,
  RegisterPage,
  Revenue,
  TransactionLedger,
  WaterfallReport,
} from '@fundsim/projections';
import type { ErrorBody } from '../http-errors';
import type { WaterfallTerms } from '@fundsim/domain';

/** Liveness: the process answers and so does its event store. */
export interface Health {
  status: 'ok';
  /** The kind of store in use (`sqlite`, `esdb`, `memory`), not where it is. */
  store: string;
  /** The log's last global position (0 when empty). */
  headPosition: number;
}

/** Readiness: ready once the store is open and every fund's books are caught up. */
export interface Readiness {
  /** `replica-lagging`: the read replica is further behind than FUNDSIM_REPLICA_MAX_LAG seconds, or does not answer. */
  status: 'ready' | 'starting' | 'replica-lagging';
  headPosition: number;
  /** Each fund the read side follows, and the log position its books reflect. */
  funds: { fundId: string; position: number }[];
  /** With a read replica (FUNDSIM_STORE_READ): whether it answers and how far behind it is. */
  replica?: ReplicaReadiness;
}

/** A read replica's lag as readiness reports it (the details are in /metrics). */
export interface ReplicaReadiness {
  reachable: boolean;
  /** Seconds behind the primary (0: nothing left to replay). */
  lagSeconds?: number;
  /** Log positions the replica does not hold yet. */
  lagEvents?: number;
  /** The threshold above which the node says it is not ready (null: never, FUNDSIM_REPLICA_MAX_LAG=off). */
  maxLagSeconds: number | null;
}

/** A fund's hash chain, walked from genesis. */
export type FundVerifyResult = VerifyResult & { fundId: string };

/**
 * Every JSON body the API returns, by the name of its schema in the OpenAPI document
 * (`#/components/schemas/<name>`). `npm run openapi:schemas` generates those schemas from these
 * types, and `@ApiResult` checks at compile time that a route returns the type it documents.
 */
export interface ResponseTypes {
  ErrorBody: ErrorBody;
  Health: Health;
  Readiness: Readiness;
  Principal: Principal;
  FundSummaries: FundSummary[];
  CommandResult: CommandResult;
  CommitmentBatchResult: CommitmentBatchResult;
  BalanceSheet: BalanceSheet;
  FundPerformance: FundPerformance;
  RegisterPage: RegisterPage;
  CapitalAccount: CapitalAccount;
  IlpaStatement: IlpaStatement;
  TransactionLedger: TransactionLedger;
  CallNotice: CallNotice;
  DistributionNotice: DistributionNotice;
  LpCommitmentSimulation: LpCommitmentSimulation;
  FundSimulation: FundSimulation;
  EventLogPage: EventLogPage;
  VerifyResult: VerifyResult;
  FundVerifyResult: FundVerifyResult;
  AllocationSummaries: AllocationSummary[];
  AllocationTrail: AllocationTrail;
  ComplianceReport: ComplianceReport;
  PendingApprovals: PendingApprovals;
  WaterfallReport: WaterfallReport;
  Revenue: Revenue;
  /** Not a response: the waterfall terms a fund is established with, typed by the domain. */
  WaterfallTerms: WaterfallTerms;
}
