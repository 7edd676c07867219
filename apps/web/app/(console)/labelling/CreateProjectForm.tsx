"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import {
  type CatalogOption,
  CREATE_OPTIONS_QUERY,
  CREATE_PROJECT_MUTATION,
  CREATE_SCHEMA_MUTATION,
  type LabelProject,
  type LabelSchema,
} from "./queries";

/** The console's own: which kind of project the form builds (it picks the fitting schema types). */
type Kind = "relevance" | "verification";

const NEW_SCHEMA = "__new__";
const DEFAULT_INSTRUCTIONS: Record<Kind, string> = {
  relevance:
    "Would a shopper who typed the query be glad to see this item? 0 irrelevant, 1 marginal (related, not what was asked), 2 relevant, 3 highly relevant (exactly what was asked).",
  verification: "Is the suggested value right for this item? Accept it, or fix it with the right value.",
};
const SCHEMA_TYPE: Record<Kind, LabelSchema["type"][]> = {
  relevance: ["RELEVANCE"],
  verification: ["ATTRIBUTE_CORRECTION", "SINGLE_CHOICE"],
};

const intOf = (form: FormData, name: string): number | undefined => {
  const raw = String(form.get(name) ?? "").trim();
  return raw === "" ? undefined : Number(raw);
};

/** A number the API requires: a clear error naming the field when it is left empty. */
const requiredIntOf = (form: FormData, name: string, label: string): number => {
  const value = intOf(form, name);
  if (value === undefined) throw new Error(`${label}: give a number`);
  return value;
};

