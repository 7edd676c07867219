import { cp, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase } from "./migrate.ts";
import { migrationsDir } from "./migration-files.ts";
import { createEmptyTestDatabase } from "./test-db.ts";

// The migration that turned ModelVersion.inputIds ("<role>:<id>" strings) into typed JSON, run on rows
// written the old way: tagged entries keep their role, bare ids take the role of what they name.

const MIGRATION = "20261204100000_model_inputs_json";
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const EVENTS_DATASET = "10000000-0000-4000-8000-000000000001";
const CATALOG_DATASET = "10000000-0000-4000-8000-000000000002";
const EVENTS = "20000000-0000-4000-8000-000000000001";
const CATALOG = "20000000-0000-4000-8000-000000000002";
const OTHER_EVENTS = "20000000-0000-4000-8000-000000000003";
const FEATURES = "30000000-0000-4000-8000-000000000001";
const PROFILES = "40000000-0000-4000-8000-000000000001";
const SEGMENTS = "50000000-0000-4000-8000-000000000001";
const GONE = "60000000-0000-4000-8000-000000000001";

describe(`migration ${MIGRATION}`, () => {
  it("converts tagged and bare input ids into typed inputs and drops the old column", async () => {
    const db = await createEmptyTestDatabase();
    cleanups.push(db.drop);
    const dir = await mkdtemp(join(tmpdir(), "dam-migrations-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(migrationsDir, dir, { recursive: true });
    const held = join(dir, "..", `${MIGRATION}-${Date.now()}`);
    await rename(join(dir, MIGRATION), held);
    cleanups.push(() => rm(held, { recursive: true, force: true }));
    await migrateDatabase(db.url, { migrationsDir: dir });

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query(
      `INSERT INTO "Dataset" (id, name, kind, "updatedAt") VALUES
         ($1, 'events', 'EVENTS', now()), ($2, 'catalog', 'CATALOG', now())`,
      [EVENTS_DATASET, CATALOG_DATASET],
    );
    await client.query(
      `INSERT INTO "DatasetVersion" (id, "datasetId", number, "tableName") VALUES
         ($1, $4, 1, 't_events'), ($2, $5, 1, 't_catalog'), ($3, $4, 2, 't_events_2')`,
      [EVENTS, CATALOG, OTHER_EVENTS, EVENTS_DATASET, CATALOG_DATASET],
    );
    await client.query(`INSERT INTO "FeatureSet" (id, name, version) VALUES ($1, 'fused', 1)`, [FEATURES]);
    await client.query(`INSERT INTO "ProfileSet" (id, "eventsVersionId") VALUES ($1, $2)`, [
      PROFILES,
      EVENTS,
    ]);
    await client.query(`INSERT INTO "SegmentSet" (id, "profileSetId", algorithm) VALUES ($1, $2, 'KMEANS')`, [
      SEGMENTS,
      PROFILES,
    ]);
    const models: [string, string[]][] = [
      ["tagged", [`events:${EVENTS}`, `catalog:${CATALOG}`, `features:${FEATURES}`, `segments:${SEGMENTS}`]],
      // Bare ids (tests and benches wrote these) take the role of what they name; one naming nothing is dropped.
      ["bare", [EVENTS, CATALOG, SEGMENTS, GONE]],
      // A tagged entry wins over a bare one of the same role; unreadable entries are skipped.
      ["mixed", [OTHER_EVENTS, `events:${EVENTS}`, "events:not-an-id", `weights:${CATALOG}`, FEATURES]],
      ["empty", []],
    ];
    for (const [name, inputIds] of models) {
      await client.query(
        `INSERT INTO "ModelVersion" (id, name, version, algorithm, "inputIds") VALUES (gen_random_uuid(), $1, 1, 'ALS', $2)`,
        [name, inputIds],
      );
    }

    await rename(held, join(dir, MIGRATION));
    expect((await migrateDatabase(db.url, { migrationsDir: dir })).applied).toEqual([MIGRATION]);

    const rows = await client.query<{ name: string; inputs: unknown }>(
      `SELECT name, inputs FROM "ModelVersion" ORDER BY name`,
    );
    expect(Object.fromEntries(rows.rows.map((row) => [row.name, row.inputs]))).toEqual({
      tagged: {
        eventsVersionId: EVENTS,
        catalogVersionId: CATALOG,
        featureSetId: FEATURES,
        segmentSetId: SEGMENTS,
      },
      bare: {
        eventsVersionId: EVENTS,
        catalogVersionId: CATALOG,
        featureSetId: null,
        segmentSetId: SEGMENTS,
      },
      mixed: { eventsVersionId: EVENTS, catalogVersionId: null, featureSetId: FEATURES, segmentSetId: null },
      empty: { eventsVersionId: "", catalogVersionId: null, featureSetId: null, segmentSetId: null },
    });
    const columns = await client.query<{ column_name: string; is_nullable: string }>(
      `SELECT column_name, is_nullable FROM information_schema.columns
       WHERE table_name = 'ModelVersion' AND column_name IN ('inputs', 'inputIds')`,
    );
    expect(columns.rows).toEqual([{ column_name: "inputs", is_nullable: "NO" }]);
  });
});
