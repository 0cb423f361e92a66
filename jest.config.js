/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testTimeout: 120000,
  // Real servers (Temporal, SMTP, Chromium) are started per test file; run files one at a time on 2 cores.
  maxWorkers: 1,
  setupFiles: ['<rootDir>/tests/support/jest-setup.ts'],
};
