import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { createVersionWithJob } from "../datasets/datasets.service.ts";
import { readUsableVersion } from "../datasets/usable-version.service.ts";
import { compileTemplate, ZTemplateColumn } from "../features/embedding-template.ts";
import { defaultAttributeTemplate } from "./attribute-columns.ts";
import { extractAttributesJob } from "./attributes.jobs.ts";

const MAX_BRANDS = 10_000;

/**
 * Starts attribute extraction over a READY catalogue version: a new version of the same dataset
 * (parent = the source) is created PENDING and the features.attributes job fills it.
 */
export const extractAttributes = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { versionId: string; template?: string | null; brands?: string[] | null },
) => {
  const {
    version: parent,
    label,
    columns,
  } = await readUsableVersion(deps, input.versionId, { column: ZTemplateColumn, field: "versionId" });
  if (columns.some((c) => c.name.startsWith("extracted_"))) {
    throw new AppError("CONFLICT", `${label} already has extracted attribute columns`, {
      field: "versionId",
    });
  }
  const template = input.template ?? defaultAttributeTemplate(columns.map((c) => c.role));
  if (template === null) {
    throw new AppError(
      "BAD_USER_INPUT",
      `template: ${label} has no title or description role; name the text columns`,
      {
        field: "template",
      },
    );
  }
  const compiled = compileTemplate(template, columns);
  if (!compiled.ok) throw new AppError("BAD_USER_INPUT", compiled.message, { field: "template" });
  const brands = input.brands ?? [];
  if (brands.length > MAX_BRANDS || brands.some((b) => b.trim() === "" || b.length > 100)) {
    throw new AppError(
      "BAD_USER_INPUT",
      `brands: at most ${MAX_BRANDS} non-empty names of up to 100 characters`,
      {
        field: "brands",
      },
    );
  }
  const { job } = await createVersionWithJob(
    deps,
    parent.datasetId,
    {
      source: { kind: "attribute-extraction", parentVersionId: parent.id, template, brands },
      parentId: parent.id,
      actor,
      audit: { action: "features.attributes", details: { parentVersionId: parent.id, template } },
    },
    { definition: extractAttributesJob, payload: (versionId) => ({ versionId }) },
  );
  return job;
};
