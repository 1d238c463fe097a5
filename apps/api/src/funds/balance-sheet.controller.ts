import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { FundQueryService } from '@fundsim/application';
import type { BalanceSheet } from '@fundsim/projections';
import { IsOptional, IsString, Matches } from 'class-validator';
import { FundIdPipe } from './fund-id.pipe';

export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2027-06-30', description: "The books' date (effective date); today (UTC) when absent." })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ example: '2027-06-30', description: 'As the books stood at this time (date or ISO timestamp): before later corrections. As known now when absent.' })
  @IsOptional()
  @IsString()
  knownAt?: string;
}

@ApiTags('replay')
@Controller('funds/:fundId/balance-sheet')
export class BalanceSheetController {
  constructor(private readonly queries: FundQueryService) {}

  @Get()
  @ApiOkResponse({ description: 'Assets, liabilities and net assets on a date; commitments, leverage, investments by project and sector.' })
  get(@Param('fundId', FundIdPipe) fundId: string, @Query() query: AsOfQueryDto): Promise<BalanceSheet> {
    return this.queries.balanceSheet(fundId, { asOf: query.asOf ?? new Date().toISOString().slice(0, 10), knownAt: query.knownAt });
  }
}
