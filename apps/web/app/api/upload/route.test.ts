import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "./route";

const upstream = vi.fn<typeof fetch>();

beforeEach(() => {
  upstream.mockReset();
  upstream.mockResolvedValue(new Response(JSON.stringify({ uploadId: "u1" }), { status: 201 }));
  vi.stubGlobal("fetch", upstream);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const upload = (headers: Record<string, string>) =>
  new NextRequest("http://127.0.0.1:3000/api/upload?name=a.csv", {
    method: "POST",
    headers: { host: "127.0.0.1:3000", cookie: "dam_session=dams_abc", ...headers },
    body: "id,title\n1,a\n",
  });

describe("POST /api/upload", () => {
  it("streams an application/octet-stream body from the console's pages with the session", async () => {
    const response = await POST(
      upload({ "content-type": "application/octet-stream", "sec-fetch-site": "same-origin" }),
    );
    expect(response.status).toBe(201);
    const init = upstream.mock.calls[0]?.[1] as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe("Session dams_abc");
  });

  it("refuses a text/plain or multipart body (sendable cross-site without a preflight) with 415", async () => {
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "text/csv"]) {
      const response = await POST(upload({ "content-type": type, "sec-fetch-site": "same-origin" }));
      expect(response.status).toBe(415);
    }
    expect(upstream).not.toHaveBeenCalled();
  });

  it("refuses a cross-site upload with 403", async () => {
    const response = await POST(
      upload({ "content-type": "application/octet-stream", "sec-fetch-site": "cross-site" }),
    );
    expect(response.status).toBe(403);
    expect(upstream).not.toHaveBeenCalled();
  });
});
