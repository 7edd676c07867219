import { describe, expect, it } from "vitest";
import { consoleRequestRefusal, contentTypeRefusal, crossSiteRefusal, mimeEssence } from "./request-guard";

const request = (method: string, headers: Record<string, string>) => ({
  method,
  headers: new Headers(headers),
});

describe("crossSiteRefusal", () => {
  it("lets the console's own pages through (Sec-Fetch-Site: same-origin)", () => {
    expect(crossSiteRefusal(request("POST", { "sec-fetch-site": "same-origin" }))).toBeNull();
  });

  it("refuses cross-site and same-site (a sibling origin) requests with 403", () => {
    for (const site of ["cross-site", "same-site"]) {
      const refusal = crossSiteRefusal(request("POST", { "sec-fetch-site": site, host: "console.example" }));
      expect(refusal).toMatchObject({ status: 403, code: "CROSS_SITE_REQUEST" });
      expect(refusal?.message).toContain(site);
    }
  });

  it("trusts Sec-Fetch-Site over a matching Origin", () => {
    const refusal = crossSiteRefusal(
      request("POST", {
        "sec-fetch-site": "cross-site",
        origin: "http://console.example",
        host: "console.example",
      }),
    );
    expect(refusal?.status).toBe(403);
  });

  it("allows Sec-Fetch-Site: none (typed URL, bookmark) for downloads, never for writes", () => {
    expect(crossSiteRefusal(request("GET", { "sec-fetch-site": "none" }))).toBeNull();
    expect(crossSiteRefusal(request("POST", { "sec-fetch-site": "none" }))?.status).toBe(403);
  });

  it("without Sec-Fetch-Site, compares Origin with Host", () => {
    expect(
      crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" })),
    ).toBeNull();
    expect(
      crossSiteRefusal(request("POST", { origin: "http://evil.example", host: "127.0.0.1:3000" }))?.status,
    ).toBe(403);
    // Same host name, other port: another origin.
    expect(
      crossSiteRefusal(request("POST", { origin: "http://127.0.0.1:4000", host: "127.0.0.1:3000" }))?.status,
    ).toBe(403);
    // Sandboxed frames and some redirects send the opaque origin "null".
    expect(crossSiteRefusal(request("POST", { origin: "null", host: "127.0.0.1:3000" }))?.status).toBe(403);
    expect(crossSiteRefusal(request("POST", { origin: "not a url", host: "127.0.0.1:3000" }))?.status).toBe(
      403,
    );
  });

  it("lets through requests with neither header (not made by a browser page)", () => {
    expect(crossSiteRefusal(request("POST", { host: "127.0.0.1:3000" }))).toBeNull();
  });
});

describe("content type", () => {
  it("takes the MIME essence, not a substring", () => {
    expect(mimeEssence("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(mimeEssence("text/plain; x=application/json")).toBe("text/plain");
    expect(mimeEssence(null)).toBe("");
  });

  it("refuses text/plain, forms and missing types with 415; accepts application/json", () => {
    for (const type of [
      "text/plain",
      "text/plain;charset=application/json",
      "application/x-www-form-urlencoded",
    ]) {
      expect(contentTypeRefusal(new Headers({ "content-type": type }), "application/json")).toMatchObject({
        status: 415,
        code: "UNSUPPORTED_MEDIA_TYPE",
      });
    }
    expect(contentTypeRefusal(new Headers(), "application/json")?.status).toBe(415);
    expect(
      contentTypeRefusal(
        new Headers({ "content-type": "application/json; charset=utf-8" }),
        "application/json",
      ),
    ).toBeNull();
  });
});

describe("consoleRequestRefusal", () => {
  it("reports a cross-site request as 403 before looking at its body", () => {
    const refusal = consoleRequestRefusal(
      request("POST", { "sec-fetch-site": "cross-site", "content-type": "text/plain" }),
    );
    expect(refusal?.status).toBe(403);
  });

  it("checks the body's type only when the route takes a body", () => {
    const get = request("GET", { "sec-fetch-site": "same-origin" });
    expect(consoleRequestRefusal(get, null)).toBeNull();
    expect(consoleRequestRefusal(get)?.status).toBe(415);
  });
});
