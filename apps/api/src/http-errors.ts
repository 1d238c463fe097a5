import { BadRequestException, Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter, type ValidationError } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ConcurrencyConflictError, SimulationCancelledError, SimulationQuotaExceededError, SimulationsBusyError } from '@fundsim/application';
import { NOT_FOUND_CODES, Rejection } from '@fundsim/domain';
import { EventStoreError } from '@fundsim/event-store';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** nginx's status for a request whose client closed the connection before the answer. */
const CLIENT_CLOSED_REQUEST = 499;

/** The body of every error response: a stable code for programs, a message for people. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; reason: string }[];
}

const STORE_STATUS: Record<string, number> = {
  WRONG_EXPECTED_REVISION: HttpStatus.CONFLICT,
  IDEMPOTENCY_CONFLICT: HttpStatus.CONFLICT,
  STREAM_NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_APPEND: HttpStatus.BAD_REQUEST,
  STREAM_DELETED: HttpStatus.CONFLICT,
  // The store (EventStoreDB) does not answer, refuses the credentials or is too old: not the client's doing.
  STORE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

/** class-validator failures become 400 with each field and its reason. */
export function validationException(errors: ValidationError[]): BadRequestException {
  const flat = (list: ValidationError[], prefix = ''): { field: string; reason: string }[] =>
    list.flatMap((e) => [
      ...Object.values(e.constraints ?? {}).map((reason) => ({ field: `${prefix}${e.property}`, reason })),
      ...flat(e.children ?? [], `${prefix}${e.property}.`),
    ]);
  const details = flat(errors);
  return new BadRequestException({
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: details.map((d) => `${d.field}: ${d.reason}`).join('; '),
    errors: details,
  } satisfies ErrorBody);
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  /** Each served route's path as a pattern, with the methods it answers: a known path asked with another method is a 405. */
  private paths?: { pattern: RegExp; methods: string[] }[];

  /** `routes`: filled as the app registers them (so read on first use). */
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly routes: Iterable<string> = [],
  ) {}

  private allowedMethods(path: string): string[] | undefined {
    if (!this.paths) {
      const byPath = new Map<string, string[]>();
      for (const route of this.routes) {
        const [method, pattern] = route.split(' ');
        byPath.set(pattern, [...(byPath.get(pattern) ?? []), method]);
      }
      this.paths = [...byPath].map(([pattern, methods]) => ({ pattern: new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}/?$`), methods }));
    }
    return this.paths.find((p) => p.pattern.test(path))?.methods;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ method: string; url: string; routeOptions?: { url?: string } }>();
    let body = errorBody(exception, this.logger);
    if (body.statusCode === HttpStatus.NOT_FOUND && request.routeOptions?.url === undefined) {
      const path = request.url.split('?')[0];
      const allowed = this.allowedMethods(path);
      if (allowed) {
        this.adapterHost.httpAdapter.setHeader(http.getResponse(), 'Allow', allowed.join(', '));
        body = {
          statusCode: HttpStatus.METHOD_NOT_ALLOWED,
          code: 'METHOD_NOT_ALLOWED',
          message: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
        };
      }
    }
    // Refused for now, not for good (a simulation quota, a full pool): say when to come back.
    if (exception instanceof SimulationQuotaExceededError || exception instanceof SimulationsBusyError) {
      this.adapterHost.httpAdapter.setHeader(http.getResponse(), 'Retry-After', String(exception.retryAfterSeconds));
    }
    this.adapterHost.httpAdapter.reply(http.getResponse(), body, body.statusCode);
  }
}

/** The body of the answer to an exception; anything unexpected is logged and answered 500 without its details. */
export function errorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof Rejection) {
    return {
      statusCode: NOT_FOUND_CODES.has(exception.code) ? HttpStatus.NOT_FOUND : HttpStatus.UNPROCESSABLE_ENTITY,
      code: exception.code,
      message: exception.message,
    };
  }
  if (exception instanceof ConcurrencyConflictError) return { statusCode: HttpStatus.CONFLICT, code: exception.code, message: exception.message };
  if (exception instanceof SimulationsBusyError) return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: exception.code, message: exception.message };
  if (exception instanceof SimulationQuotaExceededError) return { statusCode: HttpStatus.TOO_MANY_REQUESTS, code: exception.code, message: exception.message };
  // Nobody reads this answer (the client went away); 499 keeps it out of the 5xx a log counts as failures.
  if (exception instanceof SimulationCancelledError) return { statusCode: CLIENT_CLOSED_REQUEST, code: exception.code, message: exception.message };
  if (exception instanceof EventStoreError) {
    return { statusCode: STORE_STATUS[exception.code] ?? HttpStatus.UNPROCESSABLE_ENTITY, code: exception.code, message: exception.message };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) return response as ErrorBody;
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
    return { statusCode: status, code: HttpStatus[status] ?? 'HTTP_ERROR', message };
  }
  // Fastify's own refusals (a Content-Length that does not match, a URL it cannot route...) carry their status.
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, code: HttpStatus[status] ?? 'BAD_REQUEST', message: exception instanceof Error ? exception.message : HttpStatus[status] };
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Internal error; it has been logged.' };
}

/**
 * A request Node's HTTP parser refuses (a malformed request line or header, headers too large, a
 * client too slow) never reaches Fastify's routes or this filter; Fastify's default answer to it
 * has no `code`. The same body as every other refusal, then the connection closed (its framing
 * cannot be trusted).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large']
        : [400, 'MALFORMED_REQUEST', 'The request is not well-formed HTTP/1.1'];
  const body = JSON.stringify({ statusCode, code, message } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
