/** Two projects: pure unit tests next to the code, end-to-end tests on real Postgres + Redis. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json' }];
module.exports = {
  // Global (Jest ignores testTimeout inside a project): e2e hooks start processes and databases.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/test/unit'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      // test/integration: handlers built in process with Nest's testing module, on the same databases
      roots: ['<rootDir>/test/e2e', '<rootDir>/test/integration'],
      testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/test/utils/global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/utils/e2e-setup.ts'],
    },
  ],
};
