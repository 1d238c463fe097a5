import { BadRequestException, Body, Controller, Headers, HttpStatus, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiResult } from '../openapi/api-result';
import { FundCommandService, type AnyCommand, type CommandResult } from '@fundsim/application';
import {
  AmountDto,
  CallCapitalDto,
  ChargeManagementFeeDto,
  CommandDto,
  DeclareDistributionDto,
  OpenCreditFacilityDto,
  ProposeAllocationDto,
  ReceiveProceedsDto,
  RegisterProjectDto,
  RejectAllocationDto,
  ReverseEventDto,
  ReversalApprovalDto,
  ReversalRejectionDto,
  ValueProjectDto,
  CommitCapitalDto,
  EstablishFundDto,
  HoldCloseDto,
  RecordDefaultDto,
  RecordExpenseDto,
  RecordFxRateDto,
  RecordMilestoneDto,
} from './fund-commands.dto';
import { FundIdPipe } from './fund-id.pipe';
import { PrincipalOf } from '../auth.guard';
import type { ActorRole } from '@fundsim/domain';
import type { Principal } from '@fundsim/application';

const KEY = /^[\x21-\x7e]{1,128}$/;

/** Splits a request body into the command's metadata and its data. */
function command<T extends AnyCommand['type']>(
  type: T,
  actor: Principal,
  body: Pick<CommandDto, 'effectiveDate'>,
  idempotencyKey: string | undefined,
  data: object,
): AnyCommand {
  if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
    throw new BadRequestException({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Idempotency-Key: 1-128 printable ASCII characters',
      errors: [{ field: 'Idempotency-Key', reason: '1-128 printable ASCII characters' }],
    });
  }
  // A key is the principal's own: another platform's identical key is another command, and a
  // 409 never tells one principal which keys another has used.
  const commandId = idempotencyKey === undefined ? undefined : `${actor.subject}:${idempotencyKey}`;
  // Only managers, operators and admins reach the command routes (the access table): the role the scope rules read.
  return { type, data, metadata: { actor: actor.subject, role: actor.role as ActorRole, effectiveDate: body.effectiveDate, commandId } } as AnyCommand;
}

/** Strips the metadata fields from a DTO, leaving the command's data. */
const dataOf = <D extends CommandDto>({ effectiveDate: _e, ...data }: D) => data;

interface StatusResponse {
  status(code: number): unknown;
}

/** A command route: its summary, and its CommandResult (201 when written, 200 when already recorded). */
function ApiCommand(summary: string) {
  const result = ApiResult('CommandResult', {
    201: 'Recorded: the stream, its revision, the position and the events written.',
    200: 'Already recorded under this Idempotency-Key: the first result, nothing written.',
  });
  return <M extends (...args: never[]) => Promise<CommandResult>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    ApiOperation({ summary })(target, key, descriptor);
    result(target, key, descriptor);
  };
}

@ApiTags('fund commands')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying a request with the same key never books twice.' })
@ApiResponse({ status: 400, description: 'Malformed input: each field and its reason.' })
@ApiResponse({ status: 404, description: 'Unknown fund, call or LP.' })
@ApiResponse({ status: 409, description: 'Concurrent writes outlasted the retries, or the Idempotency-Key was used for another request.' })
@ApiResponse({ status: 422, description: 'A business rule refused it: { code, message }.' })
@Controller('funds/:fundId')
export class FundCommandsController {
  constructor(private readonly commands: FundCommandService) {}

  private async run(fundId: string, cmd: AnyCommand, res: StatusResponse): Promise<CommandResult> {
    const result = await this.commands.execute(fundId, cmd);
    res.status(result.written ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Post('establish')
  @ApiCommand('Establish the fund: its terms, managers and policy; inception on the effective date')
  establish(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: EstablishFundDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('EstablishFund', actor, body, key, { fundId, ...dataOf(body) }), res);
  }

  @Post('milestones')
  @ApiCommand('Record a milestone (trade talks, G7 summit, ...)')
  milestone(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: RecordMilestoneDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RecordMilestone', actor, body, key, dataOf(body)), res);
  }

  @Post('fx-rates')
  @ApiCommand('Record the USD/JPY rate in force from the effective date')
  fxRate(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: RecordFxRateDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RecordFxRate', actor, body, key, dataOf(body)), res);
  }

  @Post('commitments')
  @ApiCommand("Commit capital (USD or JPY) on the LP's own stream; pending until a close")
  commit(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: CommitCapitalDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('CommitCapital', actor, body, key, dataOf(body)), res);
  }

