import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TPrincipal } from "../src/modules/auth/permissions.ts";
import { createCleaningRecipe, runCleaningRecipe } from "../src/modules/cleaning/cleaning.service.ts";
import { updateColumnRoles } from "../src/modules/datasets/column-roles.service.ts";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import type { TQueueName } from "../src/modules/jobs/queue-names.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { decidePiiTag } from "../src/modules/privacy/pii-tags.service.ts";
import {
  createQualityRule,
  deleteQualityRule,
  overrideQualityGate,
  updateQualityRule,
} from "../src/modules/quality/quality.service.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// Every mutation and its audit entry commit together or not at all. The failure is real: a trigger on
// "AuditEvent" raises for the actions listed in `audit_failure`, so the audit insert fails after the
// mutation's own writes went to the database; the test then checks that none of them stayed.

const WORKER_QUEUES: TQueueName[] = ["ingest"];
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let actor: TPrincipal;
let catalog: { datasetId: string; versionId: string };

const FAILURE_SETUP = `
  CREATE TABLE audit_failure (action text PRIMARY KEY);
  CREATE SEQUENCE audit_failure_hits;
  CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM audit_failure WHERE action = NEW.action) THEN
      -- Sequences are not transactional: the count survives the rollback, proving the entry was tried.
      PERFORM nextval('audit_failure_hits');
      RAISE EXCEPTION 'injected failure: the audit entry of % cannot be written', NEW.action;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER fail_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION fail_audit();
`;

const failureHits = async () =>
  Number(
    (
      await stack.deps.pool.query<{ n: string }>(
        "SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS n FROM audit_failure_hits",
      )
    ).rows[0]!.n,
  );

