import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // PGlite's initdb alone takes 5-15 s on a busy 2-CPU runner; the default 5 s would make tests flaky.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
