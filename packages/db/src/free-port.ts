// A TCP port on 127.0.0.1 that nothing listens on now, for a server a test or benchmark starts (an
// embedded PostgreSQL, Redis, an API process): the operating system picks it, the probe releases it.
import { createServer } from "node:net";

export const freePort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
