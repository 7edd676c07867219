// One GraphQL POST for the HTTP benchmarks, on node:http (no client library between the timer and
// the socket): the status, the body as text and the milliseconds from send to the last byte.
import { Agent, request as httpRequest } from "node:http";

/**
 * A keep-alive agent that closes connections idle for 30 s, before the API does (its keep-alive timeout
 * is 65 s): a client that reuses a connection the server is closing gets ECONNRESET. `fifo` takes the
 * connection idle longest, so requests rotate over every open connection (as the requests of many
 * clients do); Node's default, `lifo`, reuses the most recent one.
 */
export const keepAliveAgent = (maxSockets: number, scheduling: "fifo" | "lifo" = "lifo"): Agent =>
  new Agent({ keepAlive: true, maxSockets, timeout: 30_000, scheduling });

export type TPosted = { status: number; text: string; ms: number };

/** POSTs `body` to `${url}/graphql` with a bearer token; `agent: false` opens a connection of its own. */
export const postGraphql = (
  url: string,
  token: string,
  body: string,
  agent: Agent | false,
): Promise<TPosted> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const request = httpRequest(
      `${url}/graphql`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, text, ms: performance.now() - started }),
        );
      },
    );
    request.on("error", reject);
    request.end(body);
  });
