/**
 * The closed set of business-rule rejections. Each is a code for programs (the API answers 422
 * with it) and a message for people that names the numbers involved. Tests assert the code.
 */
export const REJECTION_CODES = [
  'FUND_NOT_ESTABLISHED',
  'FUND_ALREADY_ESTABLISHED',
  'INVALID_FUND_TERMS',
  'INVALID_RATE',
  'INVALID_LP',
  'INVALID_AMOUNT',
  'INVALID_PERCENTAGE',
  'INVALID_DATE',
  'INVALID_FORMAT',
  'INVALID_PARAMETER',
  'UNSUPPORTED_CURRENCY',
  'FX_RATE_MISSING',
  'EFFECTIVE_DATE_BEFORE_INCEPTION',
  'EFFECTIVE_DATE_BEFORE_LATEST',
  'EFFECTIVE_DATE_TOO_FAR',
  'ACTOR_NOT_MANAGER',
  'NO_PENDING_COMMITMENTS',
  'HARD_CAP_REACHED',
  'CALL_EXCEEDS_COMMITMENTS',
  'CALL_WITHOUT_ADMITTED_LP',
  'UNKNOWN_CALL',
  'UNKNOWN_LP',
  'LP_NOT_IN_CALL',
  'DEFAULT_ALREADY_RECORDED',
  'FACILITY_EXISTS',
  'UNKNOWN_FACILITY',
  'FACILITY_MATURED',
  'FACILITY_LIMIT_EXCEEDED',
  'LEVERAGE_CAP_EXCEEDED',
  'NO_INTEREST_DUE',
  'REPAYMENT_EXCEEDS_DEBT',
  'INSUFFICIENT_CASH',
  'PROJECT_EXISTS',
  'UNKNOWN_PROJECT',
  'ALLOCATION_EXISTS',
  'UNKNOWN_ALLOCATION',
  'MANAGER_ALREADY_APPROVED',
  'ALLOCATION_ALREADY_REJECTED',
  'ALLOCATION_ALREADY_COMMITTED',
  'ALLOCATION_NOT_COMMITTED',
  'FUNDING_EXCEEDS_ALLOCATION',
  'CONCENTRATION_LIMIT_EXCEEDED',
  'PROCEEDS_EXCEED_VALUE',
  'DISTRIBUTION_EXCEEDS_CASH',
  'UNKNOWN_EVENT',
  'EVENT_ALREADY_REVERSED',
  'EVENT_NOT_REVERSIBLE',
  'NO_WATERFALL',
  'UNKNOWN_MANAGER',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Rejections that mean "no such thing" rather than "not allowed" (HTTP 404, CLI exit 2). */
export const NOT_FOUND_CODES: ReadonlySet<RejectionCode> = new Set(['FUND_NOT_ESTABLISHED', 'UNKNOWN_CALL', 'UNKNOWN_LP', 'UNKNOWN_FACILITY', 'UNKNOWN_PROJECT', 'UNKNOWN_ALLOCATION', 'UNKNOWN_EVENT', 'NO_WATERFALL', 'UNKNOWN_MANAGER']);

export class Rejection extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export const reject = (code: RejectionCode, message: string): never => {
  throw new Rejection(code, message);
};
