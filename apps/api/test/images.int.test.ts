import { existsSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "@dam/vocabulary/prng";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeps, type TDeps } from "../src/deps.ts";
import { readEnv } from "../src/env.ts";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { embeddingDir } from "../src/modules/features/embedding-artifact.ts";
import { executeImageEmbeddingRun } from "../src/modules/features/image-embedding-run.service.ts";
import { buildZip } from "../src/modules/features/image-zip.test-helper.ts";
import type { TJobContext } from "../src/modules/jobs/job-definition.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SHARED_MODELS_DIR = path.resolve(ROOT, "../shared/models");
const MODEL_ID = "shop-image-resnet-tiny";
const SAMPLE_DIR = path.resolve(ROOT, "../shared/datasets/fashion-products-sample");
const fixturesPresent =
  existsSync(path.join(SHARED_MODELS_DIR, MODEL_ID, "config.json")) &&
  existsSync(path.join(SAMPLE_DIR, "catalog.csv"));

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

const waitForJob = (deps: TDeps, jobId: string, what: string) =>
  waitFor(
    async () => {
      const row = await deps.db.job.findUnique({ where: { id: jobId } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what, timeoutMs: 60_000 },
  );

const upload = async (name: string, bytes: Buffer): Promise<string> => {
  const response = await fetch(`${stack.url}/api/v1/uploads?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: bytes,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { uploadId: string }).uploadId;
};

const importCatalog = async (name: string, csv: string, roles: Record<string, string>) => {
  const file = path.join(dir, `${name}.csv`);
  await writeFile(file, csv);
  const { version, job } = await createFileImport(stack.deps, null, {
    name,
    kind: "CATALOG",
    source: { paths: [file], format: "csv", roles, types: { item_id: "text" } },
  });
  expect((await waitForJob(stack.deps, job.id, `import of ${name}`)).status).toBe("COMPLETED");
  return version.id;
};

type TImageSetResult = {
  id: string;
  status: string;
  count: number;
  rejectedCount: number;
  rejects: { file: string; entry: string | null; itemId: string | null; reason: string }[];
  images: {
    itemId: string;
    format: string;
    width: number;
    height: number;
    sha256: string;
    thumbnail: string;
  }[];
};

const importImages = async (variables: Record<string, unknown>, itemIds: string[] = []) => {
  const started = await stack.gql<{ importImages: { id: string } }>(
    `mutation ($v: ID!, $u: [ID!]!, $p: String) { importImages(input: { catalogVersionId: $v, uploadIds: $u, pathColumn: $p }) { id } }`,
    variables,
  );
  expect(started.errors).toBeUndefined();
  const job = await waitForJob(stack.deps, started.data!.importImages.id, "image import");
  expect(job.status).toBe("COMPLETED");
  const setId = (job.outputIds as string[])[0]!;
  const read = await stack.gql<{ imageSet: TImageSetResult }>(
    `query ($id: ID!, $items: [String!]) { imageSet(id: $id) {
       id status count rejectedCount rejects(first: 100) { file entry itemId reason }
       images(itemIds: $items) { itemId format width height sha256 thumbnail } } }`,
    { id: setId, items: itemIds },
  );
  expect(read.errors).toBeUndefined();
  return read.data!.imageSet;
};

// Blocks of colour with a bar whose position depends on the item: distinct pictures, known sizes.
const png = (i: number, width = 40, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: { r: (i * 50) % 256, g: 90, b: 200 } } })
    .composite([
      {
        input: { create: { width: 4, height, channels: 3, background: "#000000" } },
        left: (i * 5) % (width - 4),
        top: 0,
      },
    ])
    .png()
    .toBuffer();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-images-"));
  await mkdir(path.join(dir, "models-empty"), { recursive: true });
  stack = await startTestStack({
    MODELS_DIR: path.join(dir, "models-empty"),
    ARTIFACTS_DIR: path.join(dir, "artifacts"),
    DAM_MAX_IMAGE_BYTES: "60000",
  });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "features"]);
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("image import", () => {
  it("stores pictures keyed by item id with hashes and thumbnails, and rejects the bad ones with the reason", async () => {
    const csv = ["item_id,title", ...Array.from({ length: 8 }, (_, i) => `p${i},product ${i}`)].join("\n");
    const versionId = await importCatalog("img_keyed", csv, { item_id: "itemId", title: "title" });
    const jpeg = await sharp(await png(3))
      .jpeg()
      .toBuffer();
    // Random noise compresses badly: over the 60,000-byte limit of this stack.
    const random = mulberry32(0x9e3779b9);
    const noise = Buffer.from(Array.from({ length: 200 * 200 * 3 }, () => Math.floor(random() * 256)));
    const oversized = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    expect(oversized.length).toBeGreaterThan(60_000);
    const archive = buildZip([
      { name: "pics/p0.png", bytes: await png(0, 300, 200) },
      { name: "pics/p1.png", bytes: await png(1) },
      { name: "pics/p2.jpg", bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)) },
      { name: "pics/p3.png", bytes: oversized },
      { name: "pics/unknown-item.png", bytes: await png(9) },
      { name: "pics/p4.txt", bytes: Buffer.from("not a picture") },
      { name: "__MACOSX/pics/._p0.png", bytes: Buffer.from("resource fork") },
      { name: "pics/p5.png", bytes: await png(0, 300, 200), store: true },
    ]);
    const archiveId = await upload("pictures.zip", archive);
    const single = await upload("p6.jpg", jpeg);
    const broken = await upload(
      "broken.zip",
      Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(40)]),
    );
    const set = await importImages({ v: versionId, u: [archiveId, single, broken] }, [
      "p0",
      "p5",
      "p6",
      "p2",
      "p7",
    ]);

    expect(set).toMatchObject({ status: "READY", count: 4, rejectedCount: 5 });
    const reasons = Object.fromEntries(set.rejects.map((r) => [`${r.file}:${r.entry ?? ""}`, r.reason]));
    expect(reasons["pictures.zip:pics/p2.jpg"]).toMatch(/^unreadable: /);
    expect(reasons["pictures.zip:pics/p3.png"]).toMatch(/^oversized: \d+ bytes, over the limit of 60000$/);
    expect(reasons["pictures.zip:pics/unknown-item.png"]).toMatch(/^no item unknown-item in img_keyed v1/);
    expect(reasons["pictures.zip:pics/p4.txt"]).toMatch(/^unreadable: .*unsupported image format/);
    expect(reasons["broken.zip:"]).toMatch(/^unreadable archive: /);
    expect(set.rejects.find((r) => r.entry === "pics/p3.png")?.itemId).toBe("p3");

    expect(set.images.map((image) => image.itemId)).toEqual(["p0", "p5", "p6"]);
    const [p0, p5, p6] = set.images;
    expect(p0).toMatchObject({ format: "png", width: 300, height: 200 });
    // The same bytes under two items: one content hash, stored once.
    expect(p5!.sha256).toBe(p0!.sha256);
    expect(p6).toMatchObject({ format: "jpeg", width: 40, height: 30 });
    const thumb = Buffer.from(p0!.thumbnail.replace(/^data:image\/webp;base64,/, ""), "base64");
    expect(await sharp(thumb).metadata()).toMatchObject({ format: "webp", width: 160, height: 107 });
  });

  it("resolves a catalogue column of relative paths inside an archive and reports the paths it lacks", async () => {
    const csv = [
      "item_id,title,image",
      "a1,first,images/a1.png",
      "a2,second,./images/shared.png",
      "a3,third,images/shared.png",
      "a4,fourth,images/missing.png",
      "a5,fifth,",
    ].join("\n");
    const versionId = await importCatalog("img_paths", csv, { item_id: "itemId", title: "title" });
    const archive = buildZip([
      { name: "shop/images/a1.png", bytes: await png(1) },
      { name: "shop/images/shared.png", bytes: await png(2) },
      { name: "shop/images/extra.png", bytes: await png(3) },
    ]);
    const set = await importImages({ v: versionId, u: [await upload("shop.zip", archive)], p: "image" }, [
      "a1",
      "a2",
      "a3",
      "a4",
    ]);
    expect(set).toMatchObject({ count: 3, rejectedCount: 2 });
    expect(set.images.map((image) => image.itemId)).toEqual(["a1", "a2", "a3"]);
    expect(set.rejects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entry: "shop/images/extra.png",
          reason: expect.stringMatching(/names this path in column image/),
        }),
        {
          file: "(catalogue)",
          entry: "images/missing.png",
          itemId: "a4",
          reason: "the path is in no uploaded archive",
        },
      ]),
    );
  });

  it("refuses bad requests with the field and the reason", async () => {
    const csv = "item_id,title\nx1,one\n";
    const versionId = await importCatalog("img_bad", csv, { item_id: "itemId", title: "title" });
    const ask = (v: Record<string, unknown>) =>
      stack.gql(
        `mutation ($v: ID!, $u: [ID!]!, $p: String) { importImages(input: { catalogVersionId: $v, uploadIds: $u, pathColumn: $p }) { id } }`,
        v,
      );
    const noUpload = await ask({ v: versionId, u: ["00000000-0000-4000-8000-000000000000"] });
    expect(noUpload.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^uploadIds\[0\]: unknown upload/),
    });
    const id = await upload("x1.png", await png(1));
    const badColumn = await ask({ v: versionId, u: [id], p: "picture" });
    expect(badColumn.errors?.[0]?.message).toMatch(/^pathColumn: img_bad v1 has no column picture/);
    expect(badColumn.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("features.embedImages", () => {
  it("refuses without the model's files and names the path it looked at (no fallback)", async () => {
    const versionId = await importCatalog("img_nomodel", "item_id,title\nn1,one\n", {
      item_id: "itemId",
      title: "title",
    });
    const set = await importImages({ v: versionId, u: [await upload("n1.png", await png(1))] });
    const result = await stack.gql(
      `mutation ($s: ID!) { embedImages(imageSetId: $s, modelId: "acme/vision") { id } }`,
      {
        s: set.id,
      },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
    expect(result.errors?.[0]?.message).toContain(
      path.join(dir, "models-empty", "acme/vision", "config.json"),
    );
    expect(await stack.deps.db.embeddingSet.count({ where: { modality: "image" } })).toBe(0);
  });

  it.skipIf(!fixturesPresent)(
    `embeds the fashion sample with ${MODEL_ID}, resumes after a kill, and finds look-alikes (skipped when ../shared fixtures are missing)`,
    async () => {
      const lines = (await readFile(path.join(SAMPLE_DIR, "catalog.csv"), "utf8")).trim().split("\n");
      // 12 items of each of the 10 classes in file order: 120 pictures, four batches of 32.
      const perClass = new Map<string, number>();
      const rows = lines.slice(1).filter((line) => {
        const category = line.split(",")[2]!;
        perClass.set(category, (perClass.get(category) ?? 0) + 1);
        return perClass.get(category)! <= 12;
      });
      const classOf = new Map(rows.map((line) => [line.split(",")[0]!, line.split(",")[2]!]));
      const versionId = await importCatalog("fashion", [lines[0], ...rows].join("\n"), {
        item_id: "itemId",
        title: "title",
        category: "category",
        price: "price",
      });
      const archive = buildZip(
        await Promise.all(
          rows.map(async (line) => {
            const relative = line.split(",")[4]!;
            return { name: `fashion/${relative}`, bytes: await readFile(path.join(SAMPLE_DIR, relative)) };
          }),
        ),
      );
      const imageSet = await importImages({
        v: versionId,
        u: [await upload("fashion.zip", archive)],
        p: "image",
      });
      expect(imageSet).toMatchObject({ count: 120, rejectedCount: 0 });

      const modelDeps = createDeps(readEnv({ ...stack.env, MODELS_DIR: SHARED_MODELS_DIR }));
      const embedding = await modelDeps.db.embeddingSet.create({
        data: {
          sourceVersionId: versionId,
          modelId: MODEL_ID,
          modelVersion: "",
          backend: "pending",
          dimension: 0,
          template: "{image}",
          modality: "image",
          imageSetId: imageSet.id,
        },
      });
      let checkpoints = 0;
      const progress: number[] = [];
      const ctx = (stopAt: number): TJobContext => ({
        jobRecordId: "00000000-0000-0000-0000-000000000000",
        attempt: 1,
        progress: async (percent) => {
          progress.push(percent);
        },
        checkpoint: async () => {
          checkpoints += 1;
          if (checkpoints === stopAt) throw new Error("worker killed");
        },
      });
      try {
        await expect(executeImageEmbeddingRun(modelDeps, embedding.id, ctx(2))).rejects.toThrow(
          "worker killed",
        );
        const location = embeddingDir(modelDeps.env.ARTIFACTS_DIR, embedding.id);
        const saved = JSON.parse(await readFile(path.join(location, "checkpoint.json"), "utf8"));
        expect(saved).toMatchObject({ rows: 64, lastLine: 63, dimension: 64 });
        // A batch written after the last checkpoint must be dropped on resume.
        await appendFile(path.join(location, "vectors.f32.partial"), new Uint8Array(32 * 64 * 4));
        checkpoints = 0;
        progress.length = 0;
        const result = await executeImageEmbeddingRun(modelDeps, embedding.id, ctx(-1));
        expect(result).toEqual({ count: 120, dimension: 64, resumedAt: 64 });
        expect((await stat(path.join(location, "vectors.f32"))).size).toBe(120 * 64 * 4);
        expect(progress.at(-1)).toBe(100);
      } finally {
        await modelDeps.close();
      }

      const lineage = await stack.deps.db.lineageNode.findUnique({
        where: { type_refId: { type: "EMBEDDING_SET", refId: embedding.id } },
        include: { inEdges: { include: { from: true } } },
      });
      expect(lineage?.inEdges.map((edge) => edge.from.type)).toEqual(["IMAGE_SET"]);

      const similar = await stack.gql<{
        similarItemsBy: {
          setId: string;
          madeBy: string;
          items: { itemId: string; thumbnail: string | null }[];
        };
      }>(
        `query ($item: String!) { similarItemsBy(itemId: $item, by: IMAGE, first: 5) { setId madeBy items { itemId score title thumbnail } } }`,
        { item: rows.find((line) => line.includes(",Sneaker,"))!.split(",")[0] },
      );
      expect(similar.errors).toBeUndefined();
      const answer = similar.data!.similarItemsBy;
      expect(answer.setId).toBe(embedding.id);
      expect(answer.madeBy).toMatch(/^shop-image-resnet-tiny@sha256:/);
      const sameClass = answer.items.filter((item) =>
        ["Sneaker", "Sandal", "Ankle boot"].includes(classOf.get(item.itemId)!),
      );
      expect(sameClass.length).toBeGreaterThanOrEqual(4);
      expect(answer.items.every((item) => item.thumbnail?.startsWith("data:image/webp;base64,"))).toBe(true);

      // Fusion with an image block, next to the text embeddings (the lexical fallback in this stack).
      const text = await stack.gql<{ embedCatalog: { id: string } }>(
        `mutation ($v: ID!) { embedCatalog(input: { versionId: $v, template: "{title}" }) { id } }`,
        { v: versionId },
      );
      const textJob = await waitForJob(stack.deps, text.data!.embedCatalog.id, "text embedding");
      const textSetId = (textJob.outputIds as string[])[0]!;
      const wrongSlot = await stack.gql(
        `mutation ($r: JSON!) { buildFeatureSet(name: "bad", recipe: $r) { id } }`,
        {
          r: { catalogVersionId: versionId, imageEmbeddingSetId: textSetId },
        },
      );
      expect(wrongSlot.errors?.[0]?.message).toMatch(
        /^recipe.imageEmbeddingSetId: embedding set .* holds text embeddings, not image/,
      );
      const fuse = await stack.gql<{ buildFeatureSet: { id: string } }>(
        `mutation ($r: JSON!) { buildFeatureSet(name: "fashion_fused", recipe: $r) { id } }`,
        {
          r: {
            catalogVersionId: versionId,
            embeddingSetId: textSetId,
            imageEmbeddingSetId: embedding.id,
            weights: { text: 1, image: 1, category: 0, attributes: 0, numeric: 0 },
          },
        },
      );
      expect(fuse.errors).toBeUndefined();
      const fuseJob = await waitForJob(stack.deps, fuse.data!.buildFeatureSet.id, "fusion");
      expect(fuseJob.status).toBe("COMPLETED");
      const featureSet = await stack.deps.db.featureSet.findUniqueOrThrow({
        where: { id: (fuseJob.outputIds as string[])[0]! },
      });
      expect((featureSet.recipe as { blocks: { name: string }[] }).blocks.map((b) => b.name)).toEqual([
        "text",
        "image",
      ]);
      for (const by of ["TEXT", "FUSED"]) {
        const neighbours = await stack.gql<{
          similarItemsBy: { setId: string; items: { itemId: string }[] };
        }>(
          `query ($item: String!, $by: SimilarityBasis!) { similarItemsBy(itemId: $item, by: $by, first: 3) { setId items { itemId } } }`,
          { item: rows[0]!.split(",")[0], by },
        );
        expect(neighbours.errors).toBeUndefined();
        expect(neighbours.data!.similarItemsBy.setId).toBe(by === "TEXT" ? textSetId : featureSet.id);
        expect(neighbours.data!.similarItemsBy.items).toHaveLength(3);
      }
      const mismatch = await stack.gql(
        `query ($s: ID!) { similarItemsBy(itemId: "x", by: IMAGE, setId: $s) { setId } }`,
        { s: textSetId },
      );
      expect(mismatch.errors?.[0]?.message).toMatch(
        /^setId: embedding set .* holds text embeddings, not image/,
      );
    },
  );
});
