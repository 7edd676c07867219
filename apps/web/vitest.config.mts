import { defineConfig } from "vitest/config";

// Unit tests of the console's server-side logic (route handlers, request checks); no browser, no API.
export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: { include: ["lib/**/*.test.ts", "app/**/*.test.ts"], environment: "node" },
});
