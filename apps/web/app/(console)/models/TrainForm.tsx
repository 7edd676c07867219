"use client";

import { type FormEvent, useState } from "react";
import { SelectField } from "@/components/SelectField";
import type { EventsVersion } from "./queries";

// Defaults shown in the params box per algorithm (the API fills any that are left out); a list value
// is a grid searched on validation NDCG@10.
const PARAM_TEMPLATES: Record<string, string> = {
  POP: "{}",
  ITEMKNN: '{ "k": 100, "shrink": 10 }',
  EASE: '{ "lambda": 250, "maxItems": 2000 }',
  ALS: '{ "factors": 32, "regularization": 1, "alpha": 2, "iterations": 10 }',
  BPR: '{ "factors": 32, "learningRate": 0.05, "regularization": 0.01, "epochs": 20 }',
  RP3BETA: '{ "alpha": 1, "beta": [0.3, 0.6], "k": 100 }',
  SAR: '{ "similarity": "jaccard", "threshold": 1 }',
  CONTENT_RIDGE: '{ "lambda": [0.002, 0.02, 0.2], "solver": "closed" }',
  HYBRID:
    '{ "factors": 32, "iterations": 10, "k": 100, "wFactors": [0.5, 1], "wNeighbours": 1, "wPopularity": 0, "wContent": 0 }',
};
const ALGORITHMS = Object.keys(PARAM_TEMPLATES).map((value) => ({ value, label: value }));
/** Algorithms that read item features: the feature set is required for them. */
const FEATURE_ALGORITHMS = new Set(["CONTENT_RIDGE"]);
const PROTOCOLS = [
  { value: "RANDOM_8_1_1", label: "Random 8:1:1 per user (RecBole)" },
  { value: "LEAVE_LAST_OUT", label: "Chronological leave-last-out" },
  { value: "GLOBAL_TIME", label: "Global time split" },
];

export type TrainRequest = {
  name: string;
  algorithm: string;
  eventsVersionId: string;
  /** The catalogue the model serves: events on items it does not list are dropped. */
  catalogVersionId?: string;
  /** The item features of a content model. */
  featureSetId?: string;
  protocol: string;
  params: Record<string, unknown>;
};

type Props = {
  eventsVersions: EventsVersion[];
  catalogVersions: EventsVersion[];
  featureSets: EventsVersion[];
  onTrain: (request: TrainRequest) => Promise<void>;
};

export function TrainForm({ eventsVersions, catalogVersions, featureSets, onTrain }: Props) {
  const [name, setName] = useState("default");
  const [algorithm, setAlgorithm] = useState("ALS");
  const [eventsVersionId, setEventsVersionId] = useState(eventsVersions[0]?.id ?? "");
  const [catalogVersionId, setCatalogVersionId] = useState(catalogVersions[0]?.id ?? "");
  const [featureSetId, setFeatureSetId] = useState("");
  const [protocol, setProtocol] = useState("RANDOM_8_1_1");
  const needsFeatures = FEATURE_ALGORITHMS.has(algorithm);
  const [params, setParams] = useState(PARAM_TEMPLATES.ALS!);
  const [paramsError, setParamsError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(params || "{}");
    } catch (error) {
      setParamsError(`Params: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      setParamsError('Params: expected a JSON object such as { "factors": 32 }');
      return;
    }
    if (needsFeatures && !featureSetId) {
      setParamsError(`${algorithm} reads item features: choose a feature set`);
      return;
    }
    setParamsError(null);
    setBusy(true);
    try {
      await onTrain({
        name,
        algorithm,
        eventsVersionId,
        ...(catalogVersionId ? { catalogVersionId } : {}),
        ...(featureSetId ? { featureSetId } : {}),
        protocol,
        params: parsed as Record<string, unknown>,
      });
    } finally {
      setBusy(false);
    }
  };

  if (eventsVersions.length === 0) {
    return <p className="empty">No READY events dataset yet: import one (kind EVENTS) to train on it.</p>;
  }
  return (
    <form className="form-grid" aria-label="Train a model" onSubmit={submit}>
      <label>
        Model name
        <input
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
        />
      </label>
      <SelectField
        label="Algorithm"
        value={algorithm}
        options={ALGORITHMS}
        onChange={(value) => {
          setAlgorithm(value);
          setParams(PARAM_TEMPLATES[value] ?? "{}");
        }}
      />
      <SelectField
        label="Events version"
        value={eventsVersionId}
        options={eventsVersions.map((version) => ({ value: version.id, label: version.label }))}
        onChange={setEventsVersionId}
      />
      <SelectField
        label="Catalogue version"
        value={catalogVersionId}
        options={catalogVersions.map((version) => ({ value: version.id, label: version.label }))}
        onChange={setCatalogVersionId}
        empty="none (serve item ids only, no filters)"
      />
      <SelectField
        label={needsFeatures ? "Feature set (required)" : "Feature set"}
        value={featureSetId}
        options={featureSets.map((set) => ({ value: set.id, label: set.label }))}
        onChange={setFeatureSetId}
        empty={featureSets.length === 0 ? "none READY: build one on the Features page" : "none"}
      />
      <SelectField label="Protocol" value={protocol} options={PROTOCOLS} onChange={setProtocol} />
      <label>
        Params (JSON; a list value is a grid searched on validation)
        <input value={params} onChange={(e) => setParams(e.target.value)} spellCheck={false} />
      </label>
      <div>
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? "Queuing..." : "Train"}
        </button>
      </div>
      {paramsError ? (
        <p className="error-box" role="alert">
          {paramsError}
        </p>
      ) : null}
    </form>
  );
}
