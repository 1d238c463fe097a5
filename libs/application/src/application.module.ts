import { Module } from '@nestjs/common';
import { AuditService } from './log/audit.service';
import { DemoService } from './scenarios/demo/demo.service';
import { EventLogService } from './log/event-log.service';
import { EventStoreModule } from './event-store.provider';
import { FundCommandService } from './commands/fund-commands.service';
import { FundQueryService } from './queries/fund-queries.service';
import { FundFollower } from './follow/fund-follower';
import { KeyService } from './access/keys.service';
import { ScenarioService } from './scenarios/scenario';
import { CommitmentBatchService } from './scenarios/commitment-batch';
import { simulationQuotaFrom } from './simulation/fair-queue';
import { SimulationPool } from './simulation/simulation-pool';
import { SimulationService } from './simulation/simulation.service';
import { FundSimulationService } from './simulation/fund-simulation.service';

const services = [
  AuditService,
  DemoService,
  EventLogService,
  FundFollower,
  FundCommandService,
  FundQueryService,
  KeyService,
  ScenarioService,
  CommitmentBatchService,
  SimulationService,
  FundSimulationService,
];

/** What the apps import: the configured store and the application services over it. */
@Module({
  imports: [EventStoreModule],
  providers: [
    ...services,
    {
      provide: SimulationPool,
      useFactory: () =>
        new SimulationPool({
          size: Number(process.env.FUNDSIM_SIMULATION_WORKERS) || undefined,
          quota: simulationQuotaFrom(process.env.FUNDSIM_SIMULATION_QUOTA),
        }),
    },
  ],
  exports: [EventStoreModule, SimulationPool, ...services],
})
export class ApplicationModule {}
