import { BadRequestException, Controller, Get, Headers, Param, Query, Sse, SseSignal, StreamableFile, type MessageEvent } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiResult, ApiText } from '../openapi/api-result';
import { FundQueryService, type Principal } from '@fundsim/application';
import { PrincipalOf } from '../auth.guard';
import { LiveStreams } from './live-streams';
import {
  ilpaStatementCsv,
  registerCsv,
  type BalanceSheet,
  type CapitalAccount,
  type IlpaStatement,
  type FundPerformance,
  type RegisterPage,
  type Revenue,
  type TransactionLedger,
  type WaterfallReport,
} from '@fundsim/projections';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Readable } from 'node:stream';
import { interval, map, merge, takeWhile, type Observable } from 'rxjs';
import { StrictInt } from '../strict-int';
import { FundIdPipe } from './fund-id.pipe';
import { IsIsoDate, IsIsoDateOrTimestamp } from '../iso-date';

/** The live stream follows the books as known now: a date only. */
export class StreamQueryDto {
  @ApiPropertyOptional({ example: '2027-06-30', description: "The books' date (effective date); today (UTC) when absent." })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;
}

export class AsOfQueryDto extends StreamQueryDto {
  @ApiPropertyOptional({
    example: '2027-06-30',
    description: 'As the books stood at this time (date or ISO timestamp): before later corrections. As known now when absent.',
  })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  knownAt?: string;
}

export class StatementQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ example: '2027-01-01', description: 'First day of the period; from inception when absent.' })
  @IsOptional()
  @IsIsoDate()
  from?: string;
}

