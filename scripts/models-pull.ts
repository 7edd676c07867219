// `npm run models:pull -- <model id> [<model id>...] [--image <model id>...]`: downloads transformers.js
// models into MODELS_DIR (default ./.data/models) where there is network, so workers can load them
// offline afterwards. Ids after --image are image models (image-feature-extraction: CLIP, ViT, ResNet).
import path from "node:path";
import { pullModel } from "@dam/embedder/pull-model";

const main = async (): Promise<number> => {
  const args = process.argv.slice(2);
  const imageAt = args.indexOf("--image");
  const models = args.flatMap((modelId, i) =>
    modelId === "--image"
      ? []
      : [{ modelId, kind: imageAt >= 0 && i > imageAt ? ("image" as const) : ("text" as const) }],
  );
  if (models.length === 0) {
    process.stderr.write(
      "usage: npm run models:pull -- <text model id>... [--image <image model id>...]\n" +
        "  e.g. npm run models:pull -- Xenova/all-MiniLM-L6-v2 --image Xenova/clip-vit-base-patch32\n",
    );
    return 2;
  }
  const modelsDir = path.resolve(process.env.MODELS_DIR ?? ".data/models");
  for (const { modelId, kind } of models) {
    process.stderr.write(`pulling ${kind} model ${modelId} into ${modelsDir}...\n`);
    const pulled = await pullModel(modelId, modelsDir, { kind });
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
