import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { finished } from "node:stream/promises";
import { csvChunks, EVENT_COLUMNS, PRODUCT_COLUMNS, USER_COLUMNS } from "./csv.ts";
import { generateDemoShop } from "./generate.ts";
import type { DemoShopOptions, GroundTruth } from "./types.ts";

export type DemoShopFiles = { products: string; users: string; events: string; truth: string };

/** Stream chunks with back-pressure, so ~30 MB of events never sits in memory as one string. */
async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  try {
    for (const chunk of chunks) {
      // once() also rejects on "error" and removes its listeners afterwards.
      if (!out.write(chunk)) await once(out, "drain");
    }
  } finally {
    out.end();
    await finished(out);
  }
}

/** Generate the shop and write products.csv, users.csv, events.csv and ground-truth.json into `dir`. */
export async function writeDemoShop(
  dir: string,
  options?: DemoShopOptions,
): Promise<{ files: DemoShopFiles; truth: GroundTruth }> {
  const shop = generateDemoShop(options);
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const files: DemoShopFiles = {
    products: join(root, "products.csv"),
    users: join(root, "users.csv"),
    events: join(root, "events.csv"),
    truth: join(root, "ground-truth.json"),
  };
  await writeChunks(files.products, csvChunks(shop.products, PRODUCT_COLUMNS));
  await writeChunks(files.users, csvChunks(shop.users, USER_COLUMNS));
  await writeChunks(files.events, csvChunks(shop.events, EVENT_COLUMNS));
  await writeFile(files.truth, `${JSON.stringify(shop.truth, null, 2)}\n`, "utf8");
  return { files, truth: shop.truth };
}
