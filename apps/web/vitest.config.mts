import { defineConfig } from "vitest/config";

// Unit tests of the console's server-side logic (route handlers, request checks) run in node; component
// tests (*.test.tsx) run in happy-dom against a fake /api/graphql answering from the test.
export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "app/**/*.test.tsx", "components/**/*.test.tsx"],
    environment: "node",
    setupFiles: ["./test/setup.ts"],
  },
});
