import { Controller, Get, Header, HttpStatus, Injectable, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ description: 'Liveness: the process answers and its event store does.' })
  async health(@Query() _query: NoQueryDto): Promise<{ status: 'ok'; store: string; headPosition: number }> {
    return { status: 'ok', store: this.log.storeDescription, headPosition: await this.log.headPosition() };
  }

  @Get('health/ready')
  @ApiOkResponse({ description: 'Readiness: the store is open and every fund\'s books are caught up with the log.' })
  @ApiResponse({ status: 503, description: 'Still starting (catching the books up), or the store does not answer.' })
  async ready(@Query() _query: NoQueryDto, @Res({ passthrough: true }) res: StatusResponse): Promise<{ status: 'ready' | 'starting'; headPosition: number; funds: { fundId: string; position: number }[] }> {
    const headPosition = await this.log.headPosition();
    const funds = this.queries.followed();
    const ready = this.readiness.isReady;
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'starting', headPosition, funds };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus metrics: request durations, commands by outcome, the log head, each fund\'s projection lag, the store\'s writes.' })
  metricsText(@Query() _query: NoQueryDto): Promise<string> {
    return this.metrics.render();
  }
}
