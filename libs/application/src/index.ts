export * from './application.module';
export * from './event-log.service';
export * from './event-store.provider';
