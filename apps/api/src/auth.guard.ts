import {
  createParamDecorator,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { KeyService, type Principal } from '@fundsim/application';
import { ACCESS } from './access';

interface Request {
  method: string;
  /** The client's address (the socket's: no proxy is trusted). */
  ip?: string;
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
export function rateLimitFrom(value: string | undefined, fallback: RateLimit = { perSecond: 2000, burst: 4000 }, name = 'FUNDSIM_RATE_LIMIT'): RateLimit {
  const match = /^(\d+)(?:\/(\d+))?$/.exec((value ?? '').trim());
  if (value !== undefined && value.trim() !== '' && !match) throw new Error(`${name} must be <requests per second>[/<burst>], got ${JSON.stringify(value)}`);
  if (!match) return fallback;
  const perSecond = Number(match[1]);
  return { perSecond, burst: match[2] ? Number(match[2]) : perSecond * 2 };
}

/**
 * Requests without a valid key (public routes, no key, a wrong or revoked one), per client
 * address: enough for a dashboard and a load balancer's health checks, not for guessing keys or
 * flooding /health. FUNDSIM_ANON_RATE_LIMIT changes it.
 */
export const ANON_RATE_LIMIT: RateLimit = { perSecond: 20, burst: 100 };

/** Token buckets by name (a key id, an address), at most `max` of them: a bucket refilled to its burst is as good as none. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly max = 10_000,
  ) {}

  /** Seconds to wait, or 0 when the request may go (and a token is spent). */
  take(name: string): number {
    const now = performance.now() / 1000;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      if (this.buckets.size >= this.max) this.prune(now);
      bucket = { tokens: this.limit.burst, at: now };
      this.buckets.set(name, bucket);
    }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.limit.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return (1 - bucket.tokens) / this.limit.perSecond;
    bucket.tokens -= 1;
    return 0;
  }

  /** Drops the buckets that have refilled; if that frees nothing, the oldest tenth (many addresses at once). */
  private prune(now: number): void {
    for (const [name, bucket] of this.buckets) if (bucket.tokens + (now - bucket.at) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(name);
    if (this.buckets.size < this.max) return;
    let drop = Math.ceil(this.max / 10);
    for (const name of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(name);
    }
  }
}

const credentialOf = (headers: Request['headers']): string | undefined => {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
};

/**
 * Every request: its route looked up in the access table (a route not in it is refused), the
 * key checked (401), the role and, for an LP, the account (403), the key's rate (429). A request
 * without a valid key spends from its address's allowance instead (429 past it). The principal
 * it finds is the actor of whatever the request records.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly byKey: TokenBuckets;
  private readonly byAddress: TokenBuckets;

  constructor(
    private readonly keys: KeyService,
    limit: RateLimit,
    anonymous: RateLimit = ANON_RATE_LIMIT,
  ) {
    this.byKey = new TokenBuckets(limit);
    this.byAddress = new TokenBuckets(anonymous);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const reply = http.getResponse<Reply>();
    const route = `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`;
    const rule = ACCESS[route];
    if (!rule) throw new ForbiddenException({ statusCode: 403, code: 'FORBIDDEN', message: `${route} is not in the access table` });
    if (rule.roles === 'public') return this.anonymous(request, reply);
    const token = credentialOf(request.headers);
    if (!token) {
      this.anonymous(request, reply);
      reply.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: 'This route needs an API key: "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      });
    }
    const principal = await this.keys.authenticate(token);
    if (!principal) {
      this.anonymous(request, reply);
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException({ statusCode: 401, code: 'INVALID_CREDENTIAL', message: 'The API key is malformed, unknown or revoked' });
    }
    const wait = this.byKey.take(principal.keyId);
    if (wait > 0) throw rateLimited(reply, wait, `Key ${principal.keyId} is over ${this.byKey.limit.perSecond} requests per second`);
    if (!rule.roles.includes(principal.role)) {
      throw new ForbiddenException({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: `${/^(lp|[aeiou])/.test(principal.role) ? 'An' : 'A'} ${principal.role} key may not ${route} (allowed: ${rule.roles.join(', ')})`,
      });
    }
    if (
      principal.role === 'lp' &&
      ((rule.own && request.params?.[rule.own] !== principal.subject) || (request.params?.fundId !== undefined && request.params.fundId !== principal.fundId))
    ) {
      throw new ForbiddenException({
        statusCode: 403,
        code: 'NOT_YOUR_ACCOUNT',
        message: `LP ${principal.subject} of fund ${principal.fundId} may read only its own account, in its own fund`,
      });
    }
    request.principal = principal;
    return true;
  }

  /** Spends from the address's allowance (true), or refuses with 429 past it. */
  private anonymous(request: Request, reply: Reply): true {
    const address = request.ip ?? 'unknown';
    const wait = this.byAddress.take(address);
    if (wait > 0) throw rateLimited(reply, wait, `Requests without a valid key from ${address} are over ${this.byAddress.limit.perSecond} per second`);
    return true;
  }
}

function rateLimited(reply: Reply, wait: number, why: string): HttpException {
  reply.header('Retry-After', String(Math.ceil(wait)));
  return new HttpException({ statusCode: 429, code: 'RATE_LIMITED', message: `${why}; retry in ${Math.ceil(wait)} s` }, HttpStatus.TOO_MANY_REQUESTS);
}

/** The authenticated principal of the request: the actor of whatever it records. */
export const PrincipalOf = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new UnauthorizedException({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'No authenticated principal' });
  return principal;
});
