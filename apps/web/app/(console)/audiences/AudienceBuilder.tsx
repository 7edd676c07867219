"use client";

import { useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { SelectField } from "@/components/SelectField";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { AudienceResult } from "./AudienceResult";
import { ExportPanel } from "./ExportPanel";
import {
  type Audience,
  ITEMS_AUDIENCE_QUERY,
  type ItemsAudienceInput,
  LOOKALIKE_AUDIENCE_QUERY,
  type LookalikeAudienceInput,
  type ModelOption,
  type SegmentOption,
} from "./queries";

/** The console's own: which kind of audience the builder asks for, and the request it sends. */
type Mode = "items" | "lookalike";
export type AudienceRequest =
  | { mode: "items"; input: ItemsAudienceInput; label: string }
  | { mode: "lookalike"; input: LookalikeAudienceInput; label: string };

// The API's own limits (audience-ranking.service.ts): checked here too so a typo is caught before a call.
const MAX_SIZE = 100_000;
const MAX_ITEMS = 10_000;

/** Ids from pasted or uploaded text: one per line, or the first column of a CSV; blanks and repeats dropped. */
export const parseIdList = (text: string): string[] => {
  const ids = text
    .split(/\r?\n/)
    .flatMap((line) => line.split(/[,;\t]/).slice(0, 1))
    .map((id) => id.trim().replace(/^"(.*)"$/, "$1"))
    .filter((id) => id !== "");
  // A header row such as "user_id" is not a user.
  if (ids.length > 0 && /^(user_?id|user|id|item_?id)$/i.test(ids[0]!)) ids.shift();
  return [...new Set(ids)];
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60);

export function AudienceBuilder({ models, segments }: { models: ModelOption[]; segments: SegmentOption[] }) {
  const [mode, setMode] = useState<Mode>(models.length > 0 ? "items" : "lookalike");
  const [modelName, setModelName] = useState(models[0]?.name ?? "");
  const model = models.find((m) => m.name === modelName) ?? models[0];
  const [targetKind, setTargetKind] = useState<"category" | "items">("category");
  const [category, setCategory] = useState(model?.categories[0] ?? "");
  const [itemText, setItemText] = useState("");
  const [recentDays, setRecentDays] = useState(30);
  const [seedKind, setSeedKind] = useState<"segment" | "list">(segments.length > 0 ? "segment" : "list");
  const [segmentId, setSegmentId] = useState(segments[0]?.id ?? "");
  const [userText, setUserText] = useState("");
  const [listName, setListName] = useState<string | null>(null);
  const [size, setSize] = useState(500);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [result, setResult] = useState<{ request: AudienceRequest; audience: Audience } | null>(null);

  const userIds = parseIdList(userText);
  const itemIds = parseIdList(itemText);

  const buildRequest = (): AudienceRequest | string => {
    if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)
      return `Size: a whole number of users from 1 to ${MAX_SIZE.toLocaleString("en")}.`;
    if (mode === "items") {
      if (!model) return "No ACTIVE model is loaded: train and promote one first.";
      if (targetKind === "category") {
        if (!category) return "Choose a category.";
        return {
          mode,
          input: { target: { category }, size, model: model.name, recentDays },
          label: `interest in ${category}`,
        };
      }
      if (itemIds.length === 0) return "Items: give at least one item id (one per line).";
      if (itemIds.length > MAX_ITEMS) return `Items: at most ${MAX_ITEMS.toLocaleString("en")} ids.`;
      return {
        mode,
        input: { target: { itemIds }, size, model: model.name, recentDays },
        label: `interest in ${itemIds.length} item${itemIds.length === 1 ? "" : "s"}`,
      };
    }
    if (seedKind === "segment") {
      const segment = segments.find((s) => s.id === segmentId);
      if (!segment) return "Choose a seed segment.";
      return { mode, input: { segmentId, size }, label: `lookalike of ${segment.name}` };
    }
    if (userIds.length === 0) return "Seed users: upload a list or paste user ids (one per line).";
    if (userIds.length > MAX_SIZE) return `Seed users: at most ${MAX_SIZE.toLocaleString("en")} ids.`;
    return {
      mode,
      input: { userIds, size },
      label: `lookalike of ${listName ?? `${userIds.length} listed users`}`,
    };
  };

  const rank = async () => {
    const request = buildRequest();
    if (typeof request === "string") {
      setError({ code: "BAD_USER_INPUT", message: request });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const audience =
        request.mode === "items"
          ? (
              await clientGql(ITEMS_AUDIENCE_QUERY, {
                input: request.input,
              })
            ).audienceForItems
          : (
              await clientGql(LOOKALIKE_AUDIENCE_QUERY, {
                input: request.input,
              })
            ).lookalikeAudience;
      setResult({ request, audience });
    } catch (e) {
      setResult(null);
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  const readList = async (file: File | undefined) => {
    if (!file) return;
    setListName(file.name);
    setUserText(await file.text());
  };

  return (
    <>
      <section className="panel" aria-label="Build an audience">
        <h2>Build an audience</h2>
        <div className="toolbar" role="tablist" aria-label="Audience kind">
          <button
            type="button"
            role="tab"
            aria-selected={mode === "items"}
            className={mode === "items" ? "button primary" : "button"}
            onClick={() => setMode("items")}
          >
            Interest in items or a category
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === "lookalike"}
            className={mode === "lookalike" ? "button primary" : "button"}
            onClick={() => setMode("lookalike")}
          >
            Lookalike of a seed
          </button>
        </div>
        <form
          className="form-grid"
          aria-label={mode === "items" ? "Interest audience" : "Lookalike audience"}
          onSubmit={(event) => {
            event.preventDefault();
            void rank();
          }}
        >
          {mode === "items" ? (
            models.length === 0 ? (
              <p className="empty">No ACTIVE model is loaded for serving: train one and promote it first.</p>
            ) : (
              <>
                <SelectField
                  label="Model"
                  value={model?.name ?? ""}
                  options={models.map((m) => ({
                    value: m.name,
                    label: `${m.name} v${m.version} (${m.algorithm})`,
                  }))}
                  onChange={(name) => {
                    setModelName(name);
                    setCategory(models.find((m) => m.name === name)?.categories[0] ?? "");
                  }}
                />
                <SelectField
                  label="Target"
                  value={targetKind}
                  options={[
                    { value: "category", label: "A category" },
                    { value: "items", label: "Item ids" },
                  ]}
                  onChange={(value) => setTargetKind(value === "items" ? "items" : "category")}
                />
                {targetKind === "category" ? (
                  (model?.categories.length ?? 0) === 0 ? (
                    <p className="muted">
                      This model&apos;s catalogue has no categories: target item ids instead.
                    </p>
                  ) : (
                    <SelectField
                      label="Category"
                      value={category}
                      options={(model?.categories ?? []).map((c) => ({ value: c, label: c }))}
                      onChange={setCategory}
                    />
                  )
                ) : (
                  <label>
                    Item ids (one per line; {itemIds.length} given)
                    <textarea
                      rows={4}
                      value={itemText}
                      onChange={(e) => setItemText(e.target.value)}
                      placeholder={"P0001\nP0002"}
                    />
                  </label>
                )}
                <label>
                  Leave out buyers of the last (days)
                  <input
                    type="number"
                    min={0}
                    max={3650}
                    value={recentDays}
                    onChange={(e) => setRecentDays(Number(e.target.value))}
                  />
                </label>
              </>
            )
          ) : (
            <>
              <SelectField
                label="Seed"
                value={seedKind}
                options={[
                  ...(segments.length > 0 ? [{ value: "segment", label: "A segment" }] : []),
                  { value: "list", label: "An uploaded user list" },
                ]}
                onChange={(value) => setSeedKind(value === "segment" ? "segment" : "list")}
              />
              {seedKind === "segment" ? (
                <SelectField
                  label="Segment"
                  value={segmentId}
                  options={segments.map((s) => ({
                    value: s.id,
                    label: `${s.name} (${s.size.toLocaleString("en")} users, ${s.algorithm})`,
                  }))}
                  onChange={setSegmentId}
                />
              ) : (
                <>
                  <label>
                    User list file (.txt or .csv, one id per line or in the first column)
                    <input
                      type="file"
                      accept=".txt,.csv,text/plain,text/csv"
                      data-testid="user-list-file"
                      onChange={(e) => void readList(e.target.files?.[0])}
                    />
                  </label>
                  <label>
                    Or paste user ids ({userIds.length} distinct)
                    <textarea
                      rows={4}
                      value={userText}
                      onChange={(e) => {
                        setListName(null);
                        setUserText(e.target.value);
                      }}
                      placeholder={"u00001\nu00002"}
                    />
                  </label>
                </>
              )}
            </>
          )}
          <label>
            Audience size (users)
            <input
              type="number"
              min={1}
              max={MAX_SIZE}
              value={size}
              onChange={(e) => setSize(Number(e.target.value))}
            />
          </label>
          <div>
            <button
              className="button primary"
              type="submit"
              disabled={busy || (mode === "items" && models.length === 0)}
            >
              {busy ? "Ranking..." : "Rank users and estimate reach"}
            </button>
          </div>
        </form>
        {error ? <ErrorBox error={error} title="The audience could not be built" /> : null}
      </section>
      {result ? (
        <>
          <AudienceResult
            audience={result.audience}
            label={result.request.label}
            askedSize={result.request.input.size}
          />
          <ExportPanel
            key={JSON.stringify(result.request)}
            request={result.request}
            defaultName={`audience_${slug(result.request.label)}`}
          />
        </>
      ) : null}
    </>
  );
}
