import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { migrateDatabase } from "@dam/db/migrate";
import { loadDemoShopIfEmpty } from "./demo/demo.service.ts";
import { createDeps } from "./deps.ts";
import type { TEnv } from "./env.ts";
import { generateApiKey } from "./modules/auth/api-key.ts";
import { ensureBootstrapAdminKey } from "./modules/auth/auth.service.ts";

export type TBootstrapResult = {
  adminToken: string;
  adminTokenCreated: boolean;
  appliedMigrations: string[];
};

/**
 * Prepares an install before its processes start: migrations, the admin key, the demo shop. Without
 * DAM_ADMIN_TOKEN, a key is generated on the first start, printed once and kept (mode 600) in the data
 * directory so later starts of the same install reuse it.
 */
export const bootstrapInstall = async (
  env: TEnv,
  options: { dataDir: string; loadDemo: boolean; log: (line: string) => void },
): Promise<TBootstrapResult> => {
  const { applied } = await migrateDatabase(env.DATABASE_URL, { log: options.log });
  const tokenFile = path.join(options.dataDir, "admin-token");
  let adminToken = env.DAM_ADMIN_TOKEN;
  let adminTokenCreated = false;
  if (!adminToken) {
    if (existsSync(tokenFile)) adminToken = (await readFile(tokenFile, "utf8")).trim();
    else {
      adminToken = generateApiKey();
      adminTokenCreated = true;
      await mkdir(options.dataDir, { recursive: true });
      await writeFile(tokenFile, `${adminToken}\n`, { mode: 0o600 });
      await chmod(tokenFile, 0o600);
    }
  }
  const deps = createDeps(env);
  try {
    await ensureBootstrapAdminKey(deps.db, adminToken);
    if (options.loadDemo) {
      const { loaded } = await loadDemoShopIfEmpty(deps, path.join(options.dataDir, "demo"));
      if (loaded) options.log("demo shop generated; its import jobs are queued");
    }
  } finally {
    await deps.close();
  }
  return { adminToken, adminTokenCreated, appliedMigrations: applied };
};