/** Row counts of every table a mutation here may write, and the queued BullMQ jobs. */
const snapshot = async () => {
  const { rows } = await stack.deps.pool.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM "Dataset")::text AS datasets,
           (SELECT count(*) FROM "DatasetVersion")::text AS versions,
           (SELECT count(*) FROM "Job")::text AS jobs,
           (SELECT count(*) FROM "QualityRule")::text AS rules,
           (SELECT count(*) FROM "CleaningRecipe")::text AS recipes,
           (SELECT count(*) FROM "PiiDecision")::text AS "piiDecisions",
           (SELECT count(*) FROM "ColumnPiiTag")::text AS "piiTags",
           (SELECT count(*) FROM "AuditEvent")::text AS audit,
           (SELECT md5(string_agg(id || schema::text || "qualityOverride"::text, ',' ORDER BY id))
              FROM "DatasetVersion") AS "versionRows",
           (SELECT md5(string_agg(id || name || params::text || enabled::text, ',' ORDER BY id))
              FROM "QualityRule") AS "ruleRows"`);
  const queued = await Promise.all(
    Object.values(stack.deps.queues).map(async (queue) => Object.values(await queue.getJobCounts())),
  );
  return { ...rows[0], queued: queued.flat().reduce((sum, n) => sum + n, 0) };
};

/** Runs `mutation` with its audit entry failing, and asserts it failed and left nothing behind. */
const expectNothingLeft = async (action: string, mutation: () => Promise<unknown>) => {
  await stack.deps.pool.query("INSERT INTO audit_failure (action) VALUES ($1)", [action]);
  try {
    const before = await snapshot();
    const hits = await failureHits();
    await expect(mutation()).rejects.toThrow();
    // It failed at its audit entry (after its own writes), not earlier.
    expect(await failureHits()).toBe(hits + 1);
    expect(await snapshot()).toEqual(before);
  } finally {
    await stack.deps.pool.query("DELETE FROM audit_failure");
  }
};

beforeAll(async () => {
  stack = await startTestStack();
  await stack.deps.pool.query(FAILURE_SETUP);
  workers = startWorkers(stack.deps, WORKER_REGISTRY, WORKER_QUEUES);
  dir = await mkdtemp(path.join(tmpdir(), "dam-audit-atomicity-"));
  const admin = await stack.deps.db.apiKey.findFirstOrThrow({ where: { role: "ADMIN" } });
  actor = {
    keyId: admin.id,
    name: admin.name,
    role: "ADMIN",
    keyPrefix: admin.prefix,
    userId: null,
    sessionId: null,
  };
  const file = path.join(dir, "items.csv");
  await writeFile(
    file,
    "item_id,title,email,price\ni1,Red mug,a@example.com,3.5\ni2,Blue mug,b@example.com,4\n",
  );
  const { dataset, version, job } = await importAndWait(stack, {
    name: "atomic_items",
    kind: "CATALOG",
    source: { paths: [file], format: "csv", roles: {}, types: {} },
  });
  expect(job.status).toBe("COMPLETED");
  catalog = { datasetId: dataset.id, versionId: version.id };
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("a mutation whose audit entry cannot be written leaves nothing behind", () => {
  it("an import into a new dataset: no dataset, version, job or queued job", async () => {
    const file = path.join(dir, "more.csv");
    await writeFile(file, "item_id,title\ni9,Green mug\n");
    await expectNothingLeft("dataset.import", () =>
      createFileImport(stack.deps, actor, {
        name: "atomic_new_dataset",
        kind: "CATALOG",
        source: { paths: [file], format: "csv", roles: {}, types: {} },
      }),
    );
    expect(await stack.deps.db.dataset.findUnique({ where: { name: "atomic_new_dataset" } })).toBeNull();
  });

  it("a new version of an existing dataset: no version or job", async () => {
    const file = path.join(dir, "items-2.csv");
    await writeFile(file, "item_id,title\ni3,Tea pot\n");
    await expectNothingLeft("dataset.import", () =>
      createFileImport(stack.deps, actor, {
        name: "atomic_items",
        kind: "CATALOG",
        source: { paths: [file], format: "csv", roles: {}, types: {} },
      }),
    );
  });

  it("a cleaning recipe, and a cleaning run (version and job)", async () => {
    const steps = [{ op: "dedupe" }];
    await expectNothingLeft("cleaning.recipe.create", () =>
      createCleaningRecipe(stack.deps, actor, { datasetId: catalog.datasetId, name: "tidy", steps }),
    );
    const recipe = await createCleaningRecipe(stack.deps, actor, {
      datasetId: catalog.datasetId,
      name: "tidy",
      steps,
    });
    await expectNothingLeft("cleaning.run", () =>
      runCleaningRecipe(stack.deps, actor, { recipeId: recipe.id, versionId: catalog.versionId }),
    );
  });

  it("quality rules: create, update, delete and the gate override", async () => {
    const input = { name: "price positive", type: "range", params: { column: "price", min: 0 } };
    await expectNothingLeft("quality.rule.create", () =>
      createQualityRule(stack.deps, actor, catalog.datasetId, input),
    );
    const rule = await createQualityRule(stack.deps, actor, catalog.datasetId, input);
    await expectNothingLeft("quality.rule.update", () =>
      updateQualityRule(stack.deps, actor, rule.id, { enabled: false, params: { column: "price", min: 1 } }),
    );
    await expectNothingLeft("quality.rule.delete", () => deleteQualityRule(stack.deps, actor, rule.id));

    await stack.deps.db.datasetVersion.update({
      where: { id: catalog.versionId },
      data: { qualityFailed: true },
    });
    await expectNothingLeft("quality.override", () =>
      overrideQualityGate(stack.deps, actor, catalog.versionId, "known seasonal gap"),
    );
    await stack.deps.db.datasetVersion.update({
      where: { id: catalog.versionId },
      data: { qualityFailed: false },
    });
  });

  it("column roles and a PII decision", async () => {
    await expectNothingLeft("version.roles", () =>
      updateColumnRoles(stack.deps, actor, catalog.versionId, [{ column: "title", role: null }]),
    );
    await expectNothingLeft("version.pii.confirmed", () =>
      decidePiiTag(stack.deps, actor, {
        versionId: catalog.versionId,
        column: "email",
        piiType: "EMAIL",
        status: "CONFIRMED",
      }),
    );
  });

  it("the same mutations go through, with their entries, once the audit can be written", async () => {
    const before = await stack.deps.db.auditEvent.count();
    const rule = await createQualityRule(stack.deps, actor, catalog.datasetId, {
      name: "title present",
      type: "not_null",
      params: { column: "title" },
    });
    await updateColumnRoles(stack.deps, actor, catalog.versionId, [{ column: "title", role: null }]);
    const entries = await stack.deps.db.auditEvent.findMany();
    expect(entries.length).toBe(before + 2);
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["quality.rule.create", "version.roles"]),
    );
    expect(entries.some((e) => e.targetId === rule.id)).toBe(true);
  });
});
