export * from './random';
export * from './quarterly-irr';
export * from './percentiles';
export * from './parameter-resolver';
export * from './carry-model';
export * from './sector-correlation';
export * from './fund-parameters';
export * from './fund-model';
