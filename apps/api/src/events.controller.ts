import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiResult } from './openapi/api-result';
import { EventLogService, MAX_PAGE_SIZE, withoutKeySecret, type EventLogPage, type Principal } from '@fundsim/application';
import { PrincipalOf } from './auth.guard';
import type { VerifyResult } from '@fundsim/event-store';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { FundIdPipe } from './funds/fund-id.pipe';
import { NoQueryDto } from './no-query.dto';
import { StrictInt } from './strict-int';
import { IsIsoDate } from './iso-date';

export class EventLogQueryDto {
  @ApiPropertyOptional({ description: 'Global position to start at (inclusive).', minimum: 0 })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(0)
  fromPosition?: number;

  @ApiPropertyOptional({ description: `Events per page (1..${MAX_PAGE_SIZE}).`, default: 100 })
  @IsOptional()
  @StrictInt()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only streams whose name starts with this.' })
  @IsOptional()
  @IsString()
  stream?: string;

  @ApiPropertyOptional({ description: 'Only these event types, comma-separated.', example: 'CapitalCommitted,CloseHeld' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : value))
  @Matches(/^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/, { message: 'type must be event type names separated by commas' })
  type?: string;
}

@ApiTags('event log')
@Controller('events')
export class EventsController {
  constructor(private readonly log: EventLogService) {}

  @Get()
  @ApiOperation({ summary: 'Read the whole event log, a page at a time' })
  @ApiResult(
    'EventLogPage',
    "One page of the log in global order, and the position of the next page. Keys' secret hashes (`secretSha256` of `ApiKeyIssued`) only for an admin.",
  )
  async page(@Query() query: EventLogQueryDto, @PrincipalOf() principal: Principal): Promise<EventLogPage> {
    const page = await this.log.page({ fromPosition: query.fromPosition, limit: query.limit, streamPrefix: query.stream, types: query.type?.split(',') });
    return principal.role === 'admin' ? page : { ...page, events: page.events.map(withoutKeySecret) };
  }

  @Get('verify')
  @ApiOperation({ summary: "Verify the whole log's hash chain" })
  @ApiResult('VerifyResult', 'Walks the hash chain: OK with the head hash and count, or the first position that does not match.')
  verify(@Query() _query: NoQueryDto): Promise<VerifyResult> {
    return this.log.verify();
  }
}

export class FundEventLogQueryDto extends EventLogQueryDto {
  @ApiPropertyOptional({ description: 'Only events given by this actor.' })
  @IsOptional()
  @IsString()
  actor?: string;

  @ApiPropertyOptional({ description: 'Effective on or after this date (YYYY-MM-DD).' })
  @IsOptional()
  @IsIsoDate()
  effectiveFrom?: string;

  @ApiPropertyOptional({ description: 'Effective on or before this date (YYYY-MM-DD).' })
  @IsOptional()
  @IsIsoDate()
  effectiveTo?: string;
}

@ApiTags('event log')
@Controller('funds/:fundId/events')
export class FundEventsController {
  constructor(private readonly log: EventLogService) {}

  @Get()
  @ApiOperation({ summary: "Read a fund's events, filtered, a page at a time" })
  @ApiResult('EventLogPage', "One page of the fund's events (its own stream and its LPs'), filtered, in global order.")
  page(@Param('fundId', FundIdPipe) fundId: string, @Query() query: FundEventLogQueryDto): Promise<EventLogPage> {
    return this.log.page({
      fundId,
      fromPosition: query.fromPosition,
      limit: query.limit,
      streamPrefix: query.stream,
      types: query.type?.split(','),
      actor: query.actor,
      effectiveFrom: query.effectiveFrom,
      effectiveTo: query.effectiveTo,
    });
  }
}
