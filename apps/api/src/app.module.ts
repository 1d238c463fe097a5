import { Module } from '@nestjs/common';
import { ApplicationModule } from '@fundsim/application';
import { EventsController, FundEventsController } from './events.controller';
import { AuditController } from './funds/audit.controller';
import { NoticesController } from './funds/notices.controller';
import { ReplayController } from './funds/replay.controller';
import { SimulationController } from './funds/simulation.controller';
import { FundCommandsController } from './funds/fund-commands.controller';
import { FundsController } from './funds/funds.controller';
import { CommitmentBatchesController } from './funds/commitment-batches.controller';
import { LiveStreams } from './funds/live-streams';
import { HealthController, Readiness } from './health.controller';
import { Metrics } from './observability';
import { SessionController } from './session.controller';

@Module({
  imports: [ApplicationModule],
  controllers: [
    HealthController,
    SessionController,
    EventsController,
    FundEventsController,
    FundsController,
    FundCommandsController,
    CommitmentBatchesController,
    ReplayController,
    NoticesController,
    AuditController,
    SimulationController,
  ],
  providers: [Readiness, LiveStreams, { provide: Metrics, useValue: new Metrics() }],
})
export class AppModule {}
