// Where the embedding benchmarks' job path writes: as the embedding jobs do, a partial artifact and
// its batch appender, in a directory of its own for each repeat so no repeat resumes another.
import path from "node:path";
import {
  openBatchAppender,
  openPartialArtifact,
  type TBatchAppender,
} from "../apps/api/src/modules/features/embedding-artifact.ts";

export const openRepeatAppender = async (
  scratch: string,
  repeat: number,
  model: { modelVersion: string; dimension: number },
): Promise<TBatchAppender> => {
  const dir = path.join(scratch, `run-${repeat}`);
  return openBatchAppender(
    dir,
    await openPartialArtifact(dir, { modelVersion: model.modelVersion, dimension: model.dimension }),
  );
};
