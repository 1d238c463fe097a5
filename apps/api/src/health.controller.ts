import { Controller, Get, Header, HttpStatus, Injectable, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiResult, ApiText } from './openapi/api-result';
import type { Health, Readiness as ReadinessStatus, ReplicaReadiness } from './openapi/responses';
import { EventLogService, FundQueryService } from '@fundsim/application';
import { NoQueryDto } from './no-query.dto';
import { Metrics } from './observability';

/**
 * FUNDSIM_REPLICA_MAX_LAG: seconds a read replica may be behind before the node says it is not
 * ready (default 10; `off`: never, the lag is then only in /metrics).
 */
export function maxReplicaLagFrom(value: string | undefined): number | null {
  const raw = (value ?? '').trim();
  if (raw === '') return 10;
  if (raw === 'off') return null;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`FUNDSIM_REPLICA_MAX_LAG must be a number of seconds or off, got ${JSON.stringify(value)}`);
  return seconds;
}

/** Ready once the store is open and the books are caught up (main.ts warms them up before saying so). */
@Injectable()
export class Readiness {
  readonly maxReplicaLag = maxReplicaLagFrom(process.env.FUNDSIM_REPLICA_MAX_LAG);
  private warming = false;
  warmingUp(): void {
    this.warming = true;
  }
  ready(): void {
    this.warming = false;
  }
  get isReady(): boolean {
    return !this.warming;
  }
}

interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly log: EventLogService,
    private readonly queries: FundQueryService,
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness' })
  @ApiResult('Health', 'Liveness: the process answers and its event store does.')
  async health(@Query() _query: NoQueryDto): Promise<Health> {
    return { status: 'ok', store: this.log.storeKind, headPosition: await this.log.headPosition() };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness' })
  @ApiResult('Readiness', {
    200: "Ready: the store is open and every fund's books are caught up with the log.",
    503: 'Starting (still catching the books up), or the read replica is further behind than FUNDSIM_REPLICA_MAX_LAG or does not answer.',
  })
  async ready(@Query() _query: NoQueryDto, @Res({ passthrough: true }) res: StatusResponse): Promise<ReadinessStatus> {
    const [headPosition, lag] = await Promise.all([this.log.headPosition(), this.log.replicaLag()]);
    const funds = this.queries.followed();
    const max = this.readiness.maxReplicaLag;
    const replica: ReplicaReadiness | undefined =
      lag === undefined
        ? undefined
        : lag.reachable
          ? { reachable: true, lagSeconds: lag.seconds, lagEvents: lag.events, maxLagSeconds: max }
          : { reachable: false, maxLagSeconds: max };
    // A node whose replica lags makes each read wait for it (then read the primary): the balancer should prefer another.
    const lagging = replica !== undefined && max !== null && (!replica.reachable || replica.lagSeconds! > max);
    const status = !this.readiness.isReady ? 'starting' : lagging ? 'replica-lagging' : 'ready';
    res.status(status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return replica === undefined ? { status, headPosition, funds } : { status, headPosition, funds, replica };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiText("Prometheus metrics: request durations, commands by outcome, the log head, each fund's projection lag, the store's writes.", {
    'text/plain': 'The Prometheus text exposition format, version 0.0.4.',
  })
  metricsText(@Query() _query: NoQueryDto): Promise<string> {
    return this.metrics.render();
  }
}
