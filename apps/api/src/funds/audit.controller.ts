import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditService, EXPORT_FORMATS, EXPORT_SUBJECTS, type AllocationSummary, type ExportSubject } from '@fundsim/application';
import type { AllocationTrail, ComplianceReport, ExportFormat } from '@fundsim/projections';
import type { VerifyResult } from '@fundsim/event-store';
import { IsIn, IsOptional } from 'class-validator';
import { Readable } from 'node:stream';
import { NoQueryDto } from '../no-query.dto';
import { FundIdPipe } from './fund-id.pipe';

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'jsonl' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @ApiPropertyOptional({ enum: EXPORT_SUBJECTS, default: 'events', description: 'The whole event log of the fund, or its allocation trails.' })
  @IsOptional()
  @IsIn(EXPORT_SUBJECTS)
  what?: ExportSubject;
}

@ApiTags('audit')
@Controller('funds/:fundId')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit/allocations')
  @ApiOkResponse({ description: 'Every allocation: project, amount, status, who proposed and approved it, funded so far, lines and corrections in its trail.' })
  allocations(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<AllocationSummary[]> {
    return this.audit.allocations(fundId);
  }

  @Get('audit/allocations/:allocationId')
  @ApiOkResponse({ description: "One allocation's story in log order, every line with event id, position, effective date, recorded-at, actor and any correction that touched it." })
  trail(@Param('fundId', FundIdPipe) fundId: string, @Param('allocationId') allocationId: string, @Query() _query: NoQueryDto): Promise<AllocationTrail> {
    return this.audit.trail(fundId, allocationId);
  }

  @Get('audit/compliance')
  @ApiOkResponse({ description: 'Every allocation commitment, funding and leverage draw, its policy checks recomputed from the state known when it was recorded, with the figures; breaches listed.' })
  compliance(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<ComplianceReport> {
    return this.audit.compliance(fundId);
  }

  @Get('audit/verify')
  @ApiOkResponse({ description: "The log's hash chain walked from genesis: ok with the head hash and count, or the first position that does not match." })
  verify(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<VerifyResult & { fundId: string }> {
    return this.audit.verify(fundId);
  }

  @Get('events/export')
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: "The fund's events (or allocation trails) streamed as CSV or JSON lines, in bounded memory." })
  async export(@Param('fundId', FundIdPipe) fundId: string, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    const format = query.format ?? 'jsonl';
    const what = query.what ?? 'events';
    const lines = await this.audit.export(fundId, format, what);
    return new StreamableFile(Readable.from(lines), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="${fundId}-${what}.${format === 'csv' ? 'csv' : 'jsonl'}"`,
    });
  }
}
