import type pg from "pg";

// SQL of the labelling area. Leases are taken with row locks on LabelTask: every statement that
// hands out or re-assigns a slot locks the task row first, so slot decisions on one task are serial.

export type TAssignmentRow = {
  id: string;
  taskId: string;
  slot: number;
  userId: string;
  status: "LEASED" | "DONE" | "SKIPPED";
  leaseExpiresAt: Date;
};

export const withTransaction = async <T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/** Email of the user record that stands for a key without a user of its own. */
const keyUserEmail = (keyId: string): string => `key-${keyId}@api-keys.dam.invalid`;

/** The user records of keys that have labelled (or been made members) already, by key id. */
export const findKeyUserIds = async (pool: pg.Pool, keyIds: string[]): Promise<Map<string, string>> => {
  const byEmail = new Map(keyIds.map((keyId) => [keyUserEmail(keyId), keyId]));
  const result = await pool.query<{ id: string; email: string }>(
    `SELECT id, email FROM "User" WHERE email = ANY($1::text[])`,
    [[...byEmail.keys()]],
  );
  return new Map(result.rows.map((row) => [byEmail.get(row.email) as string, row.id]));
};

/** The user record a key's labels are stored under; one per key, created on first use, race-free. */
export const upsertKeyUser = async (
  pool: pg.Pool,
  key: { keyId: string; name: string; role: string },
): Promise<string> => {
  const result = await pool.query<{ id: string }>(
    `INSERT INTO "User" (id, email, name, role) VALUES (gen_random_uuid(), $1, $2, $3::"Role")
     ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [keyUserEmail(key.keyId), key.name, key.role],
  );
  return result.rows[0]?.id as string;
};

export const insertTasksFromJson = async (
  client: pg.PoolClient,
  projectId: string,
  payloads: unknown[],
): Promise<number> => {
  const result = await client.query(
    `INSERT INTO "LabelTask" (id, "projectId", payload)
     SELECT gen_random_uuid(), $1, item FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(item, n) ORDER BY n`,
    [projectId, JSON.stringify(payloads)],
  );
  return result.rowCount ?? 0;
};

/** Copies the first `limit` rows of a version table into tasks; `columns` are quoted identifiers, checked by the caller. */
export const insertTasksFromTable = async (
  client: pg.PoolClient,
  input: {
    projectId: string;
    table: string;
    columns: { name: string; quoted: string }[];
    lineColumn: string;
    limit: number;
  },
): Promise<number> => {
  const params: unknown[] = [input.projectId, input.limit];
  const pairs = input.columns.map((column) => {
    params.push(column.name);
    return `$${params.length}::text, ${column.quoted}`;
  });
  const result = await client.query(
    `INSERT INTO "LabelTask" (id, "projectId", payload)
     SELECT gen_random_uuid(), $1, jsonb_build_object('_line', ${input.lineColumn}, ${pairs.join(", ")})
     FROM (SELECT * FROM ${input.table} ORDER BY ${input.lineColumn} LIMIT $2) AS source`,
    params,
  );
  return result.rowCount ?? 0;
};

// A slot is taken while it is answered or leased and not expired; skipped and expired slots are free.
const TAKEN = `(a.status = 'DONE' OR (a.status = 'LEASED' AND a."leaseExpiresAt" > now()))`;

/**
 * Locks one task of the project that has a free slot and no live row of `userId`, preferring tasks
 * closest to complete (finished items are worth more than many half-labelled ones). SKIP LOCKED lets
 * concurrent callers pass each other instead of queueing on the same task; without it the caller waits
 * for the holder, which tells "nothing left" apart from "the rest is locked right now".
 */
export const lockCandidateTask = async (
  client: pg.PoolClient,
  input: { projectId: string; userId: string; overlap: number; skipLocked: boolean },
): Promise<string | null> => {
  const result = await client.query<{ id: string }>(
    `SELECT t.id FROM "LabelTask" t
     WHERE t."projectId" = $1
       AND NOT EXISTS (SELECT 1 FROM "LabelAssignment" a WHERE a."taskId" = t.id AND a."userId" = $2
                       AND NOT (a.status = 'LEASED' AND a."leaseExpiresAt" <= now()))
       AND (SELECT count(*) FROM "LabelAssignment" a WHERE a."taskId" = t.id AND ${TAKEN}) < $3
     ORDER BY (SELECT count(*) FROM "LabelAssignment" a WHERE a."taskId" = t.id AND ${TAKEN}) DESC, t.id
     LIMIT 1
     FOR UPDATE OF t${input.skipLocked ? " SKIP LOCKED" : ""}`,
    [input.projectId, input.userId, input.overlap],
  );
  return result.rows[0]?.id ?? null;
};

export const findTaskAssignments = async (
  client: pg.PoolClient,
  taskId: string,
): Promise<TAssignmentRow[]> => {
  const result = await client.query<TAssignmentRow>(
    `SELECT id, "taskId", slot, "userId", status, "leaseExpiresAt" FROM "LabelAssignment" WHERE "taskId" = $1 ORDER BY slot`,
    [taskId],
  );
  return result.rows;
};

export const isTaken = (row: TAssignmentRow, now: Date): boolean =>
  row.status === "DONE" || (row.status === "LEASED" && row.leaseExpiresAt > now);

export const dbNow = async (client: pg.PoolClient): Promise<Date> => {
  const result = await client.query<{ now: Date }>("SELECT now() AS now");
  return result.rows[0]?.now as Date;
};

/** Gives an existing (free) slot row to `userId` with a fresh lease. */
export const reassignSlot = async (
  client: pg.PoolClient,
  input: { assignmentId: string; userId: string; leaseSeconds: number },
): Promise<TAssignmentRow> => {
  const result = await client.query<TAssignmentRow>(
    `UPDATE "LabelAssignment" SET "userId" = $2, status = 'LEASED',
       "leaseExpiresAt" = now() + make_interval(secs => $3)
     WHERE id = $1 RETURNING id, "taskId", slot, "userId", status, "leaseExpiresAt"`,
    [input.assignmentId, input.userId, input.leaseSeconds],
  );
  return result.rows[0] as TAssignmentRow;
};

export const insertSlot = async (
  client: pg.PoolClient,
  input: { taskId: string; slot: number; userId: string; leaseSeconds: number },
): Promise<TAssignmentRow> => {
  const result = await client.query<TAssignmentRow>(
    `INSERT INTO "LabelAssignment" (id, "taskId", slot, "userId", status, "leaseExpiresAt")
     VALUES (gen_random_uuid(), $1, $2, $3, 'LEASED', now() + make_interval(secs => $4))
     RETURNING id, "taskId", slot, "userId", status, "leaseExpiresAt"`,
    [input.taskId, input.slot, input.userId, input.leaseSeconds],
  );
  return result.rows[0] as TAssignmentRow;
};

/** The caller's live leases in a project, oldest first. */
export const findLiveLeases = async (
  pool: pg.Pool,
  input: { projectId: string; userId: string },
): Promise<TAssignmentRow[]> => {
  const result = await pool.query<TAssignmentRow>(
    `SELECT a.id, a."taskId", a.slot, a."userId", a.status, a."leaseExpiresAt"
     FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
     WHERE t."projectId" = $1 AND a."userId" = $2 AND a.status = 'LEASED' AND a."leaseExpiresAt" > now()
     ORDER BY a."createdAt", a.id`,
    [input.projectId, input.userId],
  );
  return result.rows;
};

/** Locks an assignment (and reports whether its lease is still live by the database clock). */
export const lockAssignment = async (
  client: pg.PoolClient,
  assignmentId: string,
): Promise<(TAssignmentRow & { live: boolean; projectId: string }) | null> => {
  const result = await client.query<TAssignmentRow & { live: boolean; projectId: string }>(
    `SELECT a.id, a."taskId", a.slot, a."userId", a.status, a."leaseExpiresAt",
            a."leaseExpiresAt" > now() AS live, t."projectId"
     FROM "LabelAssignment" a JOIN "LabelTask" t ON t.id = a."taskId"
     WHERE a.id = $1 FOR UPDATE OF a`,
    [assignmentId],
  );
  return result.rows[0] ?? null;
};

export const setAssignmentStatus = async (
  client: pg.PoolClient,
  assignmentId: string,
  status: TAssignmentRow["status"],
): Promise<void> => {
  await client.query(`UPDATE "LabelAssignment" SET status = $2 WHERE id = $1`, [assignmentId, status]);
};

export const insertLabelProject = async (
  client: pg.PoolClient,
  input: {
    name: string;
    schemaId: string;
    sourceVersionId: string | null;
    overlap: number;
    leaseSeconds: number;
    visiblePayloadFields: string[];
  },
): Promise<string> => {
  const created = await client.query<{ id: string }>(
    `INSERT INTO "LabelProject" (id, name, "schemaId", "sourceVersionId", overlap, "leaseSeconds", "visiblePayloadFields")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      input.name,
      input.schemaId,
      input.sourceVersionId,
      input.overlap,
      input.leaseSeconds,
      input.visiblePayloadFields,
    ],
  );
  return created.rows[0]?.id as string;
};

