import type { Role } from "@dam/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, createApiKey } from "../src/modules/auth/auth.service.ts";
import { hashSessionToken } from "../src/modules/auth/console-session.service.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// Console sessions on a real stack: sign-in with a key gives an opaque token, the token stands for the
// key on every surface, and it stops working on sign-out, after its idle or absolute expiry, and when
// its key is revoked.

const SIGN_IN = `mutation { signIn { token expiresAt idleTimeoutSeconds viewer { keyId name role } } }`;
const VIEWER = `{ viewer { keyId name role } }`;

type TAnswer<T> = {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

let stack: TTestStack;

const call = async <T = Record<string, unknown>>(authorization: string, query: string) => {
  const response = await fetch(`${stack.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as object) } as TAnswer<T>;
};

const makeKey = async (name: string, role: Role) => {
  const admin = await authenticate(stack.deps, `Bearer ${ADMIN_TOKEN}`);
  const { key, apiKey } = await createApiKey(stack.deps.db, admin, { name, role });
  return { key, id: apiKey.id };
};

const signIn = async (key: string) => {
  const answer = await call<{ signIn: { token: string; expiresAt: string; viewer: { keyId: string } } }>(
    `Bearer ${key}`,
    SIGN_IN,
  );
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data?.signIn as { token: string; expiresAt: string; viewer: { keyId: string } };
};

const sessionRow = (token: string) =>
  stack.deps.db.consoleSession.findUniqueOrThrow({ where: { hash: hashSessionToken(token) } });

const refusal = (answer: TAnswer<unknown>) => ({
  status: answer.status,
  code: answer.errors?.[0]?.extensions?.code,
  reason: answer.errors?.[0]?.extensions?.reason,
});

beforeAll(async () => {
  stack = await startTestStack({ DAM_SESSION_IDLE_MS: "3600000", DAM_SESSION_MAX_MS: "43200000" });
});

afterAll(async () => {
  await stack?.close();
});

describe("console sessions", () => {
  it("signIn returns an opaque token that stands for the key; only its hash is stored", async () => {
    const steward = await makeKey("session steward", "STEWARD");
    const session = await signIn(steward.key);
    expect(session.token).toMatch(/^dams_[A-Za-z0-9_-]{43}$/);
    expect(session.token).not.toContain(steward.key);
    expect(session.viewer.keyId).toBe(steward.id);
    const absolute = new Date(session.expiresAt).getTime() - Date.now();
    expect(absolute).toBeGreaterThan(11 * 3_600_000);
    expect(absolute).toBeLessThanOrEqual(12 * 3_600_000);

    const row = await sessionRow(session.token);
    expect(row.apiKeyId).toBe(steward.id);
    expect(row.hash).toBe(hashSessionToken(session.token));
    const stored = JSON.stringify(await stack.deps.db.consoleSession.findMany());
    expect(stored).not.toContain(session.token);

    const viewer = await call<{ viewer: { keyId: string; role: string } }>(
      `Session ${session.token}`,
      VIEWER,
    );
    expect(viewer.data?.viewer).toMatchObject({ keyId: steward.id, role: "STEWARD" });
    // The session works on the REST surfaces too (they share authenticate).
    const download = await fetch(`${stack.url}/api/v1/versions/${crypto.randomUUID()}/rejects.csv`, {
      headers: { authorization: `Session ${session.token}` },
    });
    expect(download.status).toBe(404);
  });

  it("refuses an unknown token, a token sent as a Bearer key, and a session starting another session", async () => {
    const unknown = await call(`Session dams_${"A".repeat(43)}`, VIEWER);
    expect(refusal(unknown)).toMatchObject({ status: 401, code: "UNAUTHENTICATED", reason: "UNKNOWN" });

    const viewer = await makeKey("session viewer", "VIEWER");
    const session = await signIn(viewer.key);
    expect((await call(`Bearer ${session.token}`, VIEWER)).status).toBe(401);
    const nested = await call(`Session ${session.token}`, SIGN_IN);
    expect(nested.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  it("CLIENT keys cannot start a console session", async () => {
    const client = await makeKey("session shop backend", "CLIENT");
    const answer = await call(`Bearer ${client.key}`, SIGN_IN);
    expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await stack.deps.db.consoleSession.count({ where: { apiKeyId: client.id } })).toBe(0);
  });

  it("signOut revokes the session; the key itself keeps working", async () => {
    const labeller = await makeKey("session labeller", "LABELLER");
    const session = await signIn(labeller.key);
    const out = await call<{ signOut: boolean }>(`Session ${session.token}`, `mutation { signOut }`);
    expect(out.data?.signOut).toBe(true);
    const row = await sessionRow(session.token);
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokedReason).toBe("SIGN_OUT");
    expect(refusal(await call(`Session ${session.token}`, VIEWER))).toMatchObject({
      status: 401,
      code: "UNAUTHENTICATED",
      reason: "REVOKED",
    });
    expect((await call(`Bearer ${labeller.key}`, VIEWER)).status).toBe(200);
    const audit = await stack.deps.db.auditEvent.findMany({
      where: { targetType: "ConsoleSession", targetId: row.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((event) => event.action)).toEqual(["session.create", "session.end"]);
  });

  it("a session idle for longer than the idle timeout is refused; activity keeps it alive", async () => {
    const steward = await makeKey("session idle", "STEWARD");
    const active = await signIn(steward.key);
    const idle = await signIn(steward.key);
    const almostIdle = new Date(Date.now() - 3_600_000 + 120_000);
    const pastIdle = new Date(Date.now() - 3_600_000 - 1_000);
    await stack.deps.db.consoleSession.update({
      where: { hash: hashSessionToken(active.token) },
      data: { lastSeenAt: almostIdle },
    });
    await stack.deps.db.consoleSession.update({
      where: { hash: hashSessionToken(idle.token) },
      data: { lastSeenAt: pastIdle },
    });
    expect((await call(`Session ${active.token}`, VIEWER)).status).toBe(200);
    // The request moved lastSeenAt forward, so the idle clock starts again.
    expect((await sessionRow(active.token)).lastSeenAt.getTime()).toBeGreaterThan(almostIdle.getTime());
    expect(refusal(await call(`Session ${idle.token}`, VIEWER))).toMatchObject({
      status: 401,
      reason: "IDLE",
    });
  });

  it("a session past its absolute expiry is refused however active it is", async () => {
    const steward = await makeKey("session absolute", "STEWARD");
    const session = await signIn(steward.key);
    await stack.deps.db.consoleSession.update({
      where: { hash: hashSessionToken(session.token) },
      data: { expiresAt: new Date(Date.now() - 1_000), lastSeenAt: new Date() },
    });
    expect(refusal(await call(`Session ${session.token}`, VIEWER))).toMatchObject({
      status: 401,
      reason: "EXPIRED",
    });
  });

  it("revoking the key revokes its sessions at once, and leaves other keys' sessions alone", async () => {
    const revoked = await makeKey("session revoked key", "STEWARD");
    const other = await makeKey("session other key", "STEWARD");
    const first = await signIn(revoked.key);
    const second = await signIn(revoked.key);
    const untouched = await signIn(other.key);
    expect((await call(`Session ${first.token}`, VIEWER)).status).toBe(200);

    const revoke = await call(
      `Bearer ${ADMIN_TOKEN}`,
      `mutation { revokeApiKey(id: "${revoked.id}") { id } }`,
    );
    expect(revoke.errors).toBeUndefined();

    for (const session of [first, second]) {
      expect(refusal(await call(`Session ${session.token}`, VIEWER))).toMatchObject({
        status: 401,
        code: "UNAUTHENTICATED",
      });
      const row = await sessionRow(session.token);
      expect(row.revokedReason).toBe("KEY_REVOKED");
    }
    expect((await call(`Session ${untouched.token}`, VIEWER)).status).toBe(200);
    expect((await sessionRow(untouched.token)).revokedAt).toBeNull();
  });

  it("signing in deletes the key's sessions that ended more than 30 days ago, and keeps recent ones", async () => {
    const steward = await makeKey("session retention", "STEWARD");
    const day = 86_400_000;
    const old = await stack.deps.db.consoleSession.create({
      data: {
        hash: hashSessionToken("old"),
        apiKeyId: steward.id,
        createdAt: new Date(Date.now() - 40 * day),
        lastSeenAt: new Date(Date.now() - 40 * day),
        expiresAt: new Date(Date.now() - 39 * day),
      },
    });
    const recent = await stack.deps.db.consoleSession.create({
      data: {
        hash: hashSessionToken("recent"),
        apiKeyId: steward.id,
        lastSeenAt: new Date(Date.now() - 2 * day),
        expiresAt: new Date(Date.now() - day),
        revokedAt: new Date(Date.now() - day),
        revokedReason: "SIGN_OUT",
      },
    });
    await signIn(steward.key);
    const left = await stack.deps.db.consoleSession.findMany({ where: { apiKeyId: steward.id } });
    expect(left.map((row) => row.id)).not.toContain(old.id);
    expect(left.map((row) => row.id)).toContain(recent.id);
    expect(left).toHaveLength(2);
  });

  it("a key revoked behind the API's back (straight in the database) still ends its sessions", async () => {
    const steward = await makeKey("session db-revoked", "STEWARD");
    const session = await signIn(steward.key);
    await stack.deps.db.apiKey.update({ where: { id: steward.id }, data: { revokedAt: new Date() } });
    expect(refusal(await call(`Session ${session.token}`, VIEWER))).toMatchObject({
      status: 401,
      reason: "KEY_REVOKED",
    });
    expect((await sessionRow(session.token)).revokedReason).toBe("KEY_REVOKED");
  });
});
