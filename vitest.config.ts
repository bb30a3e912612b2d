import { defineConfig } from 'vitest/config';

/** The suites that run a second time over a remote store (Virtuoso), with the same assertions. */
const OVER_REMOTE_STORE = [
  'tests/protocol/**/*.test.ts',
  'tests/conformance/**/*.test.ts',
  'tests/web/linked-data/**/*.test.ts',
  'tests/web/saved-queries.test.ts',
  'tests/web/export.test.ts',
  'tests/web/writes.test.ts',
  'tests/web/explore/views.test.ts',
  'tests/engine/federation/**/*.test.ts',
  'tests/store/**/*.test.ts',
];

export default defineConfig({
  test: {
    // The files of a project share one worker, one after another: a fresh worker per file spent
    // 3-4 s importing the modules again (7-10 s with the Virtuoso a remote-store file started
    // again), a third of the suite's time. So every file closes the servers it starts.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/helpers/temp-root.ts'],
    projects: [
      { extends: true, test: { name: 'embedded', include: ['tests/**/*.test.ts'], exclude: ['tests/store/**'] } },
      {
        extends: true,
        test: { name: 'sparql', include: OVER_REMOTE_STORE, env: { KG_TEST_STORE: 'sparql' }, setupFiles: ['tests/helpers/remote-store-setup.ts'] },
      },
    ],
  },
});
