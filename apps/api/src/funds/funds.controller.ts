import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FundQueryService, type FundSummary, type Principal } from '@fundsim/application';
import { PrincipalOf } from '../auth.guard';
import { NoQueryDto } from '../no-query.dto';
import { ApiResult } from '../openapi/api-result';

@ApiTags('replay')
@Controller('funds')
export class FundsController {
  constructor(private readonly queries: FundQueryService) {}

  @Get()
  @ApiOperation({ summary: 'The funds this key may see, with the dates of their lives' })
  @ApiResult(
    'FundSummaries',
    'Each fund the key may see, in the order they were established: its name, managers, whether it has a waterfall, and its life in the books (the first and latest effective dates). An auditor, an admin and an operator see every fund; a manager, the funds whose terms name it; an LP key, the fund it is an LP of.',
  )
  funds(@Query() _query: NoQueryDto, @PrincipalOf() principal: Principal): Promise<FundSummary[]> {
    return this.queries.fundsFor(principal);
  }
}
