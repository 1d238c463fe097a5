import { BadRequestException, Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { FundQueryService } from '@fundsim/application';
import { noticePdf } from '@fundsim/notice-pdf';
import type { CallNotice, DistributionNotice, Notice } from '@fundsim/projections';
import { IsIn, IsOptional } from 'class-validator';
import { Readable } from 'node:stream';
import { ApiResult, ApiText } from '../openapi/api-result';
import { IsIsoDateOrTimestamp } from '../iso-date';
import { FundIdPipe } from './fund-id.pipe';

export class NoticeQueryDto {
  @ApiPropertyOptional({
    example: '2027-06-30',
    description: 'As the books stood at this time (date or ISO timestamp): before later corrections. As known now when absent.',
  })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  knownAt?: string;

  @ApiPropertyOptional({ enum: ['json', 'pdf'], description: 'pdf: the notice as a one-page PDF (as `Accept: application/pdf` asks). JSON when absent.' })
  @IsOptional()
  @IsIn(['json', 'pdf'])
  format?: 'json' | 'pdf';
}

export class NoticesQueryDto {
  @ApiPropertyOptional({ example: '2027-06-30', description: 'As the books stood at this time (date or ISO timestamp). As known now when absent.' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  knownAt?: string;
}

const JSON_LINES = 'application/x-ndjson';
const CALL_NUMBER = { name: 'callNumber', type: Number, example: 1, description: 'The capital call, by number (1, 2, ...).' };
const DISTRIBUTION_NUMBER = { name: 'distributionNumber', type: Number, example: 1, description: 'The distribution, by number (1, 2, ...).' };

/** A notice as JSON, or as a PDF when asked for one. */
async function answer<N extends Notice>(notice: N, query: NoticeQueryDto, accept: string): Promise<N | StreamableFile> {
  if (query.format !== 'pdf' && !accept.includes('application/pdf')) return notice;
  const number = notice.notice === 'capital-call' ? notice.callNumber : notice.distributionNumber;
  const name = `${notice.fundId}-${notice.notice}-${number}-${notice.lpId}.pdf`;
  return new StreamableFile(Buffer.from(await noticePdf(notice)), { type: 'application/pdf', disposition: `inline; filename="${name}"` });
}

/** One JSON object a line, built as the client reads (a million LPs never sit in memory at once). */
function jsonLines(notices: Iterable<Notice>): StreamableFile {
  function* lines() {
    for (const n of notices) yield `${JSON.stringify(n)}\n`;
  }
  return new StreamableFile(Readable.from(lines(), { objectMode: false, highWaterMark: 1 << 16 }), { type: `${JSON_LINES}; charset=utf-8` });
}

/**
 * Investor notices (ILPA's capital call and distribution template): an LP reads its own, the
 * managers and auditors every LP's; all the notices of one call or distribution stream as JSON lines.
 */
@ApiTags('replay')
@Controller('funds/:fundId')
export class NoticesController {
  constructor(private readonly queries: FundQueryService) {}

  /** A call's or distribution's number, read after the fund is known (an unknown fund is a 404 on every route of a fund, whatever else is wrong). */
  private async numbered(fundId: string, field: string, value: string): Promise<number> {
    await this.queries.books(fundId);
    if (!/^[1-9]\d{0,8}$/.test(value))
      throw new BadRequestException({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: `${field} must be a positive integer, got ${JSON.stringify(value)}`,
        errors: [{ field, reason: 'a positive integer' }],
      });
    return Number(value);
  }

  @Get('capital-calls/:callNumber/notices/:lpId')
  @ApiParam(CALL_NUMBER)
  @ApiOperation({ summary: "An LP's capital call notice: its amount, what it is for, contributions and unfunded before and after" })
  @ApiResult(
    'CallNotice',
    "An LP's notice of one capital call, as of the call's date: the amount, by purpose; the commitment, contributions and unfunded before and after; for a yen LP every figure in yen at the rate in force that day. 404 UNKNOWN_CALL, UNKNOWN_LP (also for an LP admitted after the call).",
    {
      'application/pdf': 'The notice as a one-page PDF (with `Accept: application/pdf` or `?format=pdf`).',
    },
  )
  async callNotice(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('callNumber') callNumber: string,
    @Param('lpId') lpId: string,
    @Query() query: NoticeQueryDto,
    @Headers('accept') accept = '',
  ): Promise<CallNotice | StreamableFile> {
    return answer(
      await this.queries.callNotice(fundId, await this.numbered(fundId, 'callNumber', callNumber), lpId, { knownAt: query.knownAt }),
      query,
      accept,
    );
  }

  @Get('capital-calls/:callNumber/notices')
  @ApiParam(CALL_NUMBER)
  @ApiOperation({ summary: "Every LP's notice of one capital call, streamed as JSON lines" })
  @ApiText('One `CallNotice` a line for every LP the call asked for money, by LP id, streamed. 404 UNKNOWN_CALL before anything is sent.', {
    [JSON_LINES]: 'One CallNotice as JSON a line.',
  })
  async callNotices(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('callNumber') callNumber: string,
    @Query() query: NoticesQueryDto,
  ): Promise<StreamableFile> {
    return jsonLines(await this.queries.callNotices(fundId, await this.numbered(fundId, 'callNumber', callNumber), { knownAt: query.knownAt }));
  }

  @Get('distributions/:distributionNumber/notices/:lpId')
  @ApiParam(DISTRIBUTION_NUMBER)
  @ApiOperation({ summary: "An LP's distribution notice: its cash by tier, the carry withheld, cumulative figures" })
  @ApiResult(
    'DistributionNotice',
    "An LP's notice of one distribution, as of its declaration: the cash it receives, by tier (return of capital, preferred return, catch-up, gain), the carried interest withheld, cumulative distributions and contributions, unfunded; for a yen LP in yen too. 404 UNKNOWN_DISTRIBUTION, UNKNOWN_LP.",
    {
      'application/pdf': 'The notice as a one-page PDF (with `Accept: application/pdf` or `?format=pdf`).',
    },
  )
  async distributionNotice(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('distributionNumber') distributionNumber: string,
    @Param('lpId') lpId: string,
    @Query() query: NoticeQueryDto,
    @Headers('accept') accept = '',
  ): Promise<DistributionNotice | StreamableFile> {
    return answer(
      await this.queries.distributionNotice(fundId, await this.numbered(fundId, 'distributionNumber', distributionNumber), lpId, { knownAt: query.knownAt }),
      query,
      accept,
    );
  }

  @Get('distributions/:distributionNumber/notices')
  @ApiParam(DISTRIBUTION_NUMBER)
  @ApiOperation({ summary: "Every LP's notice of one distribution, streamed as JSON lines" })
  @ApiText('One `DistributionNotice` a line for every LP that shares the distribution, by LP id, streamed. 404 UNKNOWN_DISTRIBUTION before anything is sent.', {
    [JSON_LINES]: 'One DistributionNotice as JSON a line.',
  })
  async distributionNotices(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('distributionNumber') distributionNumber: string,
    @Query() query: NoticesQueryDto,
  ): Promise<StreamableFile> {
    return jsonLines(
      await this.queries.distributionNotices(fundId, await this.numbered(fundId, 'distributionNumber', distributionNumber), { knownAt: query.knownAt }),
    );
  }
}
