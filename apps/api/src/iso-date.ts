import { isIsoDate, isIsoTimestamp } from '@fundsim/domain';
import { ValidateBy } from 'class-validator';

/**
 * A real calendar date, YYYY-MM-DD. The one rule for dates at the HTTP edge: a date that is not
 * one (2027-13-45, "tomorrow") is malformed input, a 400; a real date the fund's rules refuse
 * (before inception, before the latest) is a 422.
 */
export const IsIsoDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIsoDate',
    validator: { validate: (value) => isIsoDate(value), defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD` },
  });

/** A real date, or an ISO-8601 timestamp with its zone. */
export const IsIsoDateOrTimestamp = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIsoDateOrTimestamp',
    validator: {
      validate: (value) => isIsoDate(value) || isIsoTimestamp(value),
      defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD or an ISO-8601 timestamp with its zone`,
    },
  });
