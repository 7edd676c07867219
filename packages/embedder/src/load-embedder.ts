// The embedder a job should use: the configured transformers.js model when its weights are present,
// otherwise the lexical fallback fitted on the job's corpus. The reason for a fallback is returned so
// the caller records it on the embedding set and in lineage; it is never swallowed.

import { describeError } from "./embedder-errors.ts";
import type { TEmbedder } from "./embedder-types.ts";
import { createLexicalEmbedder, type TLexicalOptions } from "./lexical-embedder.ts";
import { createTransformersEmbedder } from "./transformers-embedder.ts";

export type TLoadEmbedderOptions = {
  /** Unset when no models directory is configured: the lexical embedder is used, with that reason. */
  modelsDir?: string;
  modelId: string;
  /** Texts the lexical fallback fits its IDF on (e.g. the catalogue's titles + descriptions). */
  corpus: readonly string[];
  batchSize?: number;
  allowRemote?: boolean;
  lexical?: TLexicalOptions;
};

export type TLoadedEmbedder = {
  embedder: TEmbedder;
  /** null when the transformers model was loaded; otherwise why the lexical embedder was used. */
  fallbackReason: string | null;
};

export const loadEmbedder = async (options: TLoadEmbedderOptions): Promise<TLoadedEmbedder> => {
  let reason: string;
  if (options.modelsDir === undefined || options.modelsDir === "") {
    reason = `no models directory configured for model "${options.modelId}"`;
  } else {
    try {
      const embedder = await createTransformersEmbedder({
        modelsDir: options.modelsDir,
        modelId: options.modelId,
        batchSize: options.batchSize,
        allowRemote: options.allowRemote,
      });
      return { embedder, fallbackReason: null };
    } catch (error) {
      reason = describeError(error);
    }
  }
  const embedder = createLexicalEmbedder(options.corpus, options.lexical);
  return {
    embedder,
    fallbackReason: `${reason}; using the lexical embedder ${embedder.modelId}@${embedder.modelVersion}`,
  };
};
