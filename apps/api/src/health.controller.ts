import { Controller, Get, Header, HttpStatus, Injectable, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiResult, ApiText } from './openapi/api-result';
import type { Health, Readiness as ReadinessStatus } from './openapi/responses';
import { EventLogService, FundQueryService } from '@fundsim/application';
import { NoQueryDto } from './no-query.dto';
import { Metrics } from './observability';

/** Ready once the store is open and the books are caught up (main.ts warms them up before saying so). */
@Injectable()
export class Readiness {
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
  @ApiResult('Readiness', { 200: "Ready: the store is open and every fund's books are caught up with the log.", 503: 'Starting: still catching the books up.' })
  async ready(@Query() _query: NoQueryDto, @Res({ passthrough: true }) res: StatusResponse): Promise<ReadinessStatus> {
    const headPosition = await this.log.headPosition();
    const funds = this.queries.followed();
    const ready = this.readiness.isReady;
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'starting', headPosition, funds };
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
