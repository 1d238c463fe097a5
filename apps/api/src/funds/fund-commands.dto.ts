import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsIsoDate } from '../iso-date';

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** When: every command carries it. Who is the authenticated key's principal, never a body field. */
export class CommandDto {
  @ApiProperty({ example: '2026-06-30', description: "The date on which it belongs in the fund's books." })
  @IsIsoDate()
  effectiveDate!: string;
}

export class LeveragePolicyDto {
  @ApiProperty({ example: '2.33', description: 'debt <= maxRatio x basis' })
  @Matches(DECIMAL, { message: 'maxRatio must be a decimal string' })
  maxRatio!: string;

  @ApiProperty({ enum: ['commitments', 'net-assets'] })
  @IsIn(['commitments', 'net-assets'])
  basis!: 'commitments' | 'net-assets';
}

export class EstablishFundDto extends CommandDto {
  @ApiProperty({ example: 'U.S.-Japan Sovereign Investment Fund' })
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '300000000000.00' })
  @Matches(DECIMAL, { message: 'targetSize must be a decimal string in USD' })
  targetSize!: string;

  @ApiProperty({ example: '300000000000.00' })
  @Matches(DECIMAL, { message: 'hardCap must be a decimal string in USD' })
  hardCap!: string;

  @ApiProperty({ example: ['us-treasury', 'jp-mof'] })
  @IsArray()
  @ArrayNotEmpty()
  @Matches(ID, { each: true, message: 'each manager must be an id' })
  managers!: string[];

  @ApiProperty({ example: ['us-treasury', 'jp-mof'] })
  @IsArray()
  @ArrayNotEmpty()
  @Matches(ID, { each: true, message: 'each approver must be an id' })
  approvalsRequired!: string[];

  @ApiProperty({ type: LeveragePolicyDto })
  @ValidateNested()
  @Type(() => LeveragePolicyDto)
  leveragePolicy!: LeveragePolicyDto;

  @ApiProperty({ example: '0.60', description: "Largest share of admitted commitments one project's allocations may reach." })
  @Matches(DECIMAL, { message: 'concentrationLimit must be a decimal string' })
  concentrationLimit!: string;

  @ApiProperty({ example: '0.05', description: 'Annual simple rate on the catch-up of LPs admitted at later closes.' })
  @Matches(DECIMAL, { message: 'equalizationRate must be a decimal string' })
  equalizationRate!: string;

  @ApiPropertyOptional({
    allOf: [{ $ref: '#/components/schemas/WaterfallTerms' }],
    description: 'The distribution waterfall (docs/accounting.md). Without it, distributions go to the LPs whole.',
    example: {
      style: 'european',
      preferredReturn: { rate: '0.08', compounding: 'annual', dayCount: 'ACT/365' },
      catchUp: '1',
      carriedInterest: '0.20',
      carryBearing: 'all',
      managerShares: [
        { manager: 'us-treasury', share: '0.5' },
        { manager: 'jp-mof', share: '0.5' },
      ],
    },
  })
  @IsOptional()
  @IsObject()
  waterfall?: Record<string, unknown>;
}

export class RecordMilestoneDto extends CommandDto {
  @ApiProperty({ example: 'G7 summit' })
  @IsString()
  @MaxLength(200)
  milestone!: string;

