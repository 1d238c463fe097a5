import { parseFraction } from '../cents';
import { largestRemainder } from '../largest-remainder';
import { reject } from '../rejections';

/** What a capital call is for (ILPA's capital call template): the four uses of the money called. */
export const CALL_PURPOSES = ['investments', 'managementFees', 'expenses', 'facilityRepayment'] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];

/**
 * Each purpose as a fraction of the call (decimal strings summing to exactly 1). Fractions, not
 * amounts: the call's total is what the call's per-LP rule makes of its percentage, which the
 * manager need not compute to say what the money is for.
 */
export type CallPurposes = Partial<Record<CallPurpose, string>>;

const FRACTION = /^(?:0(?:\.\d{1,12})?|1(?:\.0{1,12})?)$/;

/**
 * The purposes a `CallCapital` may carry, checked: known keys only, each a decimal in [0, 1] with
 * at most 12 places, summing to exactly 1. Absent: none recorded (the notice reads it as all
 * investments).
 */
export function checkCallPurposes(purposes: unknown): { purposes?: CallPurposes } {
  if (purposes === undefined) return {};
  if (typeof purposes !== 'object' || purposes === null || Array.isArray(purposes))
    return reject(
      'INVALID_CALL_PURPOSES',
      `purposes must be an object of fractions of the call by ${CALL_PURPOSES.join(', ')}, got ${JSON.stringify(purposes)}`,
    );
  const checked: CallPurposes = {};
  let sum = 0n;
  const scale = 10n ** 12n;
  for (const [key, value] of Object.entries(purposes)) {
    if (!(CALL_PURPOSES as readonly string[]).includes(key))
      reject('INVALID_CALL_PURPOSES', `Unknown call purpose ${JSON.stringify(key)}: one of ${CALL_PURPOSES.join(', ')}`);
    if (typeof value !== 'string' || !FRACTION.test(value))
      reject(
        'INVALID_CALL_PURPOSES',
        `Call purpose ${key} must be a fraction of the call in [0, 1] with at most 12 places, such as "0.25", got ${JSON.stringify(value)}`,
      );
    const { numerator, denominator } = parseFraction(value as string);
    sum += (numerator * scale) / denominator;
    checked[key as CallPurpose] = value as string;
  }
  if (sum !== scale)
    reject(
      'INVALID_CALL_PURPOSES',
      `Call purposes must sum to 1, got ${formatScaled(sum, scale)} (${Object.entries(checked)
        .map(([k, v]) => `${k} ${v}`)
        .join(' + ')})`,
    );
  return { purposes: checked };
}

function formatScaled(value: bigint, scale: bigint): string {
  const fraction = (value % scale).toString().padStart(12, '0').replace(/0+$/, '');
  return `${value / scale}${fraction ? `.${fraction}` : ''}`;
}

/**
 * An amount (in cents, or yen) split over the call's purposes by largest remainder, ties by purpose
 * name, so the lines sum to it exactly. No purposes recorded: all of it is for investments.
 */
export function splitByPurpose(amount: bigint, purposes: CallPurposes | undefined): Record<CallPurpose, bigint> {
  const scale = 10n ** 12n;
  const weights =
    purposes === undefined
      ? [{ key: 'investments', weight: 1n }]
      : CALL_PURPOSES.map((key) => {
          const { numerator, denominator } = parseFraction(purposes[key] ?? '0');
          return { key, weight: (numerator * scale) / denominator };
        });
  const parts = largestRemainder(amount, weights);
  return Object.fromEntries(CALL_PURPOSES.map((k) => [k, parts.get(k) ?? 0n])) as Record<CallPurpose, bigint>;
}
