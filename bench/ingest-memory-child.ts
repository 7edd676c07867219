// Child process of the ingest benchmark's memory check: loads one file through the real loader into a
// fresh database and prints one JSON line with the process's own peak RSS (VmHWM), so the figure is
// the importing process alone, not the benchmark's other work.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { versionTableName } from "@dam/db/data-plane";
import { createTestDatabase } from "@dam/db/test-db";
import { createDeps } from "../apps/api/src/deps.ts";
import { readEnv } from "../apps/api/src/env.ts";
import { loadVersionFromFile } from "../apps/api/src/modules/datasets/ingest.service.ts";

const peakRssMb = (): number => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : Math.round(process.memoryUsage().rss / 1e5) / 10;
};

const main = async () => {
  const file = process.argv[2];
  if (!file) throw new Error("usage: ingest-memory-child.ts <file>");
  const database = await createTestDatabase();
  await database.prisma.$disconnect();
  const prefix = `dambench-${randomBytes(4).toString("hex")}`;
  const deps = createDeps(
    readEnv({ ...process.env, DATABASE_URL: database.url, DAM_QUEUE_PREFIX: prefix, DAM_LOG_LEVEL: "error" }),
  );
  try {
    const dataset = await deps.db.dataset.create({
      data: { name: `bench_memory_${prefix}`, kind: "EVENTS" },
    });
    const id = randomUUID();
    await deps.db.datasetVersion.create({
      data: {
        id,
        datasetId: dataset.id,
        number: 1,
        tableName: versionTableName(id),
        source: { paths: [file], format: "csv", roles: {}, types: {} },
      },
    });
    // The footprint before the first row (Node, tsx, Prisma's query compiler, BullMQ, pools), so the
    // report tells the fixed part from what the load itself adds.
    const beforeLoadMb = Math.round(process.memoryUsage().rss / 1e5) / 10;
    const peakBeforeLoadMb = peakRssMb();
    const started = performance.now();
    const { rowsLoaded } = await loadVersionFromFile(deps, id, {
      jobRecordId: "bench",
      attempt: 1,
      progress: async () => {},
      checkpoint: async () => {},
    });
    const seconds = (performance.now() - started) / 1000;
    const heap = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ rows: rowsLoaded, seconds, peakRssMb: peakRssMb(), beforeLoadMb, peakBeforeLoadMb, heapUsedMb: Math.round(heap.heapUsed / 1e6), heapTotalMb: Math.round(heap.heapTotal / 1e6), externalMb: Math.round(heap.external / 1e6) })}\n`,
    );
  } finally {
    await Promise.all(
      Object.values(deps.queues).map((queue) => queue.obliterate({ force: true }).catch(() => undefined)),
    );
    await deps.close();
    await database.drop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
