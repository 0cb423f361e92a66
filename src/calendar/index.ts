export * from './london';
export * from './working-days';
export * from './written-dates';
