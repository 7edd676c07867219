import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // initdb, migrations and a server restart take seconds on a busy 2-CPU runner; the default 5 s would be flaky.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
