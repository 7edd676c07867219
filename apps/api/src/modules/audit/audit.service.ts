import type { PrismaClient } from "@dam/db/client";
import type pg from "pg";
import type { TPrincipal } from "../auth/permissions.ts";
import {
  findAuditEventsPage,
  insertAuditEvent,
  insertAuditEventSql,
  runAuditedTransaction,
  type TAuditedTransaction,
  type TAuditWriter,
} from "./audit.repository.ts";

export type { TAuditedTransaction, TAuditWriter };

type TDb = PrismaClient;

/**
 * Runs `write` in a transaction, for a write and the audit entry that must commit with it
 * (`inAuditedTransaction(db, async (tx) => { ...; await recordAudit(tx, ...) })`).
 */
export const inAuditedTransaction = <T>(
  db: TDb,
  write: (tx: TAuditedTransaction) => Promise<T>,
): Promise<T> => runAuditedTransaction(db, write);

/** One entry, as services describe it before it is written. */
export type TAuditEntry = {
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
};

const auditRow = (actor: TPrincipal | null, entry: TAuditEntry) => ({
  action: entry.action,
  targetType: entry.targetType,
  targetId: entry.targetId,
  details: entry.details ?? {},
  actorKeyId: actor?.keyId ?? null,
  actorId: actor?.userId ?? null,
});

/** Writes one entry; pass the transaction client of the write it records. */
export const recordAudit = async (
  db: TAuditWriter,
  actor: TPrincipal | null,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {},
): Promise<void> => {
  await insertAuditEvent(db, auditRow(actor, { action, targetType, targetId, details }));
};

/** The same inside a transaction held on a `pg` client (services that write with SQL). */
export const recordAuditSql = async (
  client: pg.ClientBase,
  actor: TPrincipal | null,
  entry: TAuditEntry,
): Promise<void> => {
  await insertAuditEventSql(client, auditRow(actor, entry));
};

export const findAuditEvents = (
  db: TDb,
  args: { first: number; after?: string | null; targetType?: string | null },
) => findAuditEventsPage(db, args.targetType, args);
