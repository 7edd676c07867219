import { afterEach } from "vitest";

// Component tests render into happy-dom; unmount after each so listeners (keydown) do not leak.
afterEach(async () => {
  if (typeof document === "undefined") return;
  const { cleanup } = await import("@testing-library/react");
  cleanup();
});
