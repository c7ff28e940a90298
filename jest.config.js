// Jest runs three kinds of tests: unit (*.spec.ts, pure code), integration (*.int-spec.ts,
// real PostgreSQL/Kafka) and end-to-end (*.e2e-spec.ts, a running app over HTTP).
const swc = ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022', keepClassNames: true, transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false } }, module: { type: 'commonjs', ignoreDynamic: true } }];
const moduleNameMapper = {
  // One alias pattern for every library and context: @minyi/<name> is libs/<name> or apps/<name>.
  '^@minyi/([a-z-]+)$': ['<rootDir>/libs/$1/src/index.ts', '<rootDir>/apps/$1/src/index.ts'],
  '^(\\.{1,2}/.*)\\.js$': '$1',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };
module.exports = {
  maxWorkers: 2,
  // Jest reads the timeout for all projects here; the integration suites start systems and processes.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/apps/**/test/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/global-setup.mjs',
      globalTeardown: '<rootDir>/libs/testing/global-teardown.mjs',
    },
  ],
};
