/** `npm run test:cluster`: the production topology (PostgreSQL, the real Temporal server, worker processes). */
const base = require('./jest.config');

const e2e = base.projects.find((p) => p.displayName === 'e2e');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  // As e2e (one file at a time, the workflow bundle built once), on tests/cluster, with more time.
  projects: [{ ...e2e, displayName: 'cluster', roots: ['<rootDir>/tests/cluster'], testTimeout: 600000 }],
  testTimeout: 600000,
};
