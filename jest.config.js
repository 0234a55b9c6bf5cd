// Jest runs the compiled tests in dist/ (tsc type-checks and emits decorator
// metadata once; NestJS 12 is ESM-only, so Jest runs in native ESM mode).
// One set of real components (Temporal dev server, PostgreSQL test database,
// SMTP capture) is started for the whole run by the global setup.
const common = {
  testEnvironment: 'node',
  transform: {},
  roots: ['<rootDir>/dist'],
  moduleFileExtensions: ['js', 'json'],
};

export default {
  rootDir: '.',
  // Real services and child processes on a cold two-core machine: a minute, not Jest's 5 s.
  // (A global option: Jest ignores testTimeout inside a project.)
  testTimeout: 60_000,
  globalSetup: '<rootDir>/dist/test/support/global-setup.js',
  globalTeardown: '<rootDir>/dist/test/support/global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.js'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int-spec.js'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/dist/test/**/*.e2e-spec.js'] },
  ],
};
