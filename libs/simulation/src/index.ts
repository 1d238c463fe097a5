export * from './metrics/xirr';
