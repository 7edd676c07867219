// Console sessions: the console keeps an opaque session token in its cookie instead of an API key. The
// token is 32 random bytes; only its SHA-256 is stored, so a leaked table holds no usable session.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@dam/db/client";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import {
  deleteSessionsEndedBefore,
  findSessionByHash,
  insertSession,
  revokeLiveSessions,
  touchSessionLastSeen,
} from "./console-session.repository.ts";
import { assertCan, type TPrincipal } from "./permissions.ts";

type TDb = PrismaClient;
export type TSessionEnv = { DAM_SESSION_IDLE_MS: number; DAM_SESSION_MAX_MS: number };

const TOKEN_PREFIX = "dams_";
// lastSeenAt is written at most once a minute, so an active console does not write on every request;
// the idle timeout is therefore exact to within this resolution.
const LAST_SEEN_RESOLUTION_MS = 60_000;
// Ended sessions are kept this long (who was signed in when, next to the audit log), then deleted the
// next time their key signs in, so the table grows with the number of keys, not of sign-ins.
export const ENDED_SESSION_RETENTION_MS = 30 * 86_400_000;

export const SESSION_REVOKE_REASONS = ["SIGN_OUT", "KEY_REVOKED"] as const;
export type TSessionRevokeReason = (typeof SESSION_REVOKE_REASONS)[number];

export const generateSessionToken = (): string => `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;

export const hashSessionToken = (token: string): string =>
  createHash("sha256").update(token, "utf8").digest("hex");

export type TCreatedSession = { token: string; expiresAt: Date; idleTimeoutSeconds: number };

/**
 * Starts a session for the key the request was made with. Only a key may start one (not another
 * session), so a stolen session cannot extend itself past its absolute expiry.
 */
export const createConsoleSession = async (
  deps: { db: TDb; env: TSessionEnv },
  principal: TPrincipal,
): Promise<TCreatedSession> => {
  assertCan(principal, "console:sign-in");
  if (principal.sessionId) {
    throw new AppError("CONFLICT", "Already a session: sign in with the API key (Authorization: Bearer)");
  }
  const token = generateSessionToken();
  const now = Date.now();
  const expiresAt = new Date(now + deps.env.DAM_SESSION_MAX_MS);
  const longAgo = new Date(now - ENDED_SESSION_RETENTION_MS);
  await deleteSessionsEndedBefore(deps.db, principal.keyId, longAgo);
  await inAuditedTransaction(deps.db, async (tx) => {
    const session = await insertSession(tx, {
      hash: hashSessionToken(token),
      apiKeyId: principal.keyId,
      expiresAt,
    });
    await recordAudit(tx, principal, "session.create", "ConsoleSession", session.id, {});
  });
  return { token, expiresAt, idleTimeoutSeconds: Math.round(deps.env.DAM_SESSION_IDLE_MS / 1000) };
};

/** Why a session is refused, or null when it is valid at `now`. */
export const sessionRefusal = (
  session: {
    revokedAt: Date | null;
    expiresAt: Date;
    lastSeenAt: Date;
    apiKey: { revokedAt: Date | null; expiresAt: Date | null };
  },
  now: number,
  idleMs: number,
): "REVOKED" | "EXPIRED" | "IDLE" | "KEY_REVOKED" | null => {
  if (session.revokedAt) return "REVOKED";
  if (session.apiKey.revokedAt || (session.apiKey.expiresAt && session.apiKey.expiresAt.getTime() <= now))
    return "KEY_REVOKED";
  if (session.expiresAt.getTime() <= now) return "EXPIRED";
  if (now - session.lastSeenAt.getTime() >= idleMs) return "IDLE";
  return null;
};

/**
 * Resolves a session token to the principal of its key, or throws UNAUTHENTICATED. Sessions are read
 * from the database on every request (the console's traffic is a person's clicks, and a read keeps
 * sign-out and key revocation exact in every API process); the key's own state is part of the check.
 */
export const authenticateSession = async (
  deps: { db: TDb; env: TSessionEnv },
  token: string,
): Promise<TPrincipal> => {
  const now = Date.now();
  const session = await findSessionByHash(deps.db, hashSessionToken(token));
  const refusal = session ? sessionRefusal(session, now, deps.env.DAM_SESSION_IDLE_MS) : "UNKNOWN";
  if (refusal === "KEY_REVOKED" && session) {
    // Revocation normally marks its sessions (revokeApiKey); a key revoked another way is caught here.
    await revokeSessionsOfKey(deps.db, session.apiKeyId, "KEY_REVOKED");
  }
  if (!session || refusal) {
    throw new AppError("UNAUTHENTICATED", "Invalid, expired or revoked session: sign in again", {
      reason: refusal ?? "UNKNOWN",
    });
  }
  if (now - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await touchSessionLastSeen(deps.db, session.id, new Date(now));
  }
  const key = session.apiKey;
  return {
    keyId: key.id,
    name: key.name,
    role: key.role,
    keyPrefix: key.prefix,
    userId: key.userId,
    sessionId: session.id,
  };
};

/** Ends the session the request was made with (sign-out). */
export const endConsoleSession = async (db: TDb, principal: TPrincipal): Promise<boolean> => {
  if (!principal.sessionId) {
    throw new AppError("BAD_USER_INPUT", "Not a session: sign out with `Authorization: Session <token>`");
  }
  const { sessionId } = principal;
  const ended = await inAuditedTransaction(db, async (tx) => {
    const updated = await revokeLiveSessions(tx, { id: sessionId }, "SIGN_OUT", new Date());
    await recordAudit(tx, principal, "session.end", "ConsoleSession", sessionId, {});
    return updated;
  });
  return ended.count > 0;
};

/**
 * Revokes every live session of a key. Returned unawaited (a Prisma promise) so that revokeApiKey can
 * run it in one transaction with the key's own update.
 */
// Takes a transaction client too: revokeApiKey ends the key, its sessions and its audit entry together.
export const revokeSessionsOfKey = (
  db: Pick<TDb, "consoleSession">,
  apiKeyId: string,
  reason: TSessionRevokeReason,
) => revokeLiveSessions(db, { apiKeyId }, reason, new Date());
