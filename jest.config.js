/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The cluster tests (PostgreSQL and the real Temporal server) run as `npm run test:cluster`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/cluster/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
    // ESM-only dependencies that jest (unlike Node 20.19+) cannot require: compile them to CommonJS.
    // @fastify/cookie loads `cookie` with a dynamic import(), which jest's CommonJS runtime cannot run: compiled to require().
    '^.+/node_modules/(cookie|@fastify/cookie)/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/|@fastify/cookie/)'],
  testTimeout: 120000,
  // Real servers (Temporal, SMTP, Chromium) are started per test file; run files one at a time on 2 cores.
  maxWorkers: 1,
  // A handle a failed test leaves open (a worker process, a gRPC retry timer) must not hold CI past
  // its time limit after the results are in; hunt such leaks locally with --detectOpenHandles.
  forceExit: true,
  setupFiles: ['<rootDir>/tests/support/jest-setup.ts'],
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
