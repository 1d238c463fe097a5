export * from './application.module';
export * from './event-log.service';
export * from './event-store.provider';
export * from './fund-commands.service';
export * from './streams';
export * from './scenario';
export * from './fund-queries.service';
export * from './audit.service';
