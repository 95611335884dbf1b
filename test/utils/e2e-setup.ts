// Per-test timeout of the e2e project (`testTimeout` is not a per-project option in Jest 29).
jest.setTimeout(120000);
