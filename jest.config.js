/**
 * The suite by kind, one jest project each (`npm test` runs all but the cluster; `npm run test:<name>` one):
 * unit (the pure core and the rule files) and web (the staff pages on in-memory fakes) run in parallel
 * workers in seconds; workflow (the time-skipping server), e2e (the dev server, SMTP, Chromium) and
 * soak (fuzzing with fixed seeds) start real servers per file and so run one file at a time, after them.
 * The cluster (PostgreSQL and the real Temporal server) is jest.cluster.config.js: `npm run test:cluster`.
 */
const path = require('node:path');

/** What every project shares: the TypeScript transform, the Temporal log level, the time limit. */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
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
  setupFiles: ['<rootDir>/tests/support/jest-setup.ts'],
};

/** A project that starts real servers: its files one at a time, the EPA workflow bundle built once per run. */
const serverBound = {
  ...shared,
  runner: path.join(__dirname, 'tests/support/serial-runner.js'),
  globalSetup: '<rootDir>/tests/support/workflow-bundle-setup.ts',
  globalTeardown: '<rootDir>/tests/support/workflow-bundle-teardown.ts',
};

const project = (name, options) => ({ ...options, displayName: name, rootDir: __dirname, roots: [`<rootDir>/tests/${name}`] });

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('unit', shared),
    project('web', shared),
    { ...project('workflow', serverBound), roots: ['<rootDir>/tests/workflows'] },
    project('e2e', serverBound),
    project('soak', serverBound),
  ],
  // Two workers for unit and web; the server-bound projects run in band (their runner is serial).
  maxWorkers: 2,
  testTimeout: 120000,
  // A handle a failed test leaves open (a worker process, a gRPC retry timer) must not hold CI past
  // its time limit after the results are in; hunt such leaks locally with --detectOpenHandles.
  forceExit: true,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
