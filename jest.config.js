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

// The date and deadline tests run again in three zones: China's, a container's default (UTC) and one
// behind UTC across the date line from China (America/Los_Angeles). No date may move by a day.
const DATE_TESTS = [
  '<rootDir>/dist/libs/domain/src/calendar/*.spec.js',
  '<rootDir>/dist/libs/domain/src/cycle/{cycle-schedule,schedule-clock,working-day-clock,obligation}.spec.js',
  '<rootDir>/dist/libs/domain/src/{quarter,document-text}.spec.js',
  '<rootDir>/dist/libs/calendar/src/*.{spec,int-spec}.js',
  '<rootDir>/dist/libs/plan-import/src/cell-value*.spec.js',
  '<rootDir>/dist/test/support/zone-environment.zone-spec.js',
];
const ZONES = ['Asia/Shanghai', 'UTC', 'America/Los_Angeles'];

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
    // The production profile's drills (Temporal Server, several processes, a database stopped): minutes each, run
    // by `npm run test:production` (which .ci/run calls too), not by `npm test`.
    { ...common, displayName: 'production', testMatch: ['<rootDir>/dist/test/production/**/*.drill-spec.js'] },
    ...ZONES.map((timezone) => ({
      ...common,
      displayName: `dates ${timezone}`,
      testMatch: DATE_TESTS,
      testEnvironment: '<rootDir>/dist/test/support/zone-environment.js',
      testEnvironmentOptions: { timezone },
    })),
  ],
};
