import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit, recordAuditSql } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import {
  findLabelProjectById,
  findLabelProjectByName,
  findLabelSchemaById,
  findLabelSchemaByName,
  insertLabelSchema,
} from "./label-records.repository.ts";
import { checkSchemaOptions, type TLabelOption, type TLabelSchemaType } from "./label-value.ts";
import type { TLabelProjectModel, TLabelSchemaModel } from "./labelling.mappers.ts";
import {
  insertLabelProject,
  insertTasksFromJson,
  insertTasksFromTable,
  upsertKeyUser,
  withTransaction,
} from "./labelling.repository.ts";
import {
  generateRelevancePayloads,
  generateVerificationPayloads,
  ZRelevanceTasksInput,
  ZVerificationTasksInput,
} from "./labelling-generate.service.ts";

const NAME = /^[A-Za-z][A-Za-z0-9_.\- ]{0,99}$/;
const MAX_JSON_TASKS = 10_000;
const MAX_SOURCE_TASKS = 100_000;

export type TCreateLabelSchemaInput = {
  name: string;
  type: TLabelSchemaType;
  options?: TLabelOption[] | null;
  instructions?: string | null;
};

export const ZCreateLabelProjectInput = z
  .object({
    name: z.string().trim().regex(NAME, "letters, digits, _ . - and spaces (1-100), starting with a letter"),
    schemaId: z.string().uuid(),
    overlap: z.number().int().min(1).max(20).default(1),
    leaseSeconds: z.number().int().min(1).max(86_400).default(600),
    tasks: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_JSON_TASKS).nullish(),
    source: z
      .object({
        versionId: z.string().uuid(),
        columns: z.array(z.string().min(1)).min(1),
        limit: z.number().int().min(1).max(MAX_SOURCE_TASKS),
      })
      .nullish(),
    relevance: ZRelevanceTasksInput.nullish(),
    verification: ZVerificationTasksInput.nullish(),
    visiblePayloadFields: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  })
  .refine(
    (input) => [input.tasks, input.source, input.relevance, input.verification].filter(Boolean).length === 1,
    { message: "give exactly one of tasks, source, relevance or verification", path: ["tasks"] },
  );
export type TCreateLabelProjectInput = z.input<typeof ZCreateLabelProjectInput>;

// Labels reference User. A key bound to a user labels as that user; a key without one labels as a user
// record of its own (email key-<keyId>@api-keys.dam.invalid), so each key is one labeller.
const keyUsers = new Map<string, string>();
export const resolveLabellerId = async (
  deps: TDeps,
  principal: Pick<TPrincipal, "keyId" | "userId" | "name" | "role">,
): Promise<string> => {
  if (principal.userId) return principal.userId;
  const cached = keyUsers.get(principal.keyId);
  if (cached) return cached;
  const userId = await upsertKeyUser(deps.pool, principal);
  keyUsers.set(principal.keyId, userId);
  return userId;
};

export const createLabelSchema = async (
  deps: TDeps,
  actor: TPrincipal,
  input: TCreateLabelSchemaInput,
): Promise<TLabelSchemaModel> => {
  const name = input.name.trim();
  if (!NAME.test(name)) {
    throw new AppError("BAD_USER_INPUT", "name: letters, digits, _ . - and spaces (1-100)", {
      field: "name",
    });
  }
  const options = checkSchemaOptions(input.type, input.options ?? []);
  if (await findLabelSchemaByName(deps, name)) {
    throw new AppError("CONFLICT", `A label schema named ${name} already exists`, { field: "name" });
  }
  const schema = await inAuditedTransaction(deps.db, async (tx) => {
    const created = await insertLabelSchema(tx, {
      name,
      type: input.type,
      options,
      instructions: input.instructions?.trim() ?? "",
    });
    await recordAudit(tx, actor, "labelSchema.create", "LabelSchema", created.id, {
      name,
      type: input.type,
    });
    return created;
  });
  return schema;
};

