import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  // Vite resolves `graphql` to its ESM build (index.mjs), while Apollo and graphql-tools, loaded by
  // Node, get the CommonJS build: two realms, and graphql-js refuses a schema from the other one
  // ("Cannot use GraphQLObjectType from another module or realm"). Node's choice is used in tests too.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }] },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
