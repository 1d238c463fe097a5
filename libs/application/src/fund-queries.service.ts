import { Injectable } from '@nestjs/common';
import { isIsoDate, reject, type RecordedFundEvent } from '@fundsim/domain';
import { StreamNotFoundError, type EventStore } from '@fundsim/event-store';
import { balanceSheet, type AsOfQuery, type BalanceSheet } from '@fundsim/projections';
import { InjectEventStore } from './event-store.provider';
import { asRecorded } from './fund-commands.service';
import { fundStream } from './streams';

/** What users read: projections over the fund's stream, as of a date and as known at a time. */
@Injectable()
export class FundQueryService {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async balanceSheet(fundId: string, query: AsOfQuery): Promise<BalanceSheet> {
    if (!isIsoDate(query.asOf)) reject('INVALID_DATE', `asOf must be a date YYYY-MM-DD, got ${JSON.stringify(query.asOf)}`);
    if (query.knownAt !== undefined && !isIsoDate(query.knownAt) && Number.isNaN(Date.parse(query.knownAt))) {
      reject('INVALID_DATE', `knownAt must be a date YYYY-MM-DD or an ISO timestamp, got ${JSON.stringify(query.knownAt)}`);
    }
    return balanceSheet(await this.history(fundId), query);
  }

  private async history(fundId: string): Promise<RecordedFundEvent[]> {
    const history: RecordedFundEvent[] = [];
    try {
      for await (const event of this.store.readStream(fundStream(fundId))) history.push(asRecorded(event));
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    if (history.length === 0) reject('FUND_NOT_ESTABLISHED', `There is no fund ${JSON.stringify(fundId)}`);
    return history;
  }
}
