import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "./route";

// The proxy's decisions, with the API replaced by a fetch stub: what is refused never reaches the API,
// and what passes is sent with the session token, not a key.

const CONSOLE = "http://127.0.0.1:3000";
const QUERY = JSON.stringify({ query: "{ viewer { name } }" });

const upstream = vi.fn<typeof fetch>();

beforeEach(() => {
  upstream.mockReset();
  upstream.mockResolvedValue(
    new Response(JSON.stringify({ data: { viewer: { name: "ann" } } }), {
      headers: { "content-type": "application/json" },
    }),
  );
  vi.stubGlobal("fetch", upstream);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const post = (headers: Record<string, string>, body = QUERY) =>
  new NextRequest(`${CONSOLE}/api/graphql`, {
    method: "POST",
    headers: { host: "127.0.0.1:3000", cookie: "dam_session=dams_token123", ...headers },
    body,
  });

describe("POST /api/graphql", () => {
  it("forwards a same-origin JSON request with the session token as `Authorization: Session`", async () => {
    const response = await POST(
      post({ "content-type": "application/json", "sec-fetch-site": "same-origin", origin: CONSOLE }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { name: "ann" } } });
    expect(upstream).toHaveBeenCalledTimes(1);
    const init = upstream.mock.calls[0]?.[1] as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe("Session dams_token123");
    expect(init.body).toBe(QUERY);
  });

  it("refuses a cross-site text/plain POST (a CSRF form or no-cors fetch) with 403 JSON, without calling the API", async () => {
    const response = await POST(
      post({ "content-type": "text/plain", "sec-fetch-site": "cross-site", origin: "http://evil.example" }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("CROSS_SITE_REQUEST");
    expect(upstream).not.toHaveBeenCalled();
  });

  it("refuses a foreign Origin when the browser sends no Sec-Fetch-Site", async () => {
    const response = await POST(post({ "content-type": "application/json", origin: "http://evil.example" }));
    expect(response.status).toBe(403);
    expect(upstream).not.toHaveBeenCalled();
  });

  it("refuses a same-origin text/plain body with 415 (the substring trick included)", async () => {
    for (const type of ["text/plain", "text/plain; charset=application/json"]) {
      const response = await POST(post({ "content-type": type, "sec-fetch-site": "same-origin" }));
      expect(response.status).toBe(415);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(upstream).not.toHaveBeenCalled();
  });

  it("answers 401 without a session cookie", async () => {
    const request = new NextRequest(`${CONSOLE}/api/graphql`, {
      method: "POST",
      headers: {
        host: "127.0.0.1:3000",
        "content-type": "application/json",
        "sec-fetch-site": "same-origin",
      },
      body: QUERY,
    });
    const response = await POST(request);
    expect(response.status).toBe(401);
    expect(upstream).not.toHaveBeenCalled();
  });
});
