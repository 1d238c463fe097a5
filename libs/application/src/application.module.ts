import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { DemoService } from './demo/demo.service';
import { EventLogService } from './event-log.service';
import { EventStoreModule } from './event-store.provider';
import { FundCommandService } from './fund-commands.service';
import { FundQueryService } from './fund-queries.service';
import { KeyService } from './keys.service';
import { ScenarioService } from './scenario';
import { simulationQuotaFrom } from './fair-queue';
import { SimulationPool } from './simulation-pool';
import { SimulationService } from './simulation.service';
import { FundSimulationService } from './fund-simulation.service';

const services = [
  AuditService,
  DemoService,
  EventLogService,
  FundCommandService,
  FundQueryService,
  KeyService,
  ScenarioService,
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
