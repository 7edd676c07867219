// Dataset versions as the other areas read and write them. The datasets area owns the table: an area that
// makes a derived version (attributes, audience and segment exports, label exports, cleaning) reads it
// here and moves it through LOADING -> READY | FAILED with `updateVersion`.
import type { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import {
  findVersionById as findVersionRow,
  findVersionWithDataset as findVersionRowWithDataset,
  updateVersionRow,
} from "./datasets.repository.ts";

export const findVersionById = (deps: Pick<TDeps, "db">, id: string) => findVersionRow(deps.db, id);

export const findVersionWithDataset = (deps: Pick<TDeps, "db">, id: string) =>
  findVersionRowWithDataset(deps.db, id);

/** Writes a version's status, counts or schema; answers the version with its dataset. */
export const updateVersion = (deps: Pick<TDeps, "db">, id: string, data: Prisma.DatasetVersionUpdateInput) =>
  updateVersionRow(deps.db, id, data);
