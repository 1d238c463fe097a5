import { Body, Controller, Headers, HttpCode, Param, Post, type StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiResult } from '../openapi/api-result';
import {
  FundSimulationService,
  MAX_FUND_PATHS,
  MAX_PATHS,
  SimulationService,
  type FundSimulation,
  type LpCommitmentSimulation,
  type Principal,
} from '@fundsim/application';
import { LP_ID } from '@fundsim/domain';
import { FUND_SCENARIO_NAMES } from '@fundsim/simulation';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { FundIdPipe } from './fund-id.pipe';
import { IsIsoDate, IsIsoDateOrTimestamp } from '../iso-date';
import { PrincipalOf } from '../auth.guard';
import { ClientGone } from '../client-gone';
import { ownerOf, SIMULATION_STREAM_DESCRIPTION, simulationStream } from './simulation-stream';

const NDJSON = 'application/x-ndjson';
const FAIR =
  ' Runs are shared fairly among principals (a quota each, then turns; 429 SIMULATION_QUOTA_EXCEEDED with Retry-After over it); closing the request cancels its run.';

export class LpCommitmentSimulationDto {
  @ApiProperty({ example: '10000.00', description: "The commitment, a decimal string in its currency's units (JPY has no decimals)." })
  @Matches(/^-?(0|[1-9]\d*)(\.\d+)?$/, { message: 'amount must be a decimal string such as "10000.00"' })
  amount!: string;

  @ApiProperty({ enum: ['USD', 'JPY'] })
  @IsIn(['USD', 'JPY'])
  currency!: 'USD' | 'JPY';

  @ApiProperty({ example: '2027-06-30', description: 'When the commitment would be made and admitted.' })
  @IsIsoDate()
  date!: string;

  @ApiPropertyOptional({ enum: ['retail', 'institutional', 'sovereign'], default: 'retail' })
  @IsOptional()
  @IsIn(['retail', 'institutional', 'sovereign'])
  lpKind?: 'retail' | 'institutional' | 'sovereign';