  @ApiPropertyOptional({ example: 'Tariff talks push the first close to after the summit' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RecordFxRateDto extends CommandDto {
  @ApiProperty({ enum: ['USD/JPY'] })
  @IsIn(['USD/JPY'])
  pair!: 'USD/JPY';

  @ApiProperty({ example: '149.37', description: 'Yen per dollar.' })
  @Matches(DECIMAL, { message: 'rate must be a decimal string' })
  rate!: string;
}

export class CommitCapitalDto extends CommandDto {
  @ApiProperty({ example: 'retail-000001' })
  @Matches(ID, { message: 'lpId must be 1-64 letters, digits, ".", "_" or "-"' })
  lpId!: string;

  @ApiProperty({ enum: ['sovereign', 'retail', 'institutional'] })
  @IsIn(['sovereign', 'retail', 'institutional'])
  kind!: 'sovereign' | 'retail' | 'institutional';

  @ApiProperty({ example: 'JP', description: 'ISO 3166 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US or JP' })
  country!: string;

  @ApiProperty({ example: '1500000', description: 'Decimal string in the commitment currency.' })
  @Matches(/^-?(0|[1-9]\d*)(\.\d+)?$/, { message: 'amount must be a decimal string such as "10000.00"' })
  amount!: string;

  @ApiProperty({ example: 'JPY' })
  @IsString()
  currency!: string;
}

export class HoldCloseDto extends CommandDto {}

export class CallCapitalDto extends CommandDto {
  @ApiProperty({ example: '0.10', description: 'Fraction of every admitted commitment.' })
  @Matches(DECIMAL, { message: 'percentage must be a decimal fraction such as "0.10"' })
  percentage!: string;

  @ApiPropertyOptional({ example: '2026-07-31', description: 'When the LPs pay; the call date when absent.' })
  @IsOptional()
  @IsIsoDate()
  dueDate?: string;

  @ApiPropertyOptional({
    type: 'object',
    properties: Object.fromEntries(
      ['investments', 'managementFees', 'expenses', 'facilityRepayment'].map((k) => [k, { type: 'string', example: k === 'investments' ? '0.9' : '0.05' }]),
    ),
    additionalProperties: false,
    example: { investments: '0.9', managementFees: '0.075', expenses: '0.025' },
    description:
      'What the call is for, as fractions of it summing to 1: investments, managementFees, expenses, facilityRepayment (the domain checks them: 422 INVALID_CALL_PURPOSES). All investments when absent.',
  })
  @IsOptional()
  @IsObject()
  purposes?: { investments?: string; managementFees?: string; expenses?: string; facilityRepayment?: string };
}

export class RecordDefaultDto extends CommandDto {
  @ApiProperty({ example: 'retail-000001' })
  @Matches(ID, { message: 'lpId must be an id' })
  lpId!: string;
}

export class OpenCreditFacilityDto extends CommandDto {
  @ApiProperty({ example: 'jbic-1' })
  @Matches(ID, { message: 'facilityId must be an id' })
  facilityId!: string;

  @ApiProperty({ example: 'Japan Bank for International Cooperation' })
  @IsString()
  @MaxLength(200)
  lender!: string;

  @ApiProperty({ example: '350000000000.00', description: 'USD' })
  @Matches(DECIMAL, { message: 'limit must be a decimal string in USD' })
  limit!: string;

  @ApiProperty({ example: '0.045' })
  @Matches(DECIMAL, { message: 'annualRate must be a decimal string' })
  annualRate!: string;

  @ApiProperty({ enum: ['ACT/365', 'ACT/360'] })
  @IsIn(['ACT/365', 'ACT/360'])
  dayCount!: 'ACT/365' | 'ACT/360';

  @ApiProperty({ example: '2031-07-01' })
  @IsIsoDate()
  maturityDate!: string;
}

export class AmountDto extends CommandDto {
  @ApiProperty({ example: '1000000000.00', description: 'USD' })
  @Matches(/^-?(0|[1-9]\d*)(\.\d+)?$/, { message: 'amount must be a decimal string such as "10000.00"' })
  amount!: string;
}

export class RegisterProjectDto extends CommandDto {
  @ApiProperty({ example: 'stargate' })
  @Matches(ID, { message: 'projectId must be an id' })
  projectId!: string;

  @ApiProperty({ example: 'Stargate' })
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'AI infrastructure' })
  @IsString()
  @MaxLength(100)
  sector!: string;

  @ApiProperty({ example: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'] })
  @IsArray()
  @IsString({ each: true })
  partners!: string[];

  @ApiProperty({ example: '500000000000.00', description: 'USD' })
  @Matches(DECIMAL, { message: 'totalProjectSize must be a decimal string in USD' })
  totalProjectSize!: string;
}

export class ProposeAllocationDto extends AmountDto {
  @ApiProperty({ example: 'alloc-stargate-1' })
  @Matches(ID, { message: 'allocationId must be an id' })
  allocationId!: string;

  @ApiProperty({ example: 'stargate' })
  @Matches(ID, { message: 'projectId must be an id' })
  projectId!: string;
}

export class RejectAllocationDto extends CommandDto {
  @ApiProperty({ example: 'Exceeds the sector budget agreed at the G7' })
  @IsString()
  @MaxLength(2000)
  reason!: string;
}

export class ValueProjectDto extends CommandDto {
  @ApiProperty({ example: '12500000000.00', description: 'USD' })
  @Matches(DECIMAL, { message: 'fairValue must be a decimal string in USD' })
  fairValue!: string;
}

export class ReceiveProceedsDto extends AmountDto {
  @ApiProperty({ enum: ['income', 'capital'] })
  @IsIn(['income', 'capital'])
  kind!: 'income' | 'capital';
}

export class DeclareDistributionDto extends AmountDto {
  @ApiPropertyOptional({ example: '2027-03-31', description: 'When it is paid; the declaration date when absent.' })
  @IsOptional()
  @IsIsoDate()
  paymentDate?: string;
}

export class ChargeManagementFeeDto extends AmountDto {
  @ApiProperty({ example: '2027-Q1' })
  @IsString()
  @MaxLength(50)
  period!: string;
}

export class RecordExpenseDto extends AmountDto {
  @ApiProperty({ example: 'Annual audit' })
  @IsString()
  @MaxLength(500)
  description!: string;
}

export class ReplacementDto {
  @ApiProperty({ example: 'ProjectValued', description: 'Same type as the event it replaces.' })
  @Matches(/^[A-Z][A-Za-z]+$/, { message: 'replacement.type must be an event type' })
  type!: string;

  @ApiProperty({ example: { projectId: 'stargate', fairValue: '11800000000.00' } })
  @IsObject()
  data!: Record<string, unknown>;
}

/** A reversal takes its effective date from the event it reverses. */
export class ReverseEventDto {
  @ApiProperty({ example: 'Valuation used a stale rate' })
  @IsString()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ type: ReplacementDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReplacementDto)
  replacement?: ReplacementDto;
}

/** A reversal's approval: the reversal keeps the effective date of the event it reverses. */
export class ReversalApprovalDto {}

export class ReversalRejectionDto {
  @ApiPropertyOptional({ example: 'The original allocation stands' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
