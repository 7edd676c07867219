// Where the shared test model lives. It is read in place (never copied into the repo); suites that
// need it skip with a message when it is missing.

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const SHARED_MODELS_DIR = path.resolve(REPO_ROOT, "../shared/models");
export const SHARED_MODEL_ID = "retail-static-64d";
export const sharedModelPresent = existsSync(path.join(SHARED_MODELS_DIR, SHARED_MODEL_ID, "config.json"));

if (!sharedModelPresent) {
  process.stderr.write(
    `[embedder tests] skipping real-model tests: ${path.join(SHARED_MODELS_DIR, SHARED_MODEL_ID)} is missing\n`,
  );
}
