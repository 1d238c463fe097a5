import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventLogService } from '@fundsim/application';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly log: EventLogService) {}

  @Get()
  @ApiOkResponse({ description: 'The service is up and its event store answers.' })
  async health(): Promise<{ status: 'ok'; store: string; headPosition: number }> {
    return { status: 'ok', store: this.log.storeDescription, headPosition: await this.log.headPosition() };
  }
}
