import { afterEach, beforeAll } from "vitest";

// Component tests render into happy-dom; unmount after each so listeners (keydown) do not leak.
// findBy* and waitFor wait up to 5 s (testing-library's default is 1 s): on a loaded 2-core machine
// a chain of fake API answers can take longer, and a wait that times out early is a flaky failure.
beforeAll(async () => {
  if (typeof document === "undefined") return;
  const { configure } = await import("@testing-library/react");
  configure({ asyncUtilTimeout: 5_000 });
});

afterEach(async () => {
  if (typeof document === "undefined") return;
  const { cleanup } = await import("@testing-library/react");
  cleanup();
});
