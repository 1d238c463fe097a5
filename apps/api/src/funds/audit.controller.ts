import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiResult, ApiText } from '../openapi/api-result';
import { AuditService, EXPORT_FORMATS, EXPORT_SUBJECTS, type AllocationSummary, type ExportSubject } from '@fundsim/application';
import type { AllocationTrail, ComplianceReport, ExportFormat, PendingApprovals } from '@fundsim/projections';
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
  @ApiOperation({ summary: 'Every allocation of the fund, with who proposed and approved it' })
  @ApiResult(
    'AllocationSummaries',
    'Every allocation: project, amount, status, who proposed and approved it, funded so far, lines and corrections in its trail.',
  )
  allocations(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<AllocationSummary[]> {
    return this.audit.allocations(fundId);
  }

  @Get('audit/allocations/:allocationId')
  @ApiOperation({ summary: "One allocation's audit trail" })
  @ApiResult(
    'AllocationTrail',
    "One allocation's story in log order, every line with event id, position, effective date, recorded-at, actor and any correction that touched it.",
  )
  trail(@Param('fundId', FundIdPipe) fundId: string, @Param('allocationId') allocationId: string, @Query() _query: NoQueryDto): Promise<AllocationTrail> {
    return this.audit.trail(fundId, allocationId);
  }

  @Get('approvals')
  @ApiOperation({ summary: 'What awaits the managers: allocations and reversals proposed, not yet approved by every required manager' })
  @ApiResult(
    'PendingApprovals',
    'Each decision under dual control still open (an allocation proposed, a reversal proposed), oldest first: who proposed it, who approved it so far, and which required managers must still approve it. The books change only once the last of them approves.',
  )
  approvals(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<PendingApprovals> {
    return this.audit.approvals(fundId);
  }

  @Get('audit/compliance')
  @ApiOperation({ summary: 'The compliance report: every policy check recomputed' })
  @ApiResult(
    'ComplianceReport',
    "Every allocation commitment, funding, leverage draw and payment out of cash (distribution, fee, expense, interest, repayment), its policy checks recomputed from the state known when it was recorded (the deciders' own checks), with the figures; breaches listed.",
  )
  compliance(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<ComplianceReport> {
    return this.audit.compliance(fundId);
  }

  @Get('audit/verify')
  @ApiOperation({ summary: "Verify the log's hash chain" })
  @ApiResult('FundVerifyResult', "The log's hash chain walked from genesis: ok with the head hash and count, or the first position that does not match.")
  verify(@Param('fundId', FundIdPipe) fundId: string, @Query() _query: NoQueryDto): Promise<VerifyResult & { fundId: string }> {
    return this.audit.verify(fundId);
  }

  @Get('events/export')
  @ApiOperation({ summary: "Export the fund's events or allocation trails (CSV or JSON lines)" })
  @ApiText("The fund's events (or allocation trails) streamed as CSV or JSON lines, in bounded memory.", {
    'application/x-ndjson': 'format=jsonl (the default): one JSON object a line.',
    'text/csv': 'format=csv: a header row, then one row an event (or trail line).',
  })
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
