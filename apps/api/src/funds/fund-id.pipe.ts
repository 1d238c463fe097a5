import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { FUND_ID } from '@fundsim/application';

/** Route fund ids: refused with a 400 naming the field before any store is touched. */
export class FundIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!FUND_ID.test(value)) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: `fundId: must be 1-32 lowercase letters, digits or "-", got ${JSON.stringify(value)}`,
        errors: [{ field: 'fundId', reason: 'must be 1-32 lowercase letters, digits or "-"' }],
      });
    }
    return value;
  }
}