export class IlpaStatementQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ example: '2027-04-01', description: "First day of the period column; the first day of asOf's quarter when absent." })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv: one row a line (`line,period,year_to_date,inception_to_date`); so does Accept: text/csv.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class RegisterQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ example: 0, description: 'LPs to skip, in LP id order.' })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ example: 100, description: 'LPs per page (1 to 1000).' })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class RevenueQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: "First day of the period; the fund's inception when absent." })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ example: '2035-12-31', description: 'Last day of the period; today (UTC) when absent.' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  @ApiPropertyOptional({ example: '2030-06-30', description: 'As the books stood at this time (date or ISO timestamp). As known now when absent.' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  knownAt?: string;
}

const today = () => new Date().toISOString().slice(0, 10);
const asOfQuery = (q: AsOfQueryDto) => ({ asOf: q.asOf ?? today(), knownAt: q.knownAt });

@ApiTags('replay')
@Controller('funds/:fundId')
export class ReplayController {
  constructor(
    private readonly queries: FundQueryService,
    private readonly streams: LiveStreams,
  ) {}

  @Get('balance-sheet')
  @ApiOperation({ summary: 'The balance sheet on a date, as known at a time' })
  @ApiResult('BalanceSheet', 'Assets, liabilities and net assets on a date; commitments, leverage, investments by project and sector.')
  balanceSheet(@Param('fundId', FundIdPipe) fundId: string, @Query() query: AsOfQueryDto): Promise<BalanceSheet> {
    return this.queries.balanceSheet(fundId, asOfQuery(query));
  }

  @Sse('balance-sheet/stream')
  @ApiHeader({ name: 'last-event-id', required: false, description: 'Resume: the id (a log position) of the last message received.' })
  @ApiOperation({ summary: 'The balance sheet, live: a server-sent event after each change' })
  @ApiText(
    'Server-sent events: `balance-sheet` messages, each with the log position it reflects as its id: the sheet now (unless `Last-Event-ID` is already current), then again after each append to the fund (bursts coalesced); a `: heartbeat` comment every 15 s. A key holds at most 8 streams at once (429 TOO_MANY_STREAMS); when it is revoked, a `revoked` message and the stream ends.',
    {
      'text/event-stream':
        'Messages `event: balance-sheet`, `id: <log position>`, `data: <BalanceSheet as JSON>`; comments `: heartbeat`; last, if the key is revoked, `event: revoked`, `data: {"code":"KEY_REVOKED","message":...}`.',
    },
  )
  async balanceSheetStream(
    @Param('fundId', FundIdPipe) fundId: string,
    @Query() query: StreamQueryDto,
    @PrincipalOf() principal: Principal,
    @SseSignal() signal: AbortSignal,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId)) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'Last-Event-ID: a log position (a non-negative integer)',
        errors: [{ field: 'Last-Event-ID', reason: 'a log position' }],
      });
    }
    this.streams.admit(principal, signal);
    const updates = await this.queries.balanceSheetUpdates(fundId, query.asOf, lastEventId === undefined ? undefined : Number(lastEventId));
    const heartbeat = interval(Number(process.env.FUNDSIM_SSE_HEARTBEAT_MS) || 15_000).pipe(map((): MessageEvent => ({ comment: 'heartbeat' })));
    const sheets = updates.pipe(map(({ sheet, position }): MessageEvent => ({ type: 'balance-sheet', id: String(position), data: sheet })));
    // The revocation notice is the last message: the stream completes with it, and Nest ends the answer.
    return merge(sheets, heartbeat, this.streams.revocationOf(principal)).pipe(takeWhile((message) => message.type !== 'revoked', true));
  }

  @Get('performance')
  @ApiOperation({ summary: "The fund's performance from inception to a date" })
  @ApiResult(
    'FundPerformance',
    "The fund's roll-forward from inception and its XIRR, TVPI, DPI, RVPI: with its facilities as booked, without them as ILPA defines it (each draw called from the LPs on its date instead), and with the interest expense added back (not ILPA's figure: it keeps the gains on borrowed money).",
  )
  performance(@Param('fundId', FundIdPipe) fundId: string, @Query() query: AsOfQueryDto): Promise<FundPerformance> {
    return this.queries.performance(fundId, asOfQuery(query));
  }

  @Get('lps')
  @ApiOperation({ summary: 'The register of LPs on a date: a JSON page, or all of it as CSV' })
  @ApiResult(
    'RegisterPage',
    "The register: every admitted LP's net assets on a date, summing to the fund's net assets. JSON pages; with Accept: text/csv, the whole register streamed.",
    {
      'text/csv': 'The whole register, one LP a row, with a header row (offset and limit do not apply).',
    },
  )
  async register(
    @Param('fundId', FundIdPipe) fundId: string,
    @Query() query: RegisterQueryDto,
    @Headers('accept') accept = '',
  ): Promise<RegisterPage | StreamableFile> {
    if (accept.includes('text/csv')) {
      const rows = await this.queries.registerRows(fundId, asOfQuery(query));
      return new StreamableFile(Readable.from(registerCsv(rows)), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="${fundId}-register-${query.asOf ?? today()}.csv"`,
      });
    }
    return this.queries.register(fundId, asOfQuery(query), query.offset ?? 0, query.limit ?? 100);
  }

  @Get('lps/:lpId')
  @ApiOperation({ summary: "An LP's capital account statement for a period" })
  @ApiResult(
    'CapitalAccount',
    "An LP's capital account for a period: the ILPA roll-forward, commitment, ownership, look-through exposure and performance (in yen too for a JPY LP).",
  )
  capitalAccount(@Param('fundId', FundIdPipe) fundId: string, @Param('lpId') lpId: string, @Query() query: StatementQueryDto): Promise<CapitalAccount> {
    return this.queries.capitalAccount(fundId, lpId, { ...asOfQuery(query), from: query.from });
  }

  @Get('lps/:lpId/ilpa-statement')
  @ApiOperation({ summary: "An LP's ILPA statement: period, year to date and since inception; the commitment roll-forward; in yen too for a JPY LP" })
  @ApiResult(
    'IlpaStatement',
    "An LP's capital account in three columns (the period, the year to date, since inception), each line signed as it moves net assets so that each column adds up; its unfunded commitment rolled forward; for a JPY LP the roll-forward in yen (docs/accounting.md). JSON, or CSV with format=csv or Accept: text/csv.",
    { 'text/csv': 'One row a figure, named by its JSON key in snake_case: `line,period,year_to_date,inception_to_date`.' },
  )
  async ilpaStatement(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('lpId') lpId: string,
    @Query() query: IlpaStatementQueryDto,
    @Headers('accept') accept = '',
  ): Promise<IlpaStatement | StreamableFile> {
    const statement = await this.queries.ilpaStatement(fundId, lpId, { ...asOfQuery(query), from: query.from });
    if (query.format === 'csv' || (query.format === undefined && accept.includes('text/csv'))) {
      return new StreamableFile(Readable.from(ilpaStatementCsv(statement)), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="${fundId}-${lpId}-ilpa-statement-${statement.asOf}.csv"`,
      });
    }
    return statement;
  }

  @Get('lps/:lpId/transactions')
  @ApiOperation({ summary: "An LP's transaction ledger from inception to a date" })
  @ApiResult(
    'TransactionLedger',
    "Every cash movement and accounting entry of the LP's capital account (commitment, admission and scale-back, catch-up and equalization interest, each call, payment and default, distributions declared and paid, the carry taken from them, the P&L allocated at quarter ends), with the log position of the event that records each and running balances; its closing balances are the statement's from inception, to the cent.",
  )
  transactions(@Param('fundId', FundIdPipe) fundId: string, @Param('lpId') lpId: string, @Query() query: AsOfQueryDto): Promise<TransactionLedger> {
    return this.queries.transactions(fundId, lpId, asOfQuery(query));
  }

  @Get('waterfall')
  @ApiOperation({ summary: "The distribution waterfall on a date: tiers, accrued carry, the managers' accounts" })
  @ApiResult(
    'WaterfallReport',
    "A fund with waterfall terms: the LPs' account with the managers, its net assets liquidated through the tiers (the carry accrued, and any clawback), each distribution's split by tier as recorded, and each manager's fees and carry. 404 NO_WATERFALL for a fund without terms.",
  )
  waterfall(@Param('fundId', FundIdPipe) fundId: string, @Query() query: AsOfQueryDto): Promise<WaterfallReport> {
    return this.queries.waterfall(fundId, asOfQuery(query));
  }

  @Get('managers/:manager/revenue')
  @ApiOperation({ summary: "A manager's revenue by quarter, and its government's net: fees and carry paid as an LP against received as manager" })
  @ApiResult(
    'Revenue',
    "A manager's revenue by quarter over a period, in USD and, when its government's LP account is in yen, in yen at each quarter's rate; `transfer`: what its government pays as an LP (fees, carry paid and accrued) against what the manager receives, by quarter and in total, and the net (null when the terms name no government LP). 404 NO_WATERFALL or UNKNOWN_MANAGER.",
  )
  revenue(@Param('fundId', FundIdPipe) fundId: string, @Param('manager') manager: string, @Query() query: RevenueQueryDto): Promise<Revenue> {
    return this.queries.revenue(fundId, manager, { from: query.from, to: query.to ?? today(), knownAt: query.knownAt });
  }
}
