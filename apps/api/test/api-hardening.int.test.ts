import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/modules/auth/auth.service.ts";
import type { TPrincipal } from "../src/modules/auth/permissions.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// One test per finding of issue 12 on the GraphQL/HTTP surface: each sends what the probe sent and
// checks the answer is a clear client error (or a refusal), and that the server stays healthy.

const METRICS_TOKEN = "metrics-token-0123456789abcdef";

let stack: TTestStack;
beforeAll(async () => {
  stack = await startTestStack({ DAM_METRICS_TOKEN: METRICS_TOKEN });
});
afterAll(async () => {
  await stack?.close();
});

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: "Bearer test-admin-token-0123456789",
      ...headers,
    },
    body,
  });

const healthy = async () => (await fetch(`${stack.url}/healthz`)).status;

const newKey = async (role: string) => {
  const created = await stack.gql<{ createApiKey: { key: string } }>(
    `mutation($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { key } }`,
    { name: `hardening ${role}`, role },
  );
  return created.data!.createApiKey.key;
};

describe("query analysis", () => {
  // Each fragment spreads the next one twice: the expanded query has 2^levels fields.
  const fragmentBomb = (levels: number) => {
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Query { serverInfo { version } }`
        : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    return `query Bomb { ...F0 }\n${fragments.join("\n")}`;
  };

  it("refuses a 24-level fragment bomb before validating it, and stays healthy", async () => {
    const result = await stack.gql(fragmentBomb(24));
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe("QUERY_TOO_COMPLEX");
    // 2^23 copies of serverInfo in the root selection set: counted exactly, each fragment once
    // (document-precheck.ts); the plugin's analysis counts the same way (operation-analysis.test.ts).
    expect(result.errors?.[0]?.extensions).toMatchObject({ field: "serverInfo", repeated: 2 ** 23 });
    expect(await healthy()).toBe(200);
  });

  it("refuses many copies of one response name before graphql-js compares them pairwise", async () => {
    const copies = Array.from({ length: 250 }, (_, i) => `a: search(query: "${i}") { query }`).join(" ");
    const result = await stack.gql(`{ ${copies} }`);
    expect(codeOf(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.message).toMatch(/asks for a 250 times in one selection set; the limit is 20/);
  });

  it("refuses documents over the token limit at parse time", async () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `f${i}: viewer { name }`).join(" ");
    const result = await stack.gql(`{ ${fields} }`);
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe("GRAPHQL_PARSE_FAILED");
    expect(result.errors?.[0]?.message).toMatch(/Document contains more th[ae][nt] 5000 tokens/);
  });

  it("answers a small fragment chain as usual", async () => {
    const result = await stack.gql<{ serverInfo: { version: string } }>(fragmentBomb(3));
    expect(result.errors).toBeUndefined();
    expect(result.data?.serverInfo.version).toEqual(expect.any(String));
  });

  it("refuses 1,000 aliases of a database-heavy field, and 150", async () => {
    const aliases = (n: number, field: string) =>
      `{ ${Array.from({ length: n }, (_, i) => `s${i}: ${field}`).join(" ")} }`;
    // 1,000 are over the token limit already.
    for (const field of ["platformStats { datasetCount }", 'search(query: "x") { query }']) {
      const result = await stack.gql(aliases(1000, field));
      expect(result.status).toBe(400);
      expect(["GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX"]).toContain(codeOf(result));
    }
    // 150 fit in the token limit and are refused by the alias limit.
    const result = await stack.gql(aliases(150, "platformStats { datasetCount }"));
    expect(codeOf(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.message).toMatch(/aliases 150 exceeds the limit of 100/);
  });

  it("prices heavy fields by their database work: 25 aliases of platformStats exceed the cost limit", async () => {
    const one = await stack.gql("{ platformStats { datasetCount } }");
    expect(one.errors).toBeUndefined();
    const aliases = Array.from({ length: 25 }, (_, i) => `s${i}: platformStats { datasetCount }`).join(" ");
    const result = await stack.gql(`{ ${aliases} }`);
    expect(codeOf(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.message).toMatch(/cost 25025 exceeds the limit of 20000/);
  });

  it("limits the root fields of one operation", async () => {
    const fields = Array.from({ length: 31 }, (_, i) => `v${i}: viewer { name }`).join(" ");
    const result = await stack.gql(`{ ${fields} }`);
    expect(codeOf(result)).toBe("QUERY_TOO_COMPLEX");
    expect(result.errors?.[0]?.message).toMatch(/root fields 31 exceeds the limit of 30/);
  });

  it("turns a variable that does not coerce into BAD_USER_INPUT naming the variable", async () => {
    const result = await stack.gql("query($first: Int) { datasets(first: $first) { totalCount } }", {
      first: "many",
    });
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.extensions?.field).toBe("$first");
    const missing = await stack.gql("query($id: ID!) { dataset(id: $id) { name } }", {});
    expect(codeOf(missing)).toBe("BAD_USER_INPUT");
    expect(missing.errors?.[0]?.message).toMatch(/\$id/);
  });
});

describe("bad input is a client error naming the argument", () => {
  it("refuses an ID that is not a UUID before it reaches the database", async () => {
    const result = await stack.gql(`{ dataset(id: "not-a-uuid") { name } }`);
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.extensions?.field).toBe("dataset(id)");
    const nested = await stack.gql(
      `mutation { trainModel(input: { name: "m", algorithm: POP, eventsVersionId: "1" }) { id } }`,
    );
    expect(codeOf(nested)).toBe("BAD_USER_INPUT");
    expect(nested.errors?.[0]?.extensions?.field).toBe("trainModel(input).eventsVersionId");
  });

  it("still accepts a file path as the id of a lineage node", async () => {
    const result = await stack.gql(
      `{ lineage(id: "uploads/a.csv", direction: DOWNSTREAM) { nodes { id } } }`,
    );
    expect(codeOf(result)).not.toBe("INTERNAL_SERVER_ERROR");
    expect(codeOf(result)).not.toBe("BAD_USER_INPUT");
  });

  it("refuses NUL bytes and lone surrogates in strings, in arguments, variables and input fields", async () => {
    const nul = await stack.gql("query($q: String) { datasets(search: $q) { totalCount } }", {
      q: "a\u0000b",
    });
    expect(codeOf(nul)).toBe("BAD_USER_INPUT");
    expect(nul.errors?.[0]?.message).toMatch(/datasets\(search\): must not contain NUL/);
    const surrogate = await stack.gql(
      "mutation($name: String!) { createApiKey(name: $name, role: VIEWER) { key } }",
      {
        name: "key \ud800",
      },
    );
    expect(codeOf(surrogate)).toBe("BAD_USER_INPUT");
    expect(surrogate.errors?.[0]?.message).toMatch(/createApiKey\(name\): must not contain unpaired/);
    const inJson = await stack.gql(
      'mutation($steps: JSON!) { createCleaningRecipe(input: { datasetId: $id, name: "r", steps: $steps }) { id } }'.replace(
        "$id",
        '"00000000-0000-4000-8000-000000000000"',
      ),
      { steps: [{ op: "dedupe", column: "x\u0000" }] },
    );
    expect(codeOf(inJson)).toBe("BAD_USER_INPUT");
    expect(inJson.errors?.[0]?.extensions?.field).toBe("createCleaningRecipe(input).steps[0].column");
    const events = await stack.gql(
      "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }",
      { events: [{ userId: "u1", itemId: "i\ud800", type: "view" }] },
    );
    expect(codeOf(events)).toBe("BAD_USER_INPUT");
    expect(events.errors?.[0]?.extensions?.field).toBe("trackEvents(events)[0].itemId");
  });

  it("creates no key and no audit entry for a refused key name", async () => {
    const before = await stack.deps.db.apiKey.count();
    await stack.gql(`mutation { createApiKey(name: "\\ud800", role: VIEWER) { key } }`);
    expect(await stack.deps.db.apiKey.count()).toBe(before);
  });

  it("refuses a forged cursor whose id is not a UUID", async () => {
    const forged = Buffer.from("c:not-a-uuid").toString("base64url");
    const result = await stack.gql(`{ datasets(after: "${forged}") { totalCount } }`);
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    const bigint = Buffer.from(`c:${"9".repeat(40)}`).toString("base64url");
    expect(codeOf(await stack.gql(`{ auditEvents(after: "${bigint}") { totalCount } }`))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("refuses a DateTime that is not ISO-8601 or out of the database's range", async () => {
    for (const ts of ["yesterday", "1", "+275760-09-13T00:00:00.000Z", "2026-13-01T00:00:00Z"]) {
      const result = await stack.gql(
        "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }",
        { events: [{ userId: "u1", itemId: "i1", type: "view", ts }] },
      );
      expect(codeOf(result), ts).toBe("BAD_USER_INPUT");
    }
  });

  it("refuses over-deep JSON inputs, however deep", async () => {
    // Written by hand: JSON.stringify itself overflows the stack on 100,000 levels.
    const deep = `${"[".repeat(100_000)}"leaf"${"]".repeat(100_000)}`;
    const query = `mutation($p: JSON) { profileUsers(eventsVersionId: "00000000-0000-4000-8000-000000000000", params: $p) { job { id } } }`;
    const response = await post(`{"query":${JSON.stringify(query)},"variables":{"p":${deep}}}`);
    expect(response.status).toBe(400);
    const result = (await response.json()) as {
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toMatch(/\$p: nested deeper than 32 levels/);
    let shallow: unknown = "leaf";
    for (let i = 0; i < 40; i++) shallow = { and: [shallow] };
    const literal = JSON.stringify(shallow).replace(/"(\w+)":/g, "$1:");
    const inline = await stack.gql(
      `mutation { createCleaningRecipe(input: { datasetId: "00000000-0000-4000-8000-000000000000", name: "r", steps: ${literal} }) { id } }`,
    );
    expect(codeOf(inline)).toBe("BAD_USER_INPUT");
    expect(await healthy()).toBe(200);
  });

  it("answers invalid JSON with a GraphQL-shaped 400 and an oversized body with a 413", async () => {
    const invalid = await post("{ not json");
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await invalid.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0]?.message).toMatch(/not valid JSON/);

    const oversized = await post(
      JSON.stringify({ query: "{ viewer { name } }", pad: "x".repeat(3 * 1024 * 1024) }),
    );
    expect(oversized.status).toBe(413);
    const tooLarge = (await oversized.json()) as { errors: { extensions: { code: string } }[] };
    expect(tooLarge.errors[0]?.extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("LIKE patterns", () => {
  it("matches % and _ literally in datasets(search)", async () => {
    await stack.deps.db.dataset.createMany({
      data: [
        { name: "like_plain", kind: "OTHER" },
        { name: "like_100%", kind: "OTHER" },
        { name: "likeXunder", kind: "OTHER" },
      ],
    });
    const names = async (search: string) => {
      const result = await stack.gql<{ datasets: { edges: { node: { name: string } }[] } }>(
        "query($s: String) { datasets(search: $s, first: 50) { edges { node { name } } } }",
        { s: search },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.datasets.edges.map((edge) => edge.node.name);
    };
    expect(await names("%")).toEqual(["like_100%"]);
    expect(await names("like_")).toEqual(["like_100%", "like_plain"]);
    expect(await names("\\")).toEqual([]);
  });
});

describe("atomic side effects", () => {
  it("rolls back a created key when its audit entry cannot be written", async () => {
    const admin = await stack.deps.db.apiKey.findFirstOrThrow({ where: { role: "ADMIN" } });
    const actor: TPrincipal = {
      keyId: admin.id,
      name: admin.name,
      role: "ADMIN",
      keyPrefix: admin.prefix,
      userId: null,
      sessionId: null,
    };
    const keysBefore = await stack.deps.db.apiKey.count();
    const auditBefore = await stack.deps.db.auditEvent.count();
    // Called below the GraphQL checks. The key's text column takes the lone surrogate (the driver
    // writes it as U+FFFD), the audit entry's jsonb refuses it (\ud800 in JSON text): the probe's case.
    await expect(
      createApiKey(stack.deps.db, actor, { name: "atomic \ud800", role: "VIEWER" }),
    ).rejects.toThrow();
    expect(await stack.deps.db.apiKey.count()).toBe(keysBefore);
    expect(await stack.deps.db.auditEvent.count()).toBe(auditBefore);
  });
});

describe("/metrics", () => {
  it("answers only the metrics token or an ADMIN key", async () => {
    const scrape = (token?: string) =>
      fetch(`${stack.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(
      ((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe("UNAUTHENTICATED");
    expect((await scrape(await newKey("VIEWER"))).status).toBe(403);
    expect((await scrape("wrong-token-0123456789abcdef")).status).toBe(401);
    expect((await scrape(METRICS_TOKEN)).status).toBe(200);
    expect((await scrape("test-admin-token-0123456789")).status).toBe(200);
  });

  it("labels operations by schema field, and anything else as other", async () => {
    await stack.gql("query AnyNameAtAll { viewer { name } }");
    await stack.gql("query RandomName123 { viewer { name } serverInfo { version } }");
    await stack.gql("query Nonsense { nope }");
    const text = await (
      await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(text).toMatch(/dam_graphql_requests_total\{operation="viewer",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/dam_graphql_requests_total\{operation="other",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/dam_graphql_requests_total\{operation="other",outcome="error"\} [1-9]/);
    expect(text).not.toMatch(/AnyNameAtAll|RandomName123|Nonsense/);
  });
});

describe("rate limit", () => {
  it("answers RATE_LIMITED with HTTP 429 and Retry-After once a key's bucket is empty", async () => {
    const limited = await startTestStack({ DAM_RATE_LIMIT_PER_SECOND: "0.01", DAM_RATE_LIMIT_BURST: "3" });
    try {
      const call = () =>
        fetch(`${limited.url}/graphql`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: "Bearer test-admin-token-0123456789",
          },
          body: JSON.stringify({ query: "{ viewer { name } }" }),
        });
      for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused.status).toBe(429);
      // One token every 100 s at 0.01/s.
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(90);
      const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe("RATE_LIMITED");
      // The bucket is in Redis under the stack's own prefix.
      expect(await limited.deps.redis.keys(`${limited.queuePrefix}:ratelimit:*`)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});
