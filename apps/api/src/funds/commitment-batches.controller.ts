import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CommitmentBatchRefused,
  CommitmentBatchService,
  MAX_BATCH_ROWS,
  type CommitmentBatchResult,
  type CommitmentRow,
  type Principal,
} from '@fundsim/application';
import type { ActorRole } from '@fundsim/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsObject, IsOptional } from 'class-validator';
import { PrincipalOf } from '../auth.guard';
import { ApiResult } from '../openapi/api-result';
import { FundIdPipe } from './fund-id.pipe';

export class CommitmentBatchDto {
  /** Each row's fields are checked by the service, row by row (a malformed row is reported, not the whole request refused). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ROWS)
  @IsObject({ each: true })
  rows!: CommitmentRow[];

  @IsOptional()
  @IsBoolean()
  preview?: boolean;
}

interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('fund commands')
@Controller('funds/:fundId')
export class CommitmentBatchesController {
  constructor(private readonly batches: CommitmentBatchService) {}

  @Post('commitment-batches')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "A platform's file of commitments, checked row by row and written as one scenario (or previewed)" })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['rows'],
      additionalProperties: false,
      properties: {
        rows: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_BATCH_ROWS,
          items: {
            type: 'object',
            properties: Object.fromEntries(['lpId', 'kind', 'country', 'amount', 'currency', 'effectiveDate'].map((f) => [f, { type: 'string' }])),
          },
          example: [{ lpId: 'retail-us-900001', kind: 'retail', country: 'US', amount: '10000.00', currency: 'USD', effectiveDate: '2026-04-02' }],
        },
        preview: { type: 'boolean', default: false, description: 'Decide every row against the books and write nothing.' },
      },
    },
  })
  @ApiResult(
    'CommitmentBatchResult',
    "Each row's outcome (accepted with its USD equivalent, or refused with the rule's code): 200 for a preview, 201 when every row passed and all were written in one batch. A submission with a refused row writes nothing: 422 BATCH_REFUSED with each refused row in `errors`.",
  )
  @ApiResponse({ status: 422, description: 'BATCH_REFUSED: a row was refused; nothing was written.' })
  async submit(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: CommitmentBatchDto,
    @PrincipalOf() principal: Principal,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<CommitmentBatchResult> {
    try {
      const result = await this.batches.submit(fundId, { subject: principal.subject, role: principal.role as ActorRole }, body.rows, body.preview === true);
      if (result.written) res.status(HttpStatus.CREATED);
      return result;
    } catch (error) {
      if (!(error instanceof CommitmentBatchRefused)) throw error;
      throw new UnprocessableEntityException({
        statusCode: 422,
        code: error.code,
        message: error.message,
        errors: error.result.rows
          .filter((r) => !r.ok)
          .map((r) => ({ field: `rows[${r.row - 1}]${r.field ? `.${r.field}` : ''}`, reason: `${r.code}: ${r.message}` })),
      });
    }
  }
}
