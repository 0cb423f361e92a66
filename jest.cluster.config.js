/** `npm run test:cluster`: the production topology (PostgreSQL, the real Temporal server, worker processes). */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/tests/cluster'],
  testPathIgnorePatterns: [],
  testTimeout: 600000,
};
