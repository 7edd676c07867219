import {
  createFileImport,
  type TCreateFileImportInput,
} from "../../src/modules/datasets/datasets.service.ts";
import type { TTestStack } from "./test-stack.ts";
import { waitFor } from "./wait-for.ts";

const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];

/**
 * Imports files through the real ingest path and waits until the job ends (a worker on the ingest
 * queue must be running). Returns the job and the version as they ended, READY or not.
 */
export const importAndWait = async (stack: TTestStack, input: TCreateFileImportInput, timeoutMs = 60_000) => {
  const { dataset, version, job } = await createFileImport(stack.deps, null, input);
  const finished = await waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: job.id } });
      return row && TERMINAL.includes(row.status) ? row : undefined;
    },
    { timeoutMs, what: `the import of ${input.name}` },
  );
  const loaded = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
  return { dataset, version: loaded, job: finished };
};

/** Imports a demo-shop products file as a CATALOG dataset (`shop_products`) with its usual roles. */
export const importShopCatalog = (stack: TTestStack, productsFile: string) =>
  importAndWait(stack, {
    name: "shop_products",
    kind: "CATALOG",
    source: {
      paths: [productsFile],
      format: "csv",
      roles: { item_id: "itemId", title: "title", category: "category", price: "price" },
      types: {},
    },
  });
