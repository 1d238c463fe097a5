import { Transform } from 'class-transformer';

/**
 * A query parameter read as a decimal integer only: "12" is 12, while "0x1", "1e3", " 7" or
 * "1.0" stay strings and fail @IsInt() with a 400 (Number() would have taken them).
 */
export const StrictInt = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value));