  @ApiPropertyOptional({ example: 'JP', description: 'ISO 3166 alpha-2; US for USD and JP for JPY when absent.' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US or JP' })
  country?: string;

  @ApiPropertyOptional({ enum: FUND_SCENARIO_NAMES, default: 'base' })
  @IsOptional()
  @IsIn(FUND_SCENARIO_NAMES)
  scenario?: string;

  @ApiPropertyOptional({ example: 10000, default: 10000, description: `Monte Carlo paths, 1 to ${MAX_PATHS}.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PATHS)
  paths?: number;

  @ApiPropertyOptional({ example: 42, default: 42, description: 'The same input and seed give the same output, to the byte.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 32 - 1)
  seed?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { growth: 0.06, quarters: 48 },
    description: "The fund model's parameters to override (docs/simulation.md, part 2).",
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

/** A new commitment followed on the fund's paths (admitted on the fork's date). */
export class FundCommitmentDto {
  @ApiProperty({ example: '10000.00', description: "The commitment, a decimal string in its currency's units (JPY has no decimals)." })
  @Matches(/^-?(0|[1-9]\d*)(\.\d+)?$/, { message: 'amount must be a decimal string such as "10000.00"' })
  amount!: string;

  @ApiProperty({ enum: ['USD', 'JPY'] })
  @IsIn(['USD', 'JPY'])
  currency!: 'USD' | 'JPY';

  @ApiPropertyOptional({ enum: ['retail', 'institutional', 'sovereign'], default: 'retail' })
  @IsOptional()
  @IsIn(['retail', 'institutional', 'sovereign'])
  lpKind?: 'retail' | 'institutional' | 'sovereign';

  @ApiPropertyOptional({ example: 'JP', description: 'ISO 3166 alpha-2; US for USD and JP for JPY when absent.' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US or JP' })
  country?: string;
}

export class FundSimulationDto {
  @ApiProperty({ example: '2028-12-31', description: 'The fork: the books as of this date.' })
  @IsIsoDate()
  from!: string;

  @ApiPropertyOptional({ example: '2029-02-15', description: 'The books as known at this time (date or ISO timestamp); as known now when absent.' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  knownAt?: string;

  @ApiPropertyOptional({ enum: FUND_SCENARIO_NAMES, default: 'base' })
  @IsOptional()
  @IsIn(FUND_SCENARIO_NAMES)
  scenario?: string;

  @ApiPropertyOptional({ example: 10000, default: 10000, description: `Monte Carlo paths, 1 to ${MAX_FUND_PATHS}.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FUND_PATHS)
  paths?: number;

  @ApiPropertyOptional({ example: 42, default: 42, description: 'The same input and seed give the same output, to the byte.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2 ** 32 - 1)
  seed?: number;

  @ApiPropertyOptional({ example: 'retail-jp-000001', description: 'An LP followed on the same paths: its calls, distributions, net assets and IRR.' })
  @IsOptional()
  @Matches(LP_ID, { message: "lpId must be 1-64 letters, digits, '.', '_' or '-'" })
  lpId?: string;

  @ApiPropertyOptional({
    type: FundCommitmentDto,
    description:
      "A new commitment, admitted at the fork by the books' own rules and followed on the same paths (as the lp-commitment route runs it; not with lpId).",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FundCommitmentDto)
  commitment?: FundCommitmentDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { correlation: 0.8, callPace: 0.04 },
    description: 'Model parameters to override (docs/simulation.md, part 2).',
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

@ApiTags('simulate')
@Controller('funds/:fundId/simulations')
export class SimulationController {
  constructor(
    private readonly simulation: SimulationService,
    private readonly funds: FundSimulationService,
  ) {}

  @Post('lp-commitment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Simulate a retail commitment: what it would own and what might happen to it' })
  @ApiResult(
    'LpCommitmentSimulation',
    "What the commitment would own (equalization, ownership, look-through) and what might happen to it as a new LP on the fund model's own paths (the engine of the fund simulation with a commitment): quarterly calls, distributions and NAV net of carry (median and p5-p95), IRR, TVPI, DPI, ending NAV and the probability of loss, gross and net of carry, in USD and in yen for a JPY investor. Nothing is written." +
      FAIR,
    { [NDJSON]: SIMULATION_STREAM_DESCRIPTION },
  )
  simulate(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: LpCommitmentSimulationDto,
    @PrincipalOf() principal: Principal,
    @ClientGone() signal: AbortSignal,
    @Headers('accept') accept = '',
  ): Promise<LpCommitmentSimulation | StreamableFile> {
    const run = { owner: ownerOf(principal), signal };
    if (accept.includes(NDJSON)) return simulationStream((events) => this.simulation.simulateCommitment(fundId, body, { ...run, ...events }));
    return this.simulation.simulateCommitment(fundId, body, run);
  }

  @Post('fund')
  @HttpCode(200)
  @ApiOperation({ summary: 'Simulate the fund itself forward from its books on a date' })
  @ApiResult(
    'FundSimulation',
    "The fund run forward from a fork of its books, over seeded paths: net assets, debt, leverage against the cap and cash by quarter (p5, p50, p95), the probability of a liquidity shortfall, the quarter the cap binds, deployment by sector, the fund's IRR, TVPI, DPI with and without the cost of leverage and net of carry, each government's revenue, and an LP followed on the same paths. Nothing is written." +
      FAIR,
    { [NDJSON]: SIMULATION_STREAM_DESCRIPTION },
  )
  simulateFund(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: FundSimulationDto,
    @PrincipalOf() principal: Principal,
    @ClientGone() signal: AbortSignal,
    @Headers('accept') accept = '',
  ): Promise<FundSimulation | StreamableFile> {
    const run = { owner: ownerOf(principal), signal };
    if (accept.includes(NDJSON)) return simulationStream((events) => this.funds.simulate(fundId, body, { ...run, ...events }));
    return this.funds.simulate(fundId, body, run);
  }
}
