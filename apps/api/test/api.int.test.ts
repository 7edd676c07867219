import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeps } from "../src/deps.ts";
import { readEnv } from "../src/env.ts";
import { createServerApp } from "../src/server-app.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
beforeAll(async () => {
  stack = await startTestStack({ DAM_MAX_QUERY_COST: "5000" });
});
afterAll(async () => {
  await stack?.close();
});

describe("authentication and roles", () => {
  it("answers UNAUTHENTICATED without a key and with a wrong key", async () => {
    const none = await stack.gql("{ viewer { name } }", {}, null);
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const wrong = await stack.gql("{ viewer { name } }", {}, "dam_not-a-real-key");
    expect(wrong.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("creates keys whose role limits what they may do, and revokes them", async () => {
    const created = await stack.gql<{ createApiKey: { key: string; apiKey: { id: string; role: string } } }>(
      `mutation { createApiKey(name: "reader", role: VIEWER) { key apiKey { id role } } }`,
    );
    const viewerKey = created.data!.createApiKey.key;
    expect(created.data!.createApiKey.apiKey.role).toBe("VIEWER");

    const me = await stack.gql<{ viewer: { role: string } }>("{ viewer { role } }", {}, viewerKey);
    expect(me.data?.viewer.role).toBe("VIEWER");
    const forbidden = await stack.gql(
      `mutation { createApiKey(name: "x", role: ADMIN) { key } }`,
      {},
      viewerKey,
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const datasets = await stack.gql("{ datasets { totalCount } }", {}, viewerKey);
    expect(datasets.errors).toBeUndefined();

    await stack.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, {
      id: created.data!.createApiKey.apiKey.id,
    });
    const afterRevoke = await stack.gql("{ viewer { role } }", {}, viewerKey);
    expect(afterRevoke.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const audit = await stack.gql<{ auditEvents: { edges: { node: { action: string } }[] } }>(
      "{ auditEvents(first: 10) { edges { node { action } } } }",
    );
    expect(audit.data?.auditEvents.edges.map((edge) => edge.node.action)).toEqual(
      expect.arrayContaining(["apiKey.create", "apiKey.revoke"]),
    );
  });

  it("makes a revocation reach another API process at once, not when its key cache expires", async () => {
    // A second API process: its own database client (so its own key cache) and Redis subscription.
    // It trusts a checked key for 10 minutes, so only the announcement can make it refuse one here.
    const otherDeps = createDeps(readEnv({ ...stack.env, DAM_KEY_CACHE_MS: "600000" }));
    const other = await createServerApp(otherDeps);
    const server: Server = await new Promise((resolve) => {
      const listening = other.app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    const otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const viewerVia = async (url: string, key: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ viewer { role } }" }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return body.errors?.[0]?.extensions?.code ?? "OK";
    };
    const newKey = async (name: string) => {
      const created = await stack.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
        `mutation($name: String!) { createApiKey(name: $name, role: VIEWER) { key apiKey { id } } }`,
        { name },
      );
      return created.data!.createApiKey;
    };
    try {
      // The cache is real: a key revoked in the database behind the processes' backs stays trusted
      // by the process that checked it.
      const quiet = await newKey("revoked quietly");
      expect(await viewerVia(otherUrl, quiet.key)).toBe("OK");
      await stack.deps.db.apiKey.update({ where: { id: quiet.apiKey.id }, data: { revokedAt: new Date() } });
      expect(await viewerVia(otherUrl, quiet.key)).toBe("OK");

      // Revoked through the API (by the first process): the other one drops it on the announcement.
      const announced = await newKey("revoked through the API");
      expect(await viewerVia(otherUrl, announced.key)).toBe("OK");
      await stack.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, {
        id: announced.apiKey.id,
      });
      await waitFor(
        async () => ((await viewerVia(otherUrl, announced.key)) === "UNAUTHENTICATED" ? true : undefined),
        { timeoutMs: 10_000, intervalMs: 20, what: "the other process to refuse the revoked key" },
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await other.stop();
      await otherDeps.close();
    }
  });

  it("gives a CLIENT key no access to the catalogue", async () => {
    const created = await stack.gql<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "shop", role: CLIENT) { key } }`,
    );
    const result = await stack.gql("{ datasets { totalCount } }", {}, created.data!.createApiKey.key);
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

type TDatasetPage = {
  datasets: {
    totalCount: number;
    edges: { node: { name: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
};

type TAnyPage = {
  totalCount: number;
  edges: { node: unknown }[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
};

describe("pagination", () => {
  it("walks a connection page by page without gaps or repeats", async () => {
    const names = Array.from({ length: 7 }, (_, i) => `pager_${String(i).padStart(2, "0")}`);
    await stack.deps.db.dataset.createMany({ data: names.map((name) => ({ name, kind: "OTHER" as const })) });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const result = await stack.gql<{
        datasets: {
          totalCount: number;
          edges: { node: { name: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        `query($after: String) { datasets(first: 3, after: $after, search: "pager_") {
           totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      const connection: TDatasetPage["datasets"] = result.data!.datasets;
      expect(connection.totalCount).toBe(7);
      seen.push(...connection.edges.map((edge) => edge.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);
  });

  it("walks the other connections, newest first, with relations and BigInt ids", async () => {
    // Every list query pages through findConnectionPage; these have no other test that pages them.
    const walk = async (field: string, args: string, node: string): Promise<unknown[]> => {
      const nodes: unknown[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const result: { data?: Record<string, TAnyPage>; errors?: unknown[] } = await stack.gql(
          `query($after: String) { ${field}(first: 2, after: $after${args}) {
             totalCount edges { node { ${node} } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(result.errors).toBeUndefined();
        const connection = result.data![field]!;
        nodes.push(...connection.edges.map((edge) => edge.node));
        if (!connection.pageInfo.hasNextPage) {
          expect(connection.totalCount).toBe(nodes.length);
          break;
        }
        after = connection.pageInfo.endCursor;
      }
      return nodes;
    };
    const at = (second: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, second));
    const eventsVersionId = "00000000-0000-4000-8000-000000000001";
    const profileSets = await Promise.all(
      [1, 2, 3].map((second) =>
        stack.deps.db.profileSet.create({ data: { eventsVersionId, createdAt: at(second) } }),
      ),
    );
    const profileSetId = profileSets[0]!.id;
    await stack.deps.db.segmentSet.createMany({
      data: [1, 2, 3].map((second) => ({ profileSetId, algorithm: `algo_${second}`, createdAt: at(second) })),
    });
    const schema = await stack.deps.db.labelSchema.create({
      data: { name: "pager_schema", type: "FREE_TEXT" },
    });
    await stack.deps.db.labelProject.createMany({
      data: [1, 2, 3].map((second) => ({
        name: `pager_project_${second}`,
        schemaId: schema.id,
        createdAt: at(second),
      })),
    });

    await stack.deps.db.experiment.createMany({
      data: [1, 2, 3].map((second) => ({
        name: `pager_experiment_${second}`,
        modelName: "pager_model",
        salt: "pager",
        primaryMetric: "CLICK_THROUGH",
        plannedUsersPerVariant: 100,
        createdAt: at(second),
      })),
    });
    // Stored out of order: the connection orders a query's rules by position.
    await stack.deps.db.searchRule.createMany({
      data: [2, 0, 1].map((position) => ({
        query: "pager rule",
        match: "EXACT" as const,
        action: "PIN" as const,
        target: "ITEM" as const,
        value: `item_${position}`,
        position,
      })),
    });

    expect(await walk("profileSets", `, eventsVersionId: "${eventsVersionId}"`, "id")).toEqual(
      [...profileSets].reverse().map((set) => ({ id: set.id })),
    );
    expect(await walk("segmentSets", `, profileSetId: "${profileSetId}"`, "algorithm")).toEqual(
      ["algo_3", "algo_2", "algo_1"].map((algorithm) => ({ algorithm })),
    );
    expect(await walk("labelProjects", "", "name schema { name }")).toEqual(
      [3, 2, 1].map((n) => ({ name: `pager_project_${n}`, schema: { name: "pager_schema" } })),
    );
    expect(await walk("experiments", `, modelName: "pager_model"`, "name variants { key }")).toEqual(
      [3, 2, 1].map((n) => ({ name: `pager_experiment_${n}`, variants: [] })),
    );
    // The filter is folded like the rules' queries (lower case, single spaces).
    expect(await walk("searchRules", `, query: "PAGER  Rule"`, "value position")).toEqual(
      [0, 1, 2].map((position) => ({ value: `item_${position}`, position })),
    );
    const auditActions = await walk("auditEvents", "", "id action");
    expect(auditActions.length).toBeGreaterThan(0);
    expect(new Set(auditActions.map((event) => (event as { id: string }).id)).size).toBe(auditActions.length);
  });

  it("rejects a forged cursor and an oversized page with BAD_USER_INPUT", async () => {
    const forged = await stack.gql(`{ datasets(after: "bm9wZQ") { totalCount } }`);
    expect(forged.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const huge = await stack.gql("{ datasets(first: 201) { totalCount } }");
    expect(huge.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("query limits", () => {
  it("refuses queries deeper than the limit", async () => {
    const ok = await stack.gql("{ datasets { edges { node { versions { columns { name } } } } } }");
    expect(ok.errors).toBeUndefined();
    // __type(name) { fields { type { ofType { ofType ... } } } } nests as deep as we like on any schema.
    const nest = (depth: number): string => (depth === 0 ? "name" : `ofType { ${nest(depth - 1)} }`);
    const refused = await stack.gql(`{ __type(name: "Query") { fields { type { ${nest(12)} } } } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(refused.errors?.[0]?.message).toMatch(/depth 16 exceeds the limit of 12/);
  });

  it("refuses queries whose cost (page sizes multiplied) exceeds the limit", async () => {
    const page = (alias: string) =>
      `${alias}: jobs(first: 200) { edges { node { id inputIds outputIds message } } }`;
    const cheap = await stack.gql(`{ ${page("a")} }`);
    expect(cheap.errors).toBeUndefined();
    const costly = await stack.gql(`{ ${["a", "b", "c", "d", "e"].map(page).join(" ")} }`);
    expect(costly.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(costly.errors?.[0]?.message).toMatch(/cost \d+ exceeds the limit of 5000/);
  });
});

describe("health and metrics", () => {
  it("reports database and Redis state on /healthz", async () => {
    const response = await fetch(`${stack.url}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      database: { status: string };
      redis: { status: string };
    };
    expect(body).toMatchObject({ status: "ok", database: { status: "ok" }, redis: { status: "ok" } });
  });

  it("counts GraphQL operations and exposes job counts per queue", async () => {
    await stack.gql("query CountedOperation { viewer { name } }");
    // /metrics needs the metrics token or an ADMIN key; operations are labelled by their root field.
    const text = await (
      await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).text();
    expect(text).toMatch(/dam_graphql_requests_total\{operation="viewer",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/dam_graphql_request_duration_seconds_bucket\{le="0.5",operation="viewer"\}/);
    expect(text).toMatch(/dam_jobs\{queue="ingest",state="waiting"\} \d+/);
  });
});