  @Post('closes')
  @ApiCommand('Hold a close: admit pending commitments, scaled back at the hard cap, with equalization')
  close(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: HoldCloseDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('HoldClose', actor, body, key, {}), res);
  }

  @Post('capital-calls')
  @ApiCommand('Call a percentage of every admitted commitment')
  call(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: CallCapitalDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('CallCapital', actor, body, key, dataOf(body)), res);
  }

  @Post('credit-facilities')
  @ApiCommand('Open a credit facility (lender, limit, rate, day count, maturity)')
  openFacility(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: OpenCreditFacilityDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('OpenCreditFacility', actor, body, key, dataOf(body)), res);
  }

  @Post('credit-facilities/:facilityId/draws')
  @ApiCommand('Draw on a facility, within its limit and the leverage cap')
  draw(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('facilityId') facilityId: string,
    @Body() body: AmountDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('DrawLeverage', actor, body, key, { facilityId, amount: body.amount }), res);
  }

  @Post('credit-facilities/:facilityId/interest-payments')
  @ApiCommand('Pay the interest accrued on a facility up to the effective date')
  payInterest(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('facilityId') facilityId: string,
    @Body() body: CommandDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('PayInterest', actor, body, key, { facilityId }), res);
  }

  @Post('credit-facilities/:facilityId/repayments')
  @ApiCommand('Repay principal out of cash')
  repay(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('facilityId') facilityId: string,
    @Body() body: AmountDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RepayLeverage', actor, body, key, { facilityId, amount: body.amount }), res);
  }

  @Post('projects')
  @ApiCommand('Register a project (name, sector, partners, total size)')
  registerProject(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: RegisterProjectDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RegisterProject', actor, body, key, dataOf(body)), res);
  }

  @Post('allocations')
  @ApiCommand("Propose an allocation to a project (counts as the proposer's approval)")
  propose(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: ProposeAllocationDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('ProposeAllocation', actor, body, key, dataOf(body)), res);
  }

  @Post('allocations/:allocationId/approvals')
  @ApiCommand('Approve an allocation; the last required approval commits it (concentration limit checked)')
  approve(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('allocationId') allocationId: string,
    @Body() body: CommandDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('ApproveAllocation', actor, body, key, { allocationId }), res);
  }

  @Post('allocations/:allocationId/rejections')
  @ApiCommand('Reject an allocation: one rejection ends it')
  rejectAllocation(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('allocationId') allocationId: string,
    @Body() body: RejectAllocationDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RejectAllocation', actor, body, key, { allocationId, reason: body.reason }), res);
  }

  @Post('allocations/:allocationId/fundings')
  @ApiCommand('Fund a committed allocation, within what is left of it and the cash on hand')
  fundProject(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('allocationId') allocationId: string,
    @Body() body: AmountDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('FundProject', actor, body, key, { allocationId, amount: body.amount }), res);
  }

  @Post('projects/:projectId/valuations')
  @ApiCommand("Set a project's fair value on the effective date")
  valueProject(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('projectId') projectId: string,
    @Body() body: ValueProjectDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('ValueProject', actor, body, key, { projectId, fairValue: body.fairValue }), res);
  }

  @Post('projects/:projectId/proceeds')
  @ApiCommand('Receive proceeds from a project: income, or capital (relieves cost pro rata)')
  receiveProceeds(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('projectId') projectId: string,
    @Body() body: ReceiveProceedsDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('ReceiveProceeds', actor, body, key, { projectId, kind: body.kind, amount: body.amount }), res);
  }

  @Post('distributions')
  @ApiCommand('Declare a distribution to the LPs, payable on its payment date, within the cash available')
  distribute(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: DeclareDistributionDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('DeclareDistribution', actor, body, key, dataOf(body)), res);
  }

  @Post('management-fees')
  @ApiCommand('Charge a management fee out of cash')
  fee(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: ChargeManagementFeeDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('ChargeManagementFee', actor, body, key, dataOf(body)), res);
  }

  @Post('expenses')
  @ApiCommand('Record a fund expense paid out of cash')
  expense(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: RecordExpenseDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RecordExpense', actor, body, key, dataOf(body)), res);
  }

  @Post('events/:eventId/reversals')
  @ApiCommand("Reverse an event of the fund's stream, optionally replacing it; every later event's rules are re-checked")
  reverse(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('eventId') eventId: string,
    @Body() body: ReverseEventDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    // The effective date comes from the reversed event; the decider supplies it.
    const cmd = command('ReverseEvent', actor, { effectiveDate: '' }, key, { eventId, reason: body.reason, replacement: body.replacement });
    return this.run(fundId, cmd, res);
  }

  @Post('events/:eventId/reversals/approvals')
  @ApiCommand('Approve a reversal another manager proposed of an event under dual control; the last required approval records it')
  approveReversal(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('eventId') eventId: string,
    @Body() _body: ReversalApprovalDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('ApproveReversal', actor, { effectiveDate: '' }, key, { eventId }), res);
  }

  @Post('events/:eventId/reversals/rejections')
  @ApiCommand('Refuse (or, as its proposer, withdraw) a proposed reversal; the books stay as they are')
  rejectReversal(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('eventId') eventId: string,
    @Body() body: ReversalRejectionDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RejectReversal', actor, { effectiveDate: '' }, key, { eventId, reason: body.reason ?? '' }), res);
  }

  @Post('acceptances')
  @ApiCommand('Accept to manage a fund that another manager established naming this one; the fund takes commands once every manager has')
  acceptManagement(
    @Param('fundId', FundIdPipe) fundId: string,
    @Body() body: CommandDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('AcceptManagement', actor, body, key, {}), res);
  }

  @Post('capital-calls/:callNumber/defaults')
  @ApiCommand('Record that an LP did not pay its share of a call')
  contributionDefault(
    @Param('fundId', FundIdPipe) fundId: string,
    @Param('callNumber', ParseIntPipe) callNumber: number,
    @Body() body: RecordDefaultDto,
    @PrincipalOf() actor: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: StatusResponse,
  ) {
    return this.run(fundId, command('RecordContributionDefault', actor, body, key, { callNumber, lpId: body.lpId }), res);
  }
}
