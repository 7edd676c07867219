import { writeDemoShop } from "@dam/demo-shop/write-files";
import type { TDeps } from "../deps.ts";
import { logger } from "../logger.ts";
import { createFileImport } from "../modules/datasets/datasets.service.ts";

// Column roles bind the generator's columns to the fields the ML pipeline reads.
type TDemoDataset = {
  name: string;
  file: "products" | "users" | "events";
  kind: "CATALOG" | "USERS" | "EVENTS";
  description: string;
  tags: string[];
  roles: Record<string, string>;
};

const DEMO_DATASETS: TDemoDataset[] = [
  {
    name: "demo_products",
    file: "products",
    kind: "CATALOG",
    description: "Demo shop catalogue: products with titles, descriptions, categories, brands and prices.",
    tags: ["demo", "catalog"],
    roles: {
      item_id: "itemId",
      title: "title",
      description: "description",
      category: "category",
      brand: "brand",
      price: "price",
      image_url: "imageUrl",
    },
  },
  {
    name: "demo_users",
    file: "users",
    kind: "USERS",
    description: "Demo shop customers.",
    tags: ["demo", "users"],
    roles: { user_id: "userId" },
  },
  {
    name: "demo_events",
    file: "events",
    kind: "EVENTS",
    description: "Demo shop behaviour over 90 days: views, clicks, favourites, carts and purchases.",
    tags: ["demo", "events"],
    roles: {
      event_id: "eventId",
      user_id: "userId",
      item_id: "itemId",
      event_type: "eventType",
      timestamp: "timestamp",
      session_id: "sessionId",
      quantity: "quantity",
      price: "price",
    },
  },
];

/**
 * On an empty platform, generates the seeded demo shop into `dir` and imports it through the normal
 * ingest path (jobs on the ingest queue), so a new install shows real pipeline output, not fixtures.
 */
export const loadDemoShopIfEmpty = async (deps: TDeps, dir: string): Promise<{ loaded: boolean }> => {
  if ((await deps.db.dataset.count()) > 0) return { loaded: false };
  const { files } = await writeDemoShop(dir);
  for (const dataset of DEMO_DATASETS) {
    const { job } = await createFileImport(deps, null, {
      name: dataset.name,
      kind: dataset.kind,
      description: dataset.description,
      tags: dataset.tags,
      source: { paths: [files[dataset.file]], format: "csv", roles: dataset.roles, types: {} },
    });
    logger.info("demo dataset queued", { dataset: dataset.name, jobId: job.id });
  }
  return { loaded: true };
};
