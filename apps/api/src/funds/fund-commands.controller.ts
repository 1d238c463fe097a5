import { BadRequestException, Body, Controller, Headers, HttpStatus, Param, ParseIntPipe, Post, Res, type PipeTransform, type Type } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiResult } from '../openapi/api-result';
import { FundCommandService, type Principal } from '@fundsim/application';
import { COMMAND_TYPES, COMMANDS, routeParams, type ActorRole, type AnyCommand, type CommandType } from '@fundsim/domain';
import { commandDto } from './command-dtos';
import { FundIdPipe } from './fund-id.pipe';
import { PrincipalOf } from '../auth.guard';

const KEY = /^[\x21-\x7e]{1,128}$/;

interface StatusResponse {
  status(code: number): unknown;
}

/**
 * The command routes: one `POST /funds/:fundId/<route>` per entry of the command catalog, its body
 * validated by a DTO built from the entry's data, so no route, body or command can drift from
 * another. Each answers a CommandResult: 201 when written, 200 when already recorded.
 */
@ApiTags('fund commands')
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying a request with the same key never books twice.' })
@ApiResponse({ status: 400, description: 'Malformed input: each field and its reason.' })
@ApiResponse({ status: 404, description: 'Unknown fund, call or LP.' })
@ApiResponse({ status: 409, description: 'Concurrent writes outlasted the retries, or the Idempotency-Key was used for another request.' })
@ApiResponse({ status: 422, description: 'A business rule refused it: { code, message }.' })
@Controller('funds/:fundId')
export class FundCommandsController {
  constructor(readonly commands: FundCommandService) {}

  async run(type: CommandType, path: Record<string, unknown>, body: Record<string, unknown>, actor: Principal, key: string | undefined, res: StatusResponse) {
    const result = await this.commands.execute(path.fundId as string, commandOf(type, path, body, actor, key));
    res.status(result.written ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }
}

/** The command a request asks for: its data from the path and the body (in the catalog's order of fields), its metadata from the key. */
function commandOf(type: CommandType, path: Record<string, unknown>, body: Record<string, unknown>, actor: Principal, key: string | undefined): AnyCommand {
  if (key !== undefined && !KEY.test(key)) {
    throw new BadRequestException({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Idempotency-Key: 1-128 printable ASCII characters',
      errors: [{ field: 'Idempotency-Key', reason: '1-128 printable ASCII characters' }],
    });
  }
  const value = (field: string) => (Object.hasOwn(path, field) ? path[field] : body[field]);
  const data = Object.fromEntries(
    Object.keys(COMMANDS[type].data)
      .filter((field) => value(field) !== undefined)
      .map((field) => [field, value(field)]),
  );
  // A key is the principal's own: another platform's identical key is another command, and a
  // 409 never tells one principal which keys another has used.
  const commandId = key === undefined ? undefined : `${actor.subject}:${key}`;
  // An undated command (a correction) takes its date from the event it acts on; the decider supplies it.
  const effectiveDate = COMMANDS[type].dated ? (body.effectiveDate as string) : '';
  // Only managers, operators and admins reach the command routes (the access table): the role the scope rules read.
  const metadata = { actor: actor.subject, role: actor.role as ActorRole, effectiveDate, commandId };
  return { type, data, metadata } as AnyCommand;
}

/** A path parameter's pipe: the fund id's grammar, or an integer. */
function pipesOf(type: CommandType, param: string): (Type<PipeTransform> | PipeTransform)[] {
  if (param === 'fundId') return [FundIdPipe];
  const f = (COMMANDS[type].data as Record<string, { kind: string }>)[param];
  return f?.kind === 'int' ? [ParseIntPipe] : [];
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

for (const type of COMMAND_TYPES) {
  const entry = COMMANDS[type];
  const params = routeParams(entry);
  const dto = commandDto(type, entry);
  const name = lowerFirst(type);
  const proto = FundCommandsController.prototype as unknown as Record<string, unknown>;
  const handler = function (this: FundCommandsController, ...args: unknown[]) {
    const path = Object.fromEntries(params.map((p, i) => [p, args[i]]));
    const [body, actor, key, res] = args.slice(params.length) as [Record<string, unknown>, Principal, string | undefined, StatusResponse];
    return this.run(type, path, body, actor, key, res);
  };
  // Named for the contract's operationId (FundCommandsController_<command>).
  proto[name] = Object.defineProperty(handler, 'name', { value: name });
  const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
  const n = params.length;
  params.forEach((param, i) => Param(param, ...pipesOf(type, param))(proto, name, i));
  Body()(proto, name, n);
  PrincipalOf()(proto, name, n + 1);
  Headers('idempotency-key')(proto, name, n + 2);
  Res({ passthrough: true })(proto, name, n + 3);
  // What the ValidationPipe validates each argument as: the route's parameters, then the body's DTO.
  Reflect.defineMetadata(
    'design:paramtypes',
    [...params.map((p) => (pipesOf(type, p)[0] === ParseIntPipe ? Number : String)), dto, Object, Object, Object],
    proto,
    name,
  );
  Post(entry.route)(proto, name, descriptor);
  ApiOperation({ summary: entry.summary })(proto, name, descriptor);
  ApiResult('CommandResult', {
    201: 'Recorded: the stream, its revision, the position and the events written.',
    200: 'Already recorded under this Idempotency-Key: the first result, nothing written.',
  })(proto, name, descriptor);
}
