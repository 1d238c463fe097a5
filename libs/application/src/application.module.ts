import { Module } from '@nestjs/common';
import { EventLogService } from './event-log.service';
import { EventStoreModule } from './event-store.provider';
import { FundCommandService } from './fund-commands.service';
import { ScenarioService } from './scenario';

/** What the apps import: the configured store and the application services over it. */
@Module({ imports: [EventStoreModule], providers: [EventLogService, FundCommandService, ScenarioService], exports: [EventStoreModule, EventLogService, FundCommandService, ScenarioService] })
export class ApplicationModule {}
