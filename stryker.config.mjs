// @ts-check
/**
 * Mutation testing of the pure-logic files (npm run test:mutation): StrykerJS changes the code one
 * small way at a time (a `<` becomes `<=`, a condition becomes `true`, ...) and runs the unit tests
 * that cover the changed line; a change no test notices ("survived") is a line the tests do not guard.
 * The HTML report goes to reports/mutation/ (ignored by git).
 */
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/**
 * Calls whose argument at the given index is only human-readable text: the error message of a
 * CredentialsError, the detail of a call-rule hold. Changing that text changes no behaviour (the
 * code, the reason and the next moment are what callers act on, and those stay mutated), so its
 * mutants are ignored instead of being pinned by tests that would copy every sentence.
 */
const MESSAGE_ARGUMENT = {
  CredentialsError: 1, // new CredentialsError(code, message)
  hold: 1, // hold(reason, detail, nextAllowedAt, permanent, extra)
};

/** @param {any} path a Babel NodePath */
function messageText(path) {
  const parent = path.parentPath;
  if (!parent || !(parent.isCallExpression() || parent.isNewExpression())) return undefined;
  const callee = parent.node.callee;
  if (callee.type !== 'Identifier' || !(callee.name in MESSAGE_ARGUMENT)) return undefined;
  if (parent.node.arguments[MESSAGE_ARGUMENT[callee.name]] !== path.node) return undefined;
  return `message text of ${callee.name}(): wording only, no behaviour`;
}

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'message-text', { shouldIgnore: messageText })];

// Focused specs that import only the code under test; the connector and sandbox specs that also
// reach these files load far more (seconds per mutant) and add no kills the focused specs miss.
const MUTATION_SPECS = ['credentials-crypto', 'call-rules', 'call-rules-evidence', 'contact-window', 'timezone', 'local-day', 'phone', 'calls-summary', 'summary-outcomes', 'record-validation', 'http-retry'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/jest-runner', import.meta.url],
  ignorers: ['message-text'],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The unit project of jest.config.js, inlined: Stryker needs a single project to hook its
    // per-test coverage into, and the e2e project needs Postgres and Redis.
    config: {
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/test/unit'],
      // Only the specs that exercise the mutated files: every mutant restarts Jest on the related
      // spec files, so a spec that loads the connectors or Nest costs seconds per mutant.
      testMatch: MUTATION_SPECS.map((f) => `<rootDir>/test/unit/${f}.spec.ts`),
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
    },
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: the regexes, DEFAULT_RETRY, the contract lists, the MAPPERS
  // table) cannot be tied to single tests, so each one reruns every spec with fresh modules: 6% of the
  // mutants, two thirds of the run time. Their values are pinned by dedicated tests instead.
  ignoreStatic: true,
  mutate: [
    'src/calls/rules/call-rules.ts',
    'src/calls/rules/timezones.ts',
    'src/common/phone.ts',
    'src/common/credentials-crypto.ts',
    'src/pms-sync/record-validation.ts',
    'src/connectors/http/retry.ts',
    'src/connectors/http/normalize.ts',
    'src/calls/summary/summary-outcomes.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The score is checked per file by the tests' authors (>= 85% each); the build breaks below 85% overall.
  thresholds: { high: 90, low: 85, break: 85 },
  // Incremental: a rerun only tests the mutants whose code or covering tests changed since the last
  // report (delete the file, or pass --force, for a full run).
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  timeoutMS: 10000,
};
