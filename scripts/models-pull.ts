// `npm run models:pull -- <model id> [<model id>...]`: downloads transformers.js models into MODELS_DIR
// (default ./.data/models) where there is network, so workers can load them offline afterwards.
import path from "node:path";
import { pullModel } from "@dam/embedder/pull-model";

const main = async (): Promise<number> => {
  const modelIds = process.argv.slice(2);
  if (modelIds.length === 0) {
    process.stderr.write("usage: npm run models:pull -- <model id> (e.g. Xenova/all-MiniLM-L6-v2)\n");
    return 2;
  }
  const modelsDir = path.resolve(process.env.MODELS_DIR ?? ".data/models");
  for (const modelId of modelIds) {
    process.stderr.write(`pulling ${modelId} into ${modelsDir}...\n`);
    const pulled = await pullModel(modelId, modelsDir);
    process.stdout.write(`${JSON.stringify(pulled)}\n`);
  }
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`models:pull: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
