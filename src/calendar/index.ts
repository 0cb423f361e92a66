export * from './london';
export * from './working-days';
