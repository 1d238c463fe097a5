import { Module } from '@nestjs/common';
import { EventLogService } from './event-log.service';
import { EventStoreModule } from './event-store.provider';

/** What the apps import: the configured store and the application services over it. */
@Module({ imports: [EventStoreModule], providers: [EventLogService], exports: [EventStoreModule, EventLogService] })
export class ApplicationModule {}
