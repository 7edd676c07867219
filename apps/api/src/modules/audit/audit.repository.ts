import type { PrismaClient } from "@dam/db/client";
import type pg from "pg";
import { findBigIntConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TDb = PrismaClient;

/**
 * Where an audit entry is written: the Prisma client, or better the transaction client of the write it
 * records, so that the action and its entry commit together or not at all.
 */
export type TAuditWriter = { auditEvent: Pick<TDb["auditEvent"], "create"> };

/** The client a write and its audit entry share inside `inAuditedTransaction`. */
export type TAuditedTransaction = Parameters<Parameters<TDb["$transaction"]>[0]>[0];

/** An audit row as stored: the actor already reduced to its key and user ids. */
export type TAuditRow = {
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  actorKeyId: string | null;
  actorId: string | null;
};

// A write and its audit entry hold one pooled connection for a few round trips. Prisma's default wait
// for a connection (2 s) failed 20 concurrent createApiKey calls on a loaded machine; waiting longer is
// the right answer to a busy pool here, an error is not.
const AUDITED_TRANSACTION = { maxWait: 10_000, timeout: 15_000 } as const;

/** Runs `write` in one interactive transaction with the audited-write timeouts. */
export const runAuditedTransaction = <T>(
  db: TDb,
  write: (tx: TAuditedTransaction) => Promise<T>,
): Promise<T> => db.$transaction(write, AUDITED_TRANSACTION);

export const insertAuditEvent = async (db: TAuditWriter, row: TAuditRow): Promise<void> => {
  await db.auditEvent.create({ data: { ...row, details: row.details as object } });
};

/** The same on a `pg` client, inside the transaction that client holds. */
export const insertAuditEventSql = async (client: pg.ClientBase, row: TAuditRow): Promise<void> => {
  await client.query(
    `INSERT INTO "AuditEvent" (action, "targetType", "targetId", details, "actorKeyId", "actorId")
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
    [row.action, row.targetType, row.targetId, JSON.stringify(row.details), row.actorKeyId, row.actorId],
  );
};

/** One page of audit entries, newest first, optionally of one target type. */
export const findAuditEventsPage = (db: TDb, targetType: string | null | undefined, page: TPageArgs) =>
  findBigIntConnectionPage(
    db.auditEvent,
    { where: targetType ? { targetType } : {}, orderBy: { id: "desc" } },
    page,
  );
