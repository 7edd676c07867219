/**
 * A stand-in for the console's /api/graphql proxy (and other console routes) in component tests:
 * requests are answered by per-operation handlers written in the test, keyed by the operation's name
 * in camelCase (`query NextLabelTask` -> `nextLabelTask`), with an optional delay, and every request is
 * recorded in order. An operation without a handler answers an UNHANDLED error, which the test sees.
 */
import { vi } from "vitest";

export type TVariables = Record<string, unknown>;
export type THandler = (variables: TVariables) => unknown | Promise<unknown>;
export type TCall = { operation: string; variables: TVariables };

/** Thrown by a handler to answer with a GraphQL error of this code. */
export class FakeGraphQLError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function installFakeApi(
  handlers: Record<string, THandler>,
  options: {
    delayMs?: number;
    routes?: Record<string, (body: unknown) => Response | Promise<Response>>;
  } = {},
) {
  const calls: TCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url, "http://console.test").pathname;
    const raw = typeof init?.body === "string" ? init.body : "";
    const route = options.routes?.[path];
    if (route) return route(raw ? JSON.parse(raw) : init?.body);
    if (path !== "/api/graphql") throw new Error(`The fake API has no route ${path}`);
    const body = JSON.parse(raw) as { query: string; variables?: TVariables };
    const operation = /\b(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "(anonymous)";
    const variables = body.variables ?? {};
    calls.push({ operation, variables });
    const handler = handlers[operation.charAt(0).toLowerCase() + operation.slice(1)];
    if (!handler) {
      return json({
        errors: [{ message: `No fake handler for ${operation}`, extensions: { code: "UNHANDLED" } }],
      });
    }
    if (options.delayMs) await sleep(options.delayMs);
    try {
      return json({ data: await handler(variables) });
    } catch (error) {
      if (error instanceof FakeGraphQLError) {
        return json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
      }
      throw error;
    }
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    calls,
    fetchMock,
    of: (operation: string) => calls.filter((call) => call.operation === operation),
  };
}
