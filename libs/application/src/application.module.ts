import { Module } from '@nestjs/common';
import { EventLogService } from './event-log.service';
import { EventStoreModule } from './event-store.provider';
import { FundCommandService } from './fund-commands.service';

/** What the apps import: the configured store and the application services over it. */
@Module({ imports: [EventStoreModule], providers: [EventLogService, FundCommandService], exports: [EventStoreModule, EventLogService, FundCommandService] })
export class ApplicationModule {}