const sourceColumns = async (deps: TDeps, versionId: string, wanted: string[]) => {
  const version = await findVersionById(deps, versionId);
  if (!version)
    throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`, { field: "source.versionId" });
  if (version.status !== "READY") {
    throw new AppError("PRECONDITION_FAILED", `Dataset version ${versionId} is ${version.status}, not READY`);
  }
  const known = new Set(
    z
      .array(z.object({ name: z.string() }).passthrough())
      .catch([])
      .parse(version.schema)
      .map((column) => column.name),
  );
  const missing = wanted.filter((column) => !known.has(column));
  if (missing.length > 0) {
    throw new AppError(
      "BAD_USER_INPUT",
      `source.columns: ${missing.join(", ")} not in the version's schema`,
      {
        field: "source.columns",
      },
    );
  }
  return {
    table: qualifiedTable(version.tableName),
    columns: wanted.map((name) => ({ name, quoted: quoteIdent(name) })),
  };
};

/** Tasks generated from a catalogue (relevance pairs, items to verify), checked against the schema type. */
const generateTasks = async (
  deps: TDeps,
  schemaType: string,
  input: z.output<typeof ZCreateLabelProjectInput>,
): Promise<{ kind: string; payloads: Record<string, unknown>[]; queries?: string[] } | null> => {
  if (input.relevance) {
    if (schemaType !== "RELEVANCE") {
      throw new AppError("BAD_USER_INPUT", `relevance: needs a RELEVANCE schema, not ${schemaType}`, {
        field: "schemaId",
      });
    }
    return { kind: "relevance", ...(await generateRelevancePayloads(deps, input.relevance)) };
  }
  if (input.verification) {
    if (schemaType !== "ATTRIBUTE_CORRECTION" && schemaType !== "SINGLE_CHOICE") {
      throw new AppError(
        "BAD_USER_INPUT",
        `verification: needs an ATTRIBUTE_CORRECTION or SINGLE_CHOICE schema, not ${schemaType}`,
        { field: "schemaId" },
      );
    }
    return { kind: "verification", ...(await generateVerificationPayloads(deps, input.verification)) };
  }
  return null;
};

export const createLabelProject = async (
  deps: TDeps,
  actor: TPrincipal,
  raw: TCreateLabelProjectInput,
): Promise<TLabelProjectModel> => {
  const parsed = ZCreateLabelProjectInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") ?? "input";
    throw new AppError("BAD_USER_INPUT", `${field}: ${issue?.message ?? "invalid"}`, { field });
  }
  const input = parsed.data;
  const schema = await findLabelSchemaById(deps, input.schemaId);
  if (!schema)
    throw new AppError("NOT_FOUND", `Label schema ${input.schemaId} not found`, { field: "schemaId" });
  if (await findLabelProjectByName(deps, input.name)) {
    throw new AppError("CONFLICT", `A label project named ${input.name} already exists`, { field: "name" });
  }
  const source = input.source
    ? await sourceColumns(deps, input.source.versionId, input.source.columns)
    : null;
  const generated = await generateTasks(deps, schema.type, input);
  const sourceVersionId =
    input.source?.versionId ??
    input.relevance?.catalogVersionId ??
    input.verification?.catalogVersionId ??
    null;
  const { projectId } = await withTransaction(deps.pool, async (client) => {
    const id = await insertLabelProject(client, {
      name: input.name,
      schemaId: schema.id,
      sourceVersionId,
      overlap: input.overlap,
      leaseSeconds: input.leaseSeconds,
      visiblePayloadFields: input.visiblePayloadFields,
    });
    const count =
      source && input.source
        ? await insertTasksFromTable(client, {
            projectId: id,
            table: source.table,
            columns: source.columns,
            lineColumn: quoteIdent(LINE_COLUMN),
            limit: input.source.limit,
          })
        : await insertTasksFromJson(client, id, generated?.payloads ?? input.tasks ?? []);
    await recordAuditSql(client, actor, {
      action: "labelProject.create",
      targetType: "LabelProject",
      targetId: id,
      details: {
        name: input.name,
        tasks: count,
        overlap: input.overlap,
        ...(input.visiblePayloadFields.length > 0
          ? { visiblePayloadFields: input.visiblePayloadFields }
          : {}),
        ...(generated ? { generated: generated.kind, sourceVersionId, queries: generated.queries } : {}),
      },
    });
    return { projectId: id, taskCount: count };
  });
  return getLabelProject(deps, projectId);
};

export const findLabelProject = async (deps: TDeps, id: string): Promise<TLabelProjectModel | null> =>
  findLabelProjectById(deps, id);

export const getLabelProject = async (deps: TDeps, id: string): Promise<TLabelProjectModel> => {
  const project = await findLabelProject(deps, id);
  if (!project) throw new AppError("NOT_FOUND", `Label project ${id} not found`, { field: "projectId" });
  return project;
};