/** A steward's form: a project of generated tasks over a catalogue version (relevance pairs or items to verify). */
export function CreateProjectForm() {
  const router = useRouter();
  const [schemas, setSchemas] = useState<LabelSchema[]>([]);
  const [catalogs, setCatalogs] = useState<CatalogOption[]>([]);
  const [kind, setKind] = useState<Kind>("relevance");
  const [schemaId, setSchemaId] = useState<string>(NEW_SCHEMA);
  const [versionId, setVersionId] = useState<string>("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [created, setCreated] = useState<LabelProject | null>(null);

  useEffect(() => {
    clientGql(CREATE_OPTIONS_QUERY)
      .then((data) => {
        setSchemas(data.labelSchemas.edges.map((edge) => edge.node));
        const ready = data.datasets.edges
          .map((edge) => edge.node)
          .filter((c) => c.latestVersion?.status === "READY");
        setCatalogs(ready);
        setVersionId((current) => current || ready[0]?.latestVersion?.id || "");
      })
      .catch((e: unknown) => setError(toErrorInfo(e)));
  }, []);

  const fitting = schemas.filter((schema) => SCHEMA_TYPE[kind].includes(schema.type));
  const version = catalogs.find((catalog) => catalog.latestVersion?.id === versionId)?.latestVersion ?? null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      let useSchema = schemaId;
      if (useSchema === NEW_SCHEMA || !fitting.some((schema) => schema.id === useSchema)) {
        const made = await clientGql(CREATE_SCHEMA_MUTATION, {
          input: {
            name: String(form.get("schemaName") ?? "").trim(),
            type: kind === "relevance" ? "RELEVANCE" : "ATTRIBUTE_CORRECTION",
            instructions: String(form.get("instructions") ?? "").trim(),
          },
        });
        useSchema = made.createLabelSchema.id;
        setSchemas((list) => [made.createLabelSchema, ...list]);
        setSchemaId(useSchema);
      }
      const queries = String(form.get("queries") ?? "")
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
      const input = {
        name: String(form.get("name") ?? "").trim(),
        schemaId: useSchema,
        overlap: intOf(form, "overlap"),
        leaseSeconds: intOf(form, "leaseSeconds"),
        ...(kind === "relevance"
          ? {
              relevance: {
                catalogVersionId: versionId,
                ...(queries.length > 0 ? { queries } : {}),
                queryCount: intOf(form, "queryCount"),
                itemsPerQuery: intOf(form, "itemsPerQuery"),
                poolDepth: intOf(form, "poolDepth"),
                seed: intOf(form, "seed"),
              },
            }
          : {
              verification: {
                catalogVersionId: versionId,
                column: String(form.get("column") ?? ""),
                count: requiredIntOf(form, "count", "Items"),
                seed: intOf(form, "seed"),
              },
            }),
      };
      const { createLabelProject } = await clientGql(CREATE_PROJECT_MUTATION, {
        input,
      });
      setCreated(createLabelProject);
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel" open>
      <summary className="strong">New project</summary>
      <form className="form-stack" onSubmit={onSubmit} data-testid="create-project-form">
        <div className="form-grid">
          <label>
            Name
            <input name="name" type="text" required placeholder="e.g. search relevance, November" />
          </label>
          <label>
            Tasks
            <select value={kind} onChange={(event) => setKind(event.target.value as Kind)} name="kind">
              <option value="relevance">Relevance of (query, item) pairs from search</option>
              <option value="verification">Verify an attribute (pre-filled suggestion)</option>
            </select>
          </label>
          <label>
            Catalogue version
            <select
              name="catalogVersionId"
              value={versionId}
              onChange={(event) => setVersionId(event.target.value)}
              required
            >
              {catalogs.length === 0 ? <option value="">No READY catalogue yet</option> : null}
              {catalogs.map((catalog) => (
                <option key={catalog.id} value={catalog.latestVersion?.id}>
                  {catalog.name} v{catalog.latestVersion?.number}
                </option>
              ))}
            </select>
          </label>
          <label>
            Schema
            <select value={schemaId} onChange={(event) => setSchemaId(event.target.value)} name="schemaId">
              <option value={NEW_SCHEMA}>
                New {kind === "relevance" ? "RELEVANCE" : "ATTRIBUTE_CORRECTION"} schema…
              </option>
              {fitting.map((schema) => (
                <option key={schema.id} value={schema.id}>
                  {schema.name} ({schema.type})
                </option>
              ))}
            </select>
          </label>
          {schemaId === NEW_SCHEMA ? (
            <>
              <label>
                Schema name
                <input name="schemaName" type="text" required placeholder="e.g. relevance 0-3" />
              </label>
              <label>
                Instructions shown with each task
                <textarea name="instructions" rows={3} defaultValue={DEFAULT_INSTRUCTIONS[kind]} key={kind} />
              </label>
            </>
          ) : null}
          <label>
            Labellers per task (overlap)
            <input name="overlap" type="number" min={1} max={20} defaultValue={2} />
          </label>
          <label>
            Lease (seconds)
            <input name="leaseSeconds" type="number" min={1} max={86400} defaultValue={600} />
          </label>
          {kind === "relevance" ? (
            <>
              <label>
                Queries, one per line (empty: sampled from the catalogue's title word pairs)
                <textarea name="queries" rows={3} />
              </label>
              <label>
                Queries to sample
                <input name="queryCount" type="number" min={1} max={200} defaultValue={5} />
              </label>
              <label>
                Items per query
                <input name="itemsPerQuery" type="number" min={1} max={50} defaultValue={4} />
              </label>
              <label>
                Sampled from the top … hits
                <input name="poolDepth" type="number" min={1} max={200} defaultValue={20} />
              </label>
            </>
          ) : (
            <>
              <label>
                Column to verify
                <select name="column">
                  {(version?.columns ?? []).map((column) => (
                    <option key={column.name} value={column.name}>
                      {column.name}
                      {column.role ? ` (${column.role})` : ""}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Items
                <input name="count" type="number" min={1} max={10000} defaultValue={50} />
              </label>
            </>
          )}
          <label>
            Seed
            <input name="seed" type="number" defaultValue={1} />
          </label>
        </div>
        <div className="toolbar">
          <button type="submit" className="button primary" disabled={busy || !versionId}>
            {busy ? "Creating…" : "Create project"}
          </button>
          {created ? (
            <span data-testid="project-created">
              Created {created.name} with {created.progress.tasks} tasks
            </span>
          ) : null}
        </div>
        {error ? <ErrorBox error={error} /> : null}
      </form>
    </details>
  );
}
