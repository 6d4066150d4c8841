import { defineConfig } from "vitest/config";

// Three projects: fast unit tests; slow ones that need no server but take seconds
// (fuzzing, Python-backed round trips, garbage-collection and fault timing); and
// integration tests that start real marimo servers from the project's .venv (see
// test/helpers/marimo-server.ts). `npm test` runs all three.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 30_000,
          // The files of a worker share one module graph: each module is loaded once per worker
          // rather than once per file (loading was most of the tier's time). So a unit
          // test must not mock modules (vi.mock) or leave module state behind; such tests go
          // to test/slow, which keeps every file isolated.
          isolate: false,
          // Projects with different worker settings must run in groups of their own:
          // unit first, then slow, then integration.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "slow",
          include: ["test/slow/**/*.test.ts"],
          testTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/helpers/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // Each file starts its own marimo servers; two at a time keeps a
          // loaded 2-core machine responsive.
          maxWorkers: 2,
          fileParallelism: true,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
