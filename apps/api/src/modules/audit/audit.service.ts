import type { PrismaClient } from "@dam/db/client";
import type pg from "pg";
import type { TPrincipal } from "../auth/permissions.ts";
import { findBigIntConnectionPage } from "../core/pagination.ts";

type TDb = PrismaClient;

/**
 * Where an audit entry is written: the Prisma client, or better the transaction client of the write it
 * records (`db.$transaction(async (tx) => { ...; await recordAudit(tx, ...) })`), so that the action
 * and its entry commit together or not at all.
 */
export type TAuditWriter = { auditEvent: Pick<TDb["auditEvent"], "create"> };

/** The client a write and its audit entry share inside `inAuditedTransaction`. */
export type TAuditedTransaction = Parameters<Parameters<TDb["$transaction"]>[0]>[0];

// A write and its audit entry hold one pooled connection for a few round trips. Prisma's default wait
// for a connection (2 s) failed 20 concurrent createApiKey calls on a loaded machine; waiting longer is
// the right answer to a busy pool here, an error is not.
const AUDITED_TRANSACTION = { maxWait: 10_000, timeout: 15_000 } as const;

/** Runs `write` in a transaction, for a write and the audit entry that must commit with it. */
export const inAuditedTransaction = <T>(
  db: TDb,
  write: (tx: TAuditedTransaction) => Promise<T>,
): Promise<T> => db.$transaction(write, AUDITED_TRANSACTION);

/** One entry, as services describe it before it is written. */
export type TAuditEntry = {
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
};

export const recordAudit = async (
  db: TAuditWriter,
  actor: TPrincipal | null,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {},
): Promise<void> => {
  await db.auditEvent.create({
    data: {
      action,
      targetType,
      targetId,
      details: details as object,
      actorKeyId: actor?.keyId ?? null,
      actorId: actor?.userId ?? null,
    },
  });
};

/** The same inside a transaction held on a `pg` client (services that write with SQL). */
export const recordAuditSql = async (
  client: pg.ClientBase,
  actor: TPrincipal | null,
  entry: TAuditEntry,
): Promise<void> => {
  await client.query(
    `INSERT INTO "AuditEvent" (action, "targetType", "targetId", details, "actorKeyId", "actorId")
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
    [
      entry.action,
      entry.targetType,
      entry.targetId,
      JSON.stringify(entry.details ?? {}),
      actor?.keyId ?? null,
      actor?.userId ?? null,
    ],
  );
};

export const findAuditEvents = async (
  db: TDb,
  args: { first: number; after?: string | null; targetType?: string | null },
) => {
  const where = args.targetType ? { targetType: args.targetType } : {};
  return findBigIntConnectionPage(db.auditEvent, { where, orderBy: { id: "desc" } }, args);
};
