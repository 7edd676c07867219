// A model version for embeddings made by a local transformers.js model: a SHA-256 over the files that
// decide its output (config, tokenizer files) plus the name and size of every ONNX file. Hashing the
// ONNX bytes too would be exact but reads up to hundreds of MB on every load; a re-exported or
// re-quantised graph changes its size (and usually its config), which is what we need to notice.

import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

const HASHED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];
const VERSION_HEX_CHARS = 16;

const readIfPresent = async (file: string): Promise<Buffer | null> => {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
};

/** "sha256:<16 hex>" over the model folder's config, tokenizer and ONNX file sizes. */
export const computeModelVersion = async (modelDir: string): Promise<string> => {
  const hash = createHash("sha256");
  for (const name of HASHED_FILES) {
    const bytes = await readIfPresent(path.join(modelDir, name));
    hash.update(`${name}:${bytes === null ? "absent" : bytes.length}\n`);
    if (bytes !== null) hash.update(bytes);
  }
  const onnxDir = path.join(modelDir, "onnx");
  const onnxFiles = (await readdir(onnxDir).catch(() => [] as string[])).sort();
  for (const name of onnxFiles) {
    const { size } = await stat(path.join(onnxDir, name));
    hash.update(`onnx/${name}:${size}\n`);
  }
  return `sha256:${hash.digest("hex").slice(0, VERSION_HEX_CHARS)}`;
};