/** A labeller's (non-gold) label of a task; returns its id. */
export const insertLabel = async (
  client: pg.PoolClient,
  input: { taskId: string; userId: string; value: unknown },
): Promise<string> => {
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO "Label" (id, "taskId", "userId", value, "isGold") VALUES (gen_random_uuid(), $1, $2, $3::jsonb, false)
     RETURNING id`,
    [input.taskId, input.userId, JSON.stringify(input.value)],
  );
  return inserted.rows[0]?.id as string;
};

/** The user's latest non-gold label in the project, row-locked; null when they have none. */
export const lockLatestOwnLabel = async (
  client: pg.PoolClient,
  projectId: string,
  userId: string,
): Promise<{ id: string; taskId: string } | null> => {
  const latest = await client.query<{ id: string; taskId: string }>(
    `SELECT l.id, l."taskId" FROM "Label" l JOIN "LabelTask" t ON t.id = l."taskId"
     WHERE t."projectId" = $1 AND l."userId" = $2 AND NOT l."isGold"
     ORDER BY l."createdAt" DESC, l.id DESC LIMIT 1 FOR UPDATE OF l`,
    [projectId, userId],
  );
  return latest.rows[0] ?? null;
};

export const deleteLabel = async (client: pg.PoolClient, labelId: string): Promise<void> => {
  await client.query(`DELETE FROM "Label" WHERE id = $1`, [labelId]);
};

/** The user's row of the task becomes a lease again for `leaseSeconds`; null when they have none. */
export const renewOwnAssignment = async (
  client: pg.PoolClient,
  input: { taskId: string; userId: string; leaseSeconds: number },
): Promise<TAssignmentRow | null> => {
  const renewed = await client.query<TAssignmentRow>(
    `UPDATE "LabelAssignment" SET status = 'LEASED', "leaseExpiresAt" = now() + make_interval(secs => $3)
     WHERE "taskId" = $1 AND "userId" = $2 RETURNING id, "taskId", slot, "userId", status, "leaseExpiresAt"`,
    [input.taskId, input.userId, input.leaseSeconds],
  );
  return renewed.rows[0] ?? null;
};
