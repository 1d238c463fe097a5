import { Module } from '@nestjs/common';
import { ApplicationModule } from '@fundsim/application';
import { EventsController } from './events.controller';
import { HealthController } from './health.controller';

@Module({ imports: [ApplicationModule], controllers: [HealthController, EventsController] })
export class AppModule {}
