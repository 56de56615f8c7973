import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (in-process: pure logic, SQLite, the CLI through its injectable I/O; `npm run test:unit`)
 * and `e2e`, the `*.e2e.test.ts` files, which spawn the real CLI or Chromium or run servers and fake Bot APIs on
 * loopback. `vitest run` (in `npm test`) runs both.
 */
const shared = {
  // End-to-end tests spawn the real CLI and start local servers; give them room on a 2-core machine.
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/*.e2e.test.ts"],
          pool: "threads",
          isolate: false,
          // A PostgreSQL server for the PostgreSQL store tests (TEST_DATABASE_URL, or a throw-away cluster).
          globalSetup: ["./test/support/postgres-server.ts"],
        },
      },
      {
        test: {
          ...shared,
          name: "e2e",
          include: ["test/**/*.e2e.test.ts"],
          // The spawned CLI runs the compiled dist/: compile it once, before any test starts one. Several
          // instances of serve share a PostgreSQL server (test/several-instances.e2e.test.ts).
          globalSetup: ["./test/support/build-once.ts", "./test/support/postgres-server.ts"],
        },
      },
    ],
  },
});
