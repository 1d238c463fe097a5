export * from './random';
export * from './quarterly-irr';
export * from './parameters';
export * from './cash-flow-model';
export * from './carry-model';
export * from './fund-parameters';
export * from './fund-model';
