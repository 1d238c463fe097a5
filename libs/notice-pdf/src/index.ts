export * from './notice-rows';
export * from './notice-pdf';
