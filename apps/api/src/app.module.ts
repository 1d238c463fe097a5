import { Module } from '@nestjs/common';
import { ApplicationModule } from '@fundsim/application';
import { EventsController, FundEventsController } from './events.controller';
import { BalanceSheetController } from './funds/balance-sheet.controller';
import { FundCommandsController } from './funds/fund-commands.controller';
import { HealthController } from './health.controller';

@Module({ imports: [ApplicationModule], controllers: [HealthController, EventsController, FundEventsController, FundCommandsController, BalanceSheetController] })
export class AppModule {}
