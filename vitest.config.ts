import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    // One database and one Redis key prefix for the whole run, made and removed by globalSetup.
    globalSetup: ["test/support/globalSetup.ts"],
    setupFiles: ["test/support/workerEnvironment.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Postgres, Redis and the spawned processes share two cores: a few files at a time is faster than many.
    maxWorkers: 3
  }
})
