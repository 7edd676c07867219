import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE, POST } from "./route";

// Sign-in keeps the API's session token in the cookie, never the key; sign-out ends the session in the
// API and clears the cookie; both refuse other sites.

const CONSOLE = "http://127.0.0.1:3000";
const KEY = "dam_secretkey0123456789";
const upstream = vi.fn<typeof fetch>();

const answer = (data: unknown) =>
  new Response(JSON.stringify({ data }), { headers: { "content-type": "application/json" } });

beforeEach(() => {
  upstream.mockReset();
  vi.stubGlobal("fetch", upstream);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const signInRequest = (headers: Record<string, string>) =>
  new NextRequest(`${CONSOLE}/api/session`, {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", ...headers },
    body: JSON.stringify({ key: KEY }),
  });

describe("/api/session", () => {
  it("signs in with the key as Bearer and stores only the session token, HttpOnly and SameSite=Strict", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    upstream.mockResolvedValue(
      answer({
        signIn: {
          token: "dams_abc",
          expiresAt,
          viewer: { name: "ann", role: "LABELLER", keyPrefix: "dam_x" },
        },
      }),
    );
    const response = await POST(signInRequest({ "sec-fetch-site": "same-origin" }));
    expect(response.status).toBe(200);
    const init = upstream.mock.calls[0]?.[1] as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe(`Bearer ${KEY}`);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("dam_session=dams_abc");
    expect(cookie).not.toContain(KEY);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(3_500);
    expect(maxAge).toBeLessThanOrEqual(3_600);
  });

  it("marks the cookie Secure when the console is served over https", async () => {
    upstream.mockResolvedValue(
      answer({
        signIn: {
          token: "dams_abc",
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
          viewer: { name: "ann", role: "LABELLER", keyPrefix: "dam_x" },
        },
      }),
    );
    const response = await POST(
      signInRequest({ "sec-fetch-site": "same-origin", "x-forwarded-proto": "https" }),
    );
    expect(response.headers.get("set-cookie")).toMatch(/Secure/i);
  });

  it("refuses a cross-site sign-in (login CSRF) and a form-encoded one before calling the API", async () => {
    const crossSite = await POST(signInRequest({ "sec-fetch-site": "cross-site" }));
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { code: string } }).error.code).toBe("CROSS_SITE_REQUEST");
    const form = new NextRequest(`${CONSOLE}/api/session`, {
      method: "POST",
      headers: {
        host: "127.0.0.1:3000",
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
      },
      body: `key=${KEY}`,
    });
    expect((await POST(form)).status).toBe(415);
    expect(upstream).not.toHaveBeenCalled();
  });

  it("signs out: ends the session in the API with the token and clears the cookie", async () => {
    upstream.mockResolvedValue(answer({ signOut: true }));
    const response = await DELETE(
      new NextRequest(`${CONSOLE}/api/session`, {
        method: "DELETE",
        headers: { host: "127.0.0.1:3000", cookie: "dam_session=dams_abc", "sec-fetch-site": "same-origin" },
      }),
    );
    expect(response.status).toBe(200);
    const init = upstream.mock.calls[0]?.[1] as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe("Session dams_abc");
    expect(init.body).toContain("signOut");
    expect(response.headers.get("set-cookie")).toMatch(/dam_session=;.*Max-Age=0/i);
  });

  it("refuses a cross-site sign-out", async () => {
    const response = await DELETE(
      new NextRequest(`${CONSOLE}/api/session`, {
        method: "DELETE",
        headers: { host: "127.0.0.1:3000", cookie: "dam_session=dams_abc", "sec-fetch-site": "same-site" },
      }),
    );
    expect(response.status).toBe(403);
    expect(upstream).not.toHaveBeenCalled();
  });
});
