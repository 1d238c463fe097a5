import { createParamDecorator, ForbiddenException, HttpException, HttpStatus, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { KeyService, type Principal } from '@fundsim/application';
import { ACCESS } from './access';

interface Request {
  method: string;
  routeOptions: { url?: string };
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  principal?: Principal;
}

interface Reply {
  header(name: string, value: string): unknown;
}

export interface RateLimit {
  /** Requests per second each principal may sustain, and the burst it may spend at once. */
  perSecond: number;
  burst: number;
}

/** FUNDSIM_RATE_LIMIT=<per second>[/<burst>]; default 2000/4000 per key. */
export function rateLimitFrom(value: string | undefined): RateLimit {
  const match = /^(\d+)(?:\/(\d+))?$/.exec((value ?? '').trim());
  if (value !== undefined && value.trim() !== '' && !match) throw new Error(`FUNDSIM_RATE_LIMIT must be <requests per second>[/<burst>], got ${JSON.stringify(value)}`);
  const perSecond = match ? Number(match[1]) : 2000;
  return { perSecond, burst: match?.[2] ? Number(match[2]) : perSecond * 2 };
}

const credentialOf = (headers: Request['headers']): string | undefined => {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
};

/**
 * Every request: its route looked up in the access table (a route not in it is refused), the
 * key checked (401), the role and, for an LP, the account (403), the key's rate (429). The
 * principal it finds is the actor of whatever the request records.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly keys: KeyService,
    private readonly limit: RateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const reply = http.getResponse<Reply>();
    const route = `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`;
    const rule = ACCESS[route];
    if (!rule) throw new ForbiddenException({ statusCode: 403, code: 'FORBIDDEN', message: `${route} is not in the access table` });
    if (rule.roles === 'public') return true;
    const token = credentialOf(request.headers);
    if (!token) {
      reply.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'This route needs an API key: "Authorization: Bearer <key>" or "X-API-Key: <key>"' });
    }
    const principal = await this.keys.authenticate(token);
    if (!principal) {
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException({ statusCode: 401, code: 'INVALID_CREDENTIAL', message: 'The API key is malformed, unknown or revoked' });
    }
    const wait = this.take(principal.keyId);
    if (wait > 0) {
      reply.header('Retry-After', String(Math.ceil(wait)));
      throw new HttpException({ statusCode: 429, code: 'RATE_LIMITED', message: `Key ${principal.keyId} is over ${this.limit.perSecond} requests per second; retry in ${Math.ceil(wait)} s` }, HttpStatus.TOO_MANY_REQUESTS);
    }
    if (!rule.roles.includes(principal.role)) {
      throw new ForbiddenException({ statusCode: 403, code: 'FORBIDDEN', message: `${/^(lp|[aeiou])/.test(principal.role) ? 'An' : 'A'} ${principal.role} key may not ${route} (allowed: ${rule.roles.join(', ')})` });
    }
    if (principal.role === 'lp' && ((rule.own && request.params?.[rule.own] !== principal.subject) || (request.params?.fundId !== undefined && request.params.fundId !== principal.fundId))) {
      throw new ForbiddenException({ statusCode: 403, code: 'NOT_YOUR_ACCOUNT', message: `LP ${principal.subject} of fund ${principal.fundId} may read only its own account, in its own fund` });
    }
    request.principal = principal;
    return true;
  }

  /** A token bucket per key: seconds to wait, or 0 when the request may go. */
  private take(keyId: string): number {
    const now = performance.now() / 1000;
    const bucket = this.buckets.get(keyId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.limit.perSecond);
    bucket.at = now;
    this.buckets.set(keyId, bucket);
    if (bucket.tokens < 1) return (1 - bucket.tokens) / this.limit.perSecond;
    bucket.tokens -= 1;
    return 0;
  }
}

/** The authenticated principal's id, as the actor of what the request records. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new UnauthorizedException({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'No authenticated principal' });
  return principal.subject;
});

/** The authenticated principal of the request. */
export const PrincipalOf = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new UnauthorizedException({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'No authenticated principal' });
  return principal;
});
