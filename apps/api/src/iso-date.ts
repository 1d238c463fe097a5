import { isIsoDate } from '@fundsim/domain';
import { ValidateBy } from 'class-validator';

/** ISO-8601 instants with a zone, as `knownAt` takes them (2027-06-30T12:00:00Z, ...+09:00). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A real calendar date, YYYY-MM-DD. The one rule for dates at the HTTP edge: a date that is not
 * one (2027-13-45, "tomorrow") is malformed input, a 400; a real date the fund's rules refuse
 * (before inception, before the latest) is a 422.
 */
export const IsIsoDate = (): PropertyDecorator =>
  ValidateBy({ name: 'isIsoDate', validator: { validate: (value) => isIsoDate(value), defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD` } });

/** A real date, or an ISO-8601 timestamp with its zone. */
export const IsIsoDateOrTimestamp = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIsoDateOrTimestamp',
    validator: {
      validate: (value) => isIsoDate(value) || (typeof value === 'string' && TIMESTAMP.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value))),
      defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD or an ISO-8601 timestamp with its zone`,
    },
  });
