"use client";

import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatDuration, formatTime } from "@/lib/format";
import { CompareView } from "./CompareView";
import {
  COMPARE_QUERY,
  type CompareAnswer,
  type EventsVersion,
  MODELS_QUERY,
  type ModelRow,
  PROMOTE_MODEL,
  RETRAIN_MODEL,
  ROLLBACK_MODEL,
  SET_NEW_ITEM_SHARE,
  TRAIN_MODEL,
} from "./queries";
import { TrainForm, type TrainRequest } from "./TrainForm";

const POLL_MS = 1000;

/** The console's own: a promotion the API refused, shown with the model it was for. */
type Refusal = { model: ModelRow; error: ApiErrorInfo };

export function ModelsPanel({
  initial,
  eventsVersions,
  catalogVersions,
  featureSets,
}: {
  initial: ModelRow[];
  eventsVersions: EventsVersion[];
  catalogVersions: EventsVersion[];
  featureSets: EventsVersion[];
}) {
  const [models, setModels] = useState(initial);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [comparison, setComparison] = useState<CompareAnswer["compareModels"] | null>(null);

  const reload = useCallback(async () => {
    const answer = await clientGql(MODELS_QUERY);
    setModels(answer.modelVersions.edges.map((edge) => edge.node));
  }, []);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    setNotice(null);
    try {
      await work();
      await reload();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  // Live progress: poll while any version is still training.
  const training = models.some((model) => model.status === "TRAINING");
  useEffect(() => {
    if (!training) return undefined;
    const timer = setInterval(() => {
      reload().catch((e) => setError(toErrorInfo(e)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [training, reload]);

  const train = (request: TrainRequest) =>
    act(async () => {
      await clientGql(TRAIN_MODEL, { input: request });
      setNotice(`Training ${request.name} (${request.algorithm}) queued.`);
    });

  const compare = () =>
    act(async () => {
      const answer = await clientGql(COMPARE_QUERY, { ids: selected });
      setComparison(answer.compareModels);
    });

  const promote = (model: ModelRow, force: boolean) => {
    setRefusal(null);
    return act(async () => {
      try {
        await clientGql(PROMOTE_MODEL, { id: model.id, force });
        setNotice(`${model.name} v${model.version} is now ACTIVE.`);
      } catch (e) {
        const info = toErrorInfo(e);
        // A refusal because the model is worse is an expected outcome with a way forward (force).
        if (info.code === "PRECONDITION_FAILED" && /worse than the active/.test(info.message)) {
          setRefusal({ model, error: info });
          return;
        }
        throw e;
      }
    });
  };

  const rollback = (name: string) =>
    act(async () => {
      const answer = await clientGql(ROLLBACK_MODEL, { name });
      setNotice(`${name} rolled back to v${answer.rollbackModel.version}.`);
    });

  const setShare = (name: string, share: number) =>
    act(async () => {
      await clientGql(SET_NEW_ITEM_SHARE, { modelName: name, share });
      setNotice(`${name}: ${Math.round(share * 100)}% of each answer now comes from new items.`);
    });

  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current, id]));

  const activeNames = [
    ...new Set(models.filter((model) => model.status === "ACTIVE").map((model) => model.name)),
  ];

  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <section className="panel" aria-label="Train">
        <h2>Train a model</h2>
        <TrainForm
          eventsVersions={eventsVersions}
          catalogVersions={catalogVersions}
          featureSets={featureSets}
          onTrain={train}
        />
      </section>

      <section className="panel" aria-label="Model versions">
        <h2>Versions ({models.length})</h2>
        {refusal ? (
          <div className="error-box" role="alert" data-testid="promote-refusal">
            <strong className="error-title">Promotion refused</strong>
            <div>
              <span className="code">{refusal.error.code}</span> {refusal.error.message}
            </div>
            <button
              className="button small danger"
              type="button"
              onClick={() => promote(refusal.model, true)}
            >
              Promote {refusal.model.name} v{refusal.model.version} anyway
            </button>
          </div>
        ) : null}
        {models.length === 0 ? (
          <p className="empty">No model trained yet.</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="models-table">
                <thead>
                  <tr>
                    <th scope="col">Compare</th>
                    <th scope="col">Model</th>
                    <th scope="col">Algorithm</th>
                    <th scope="col">Status</th>
                    <th scope="col">NDCG@10</th>
                    <th scope="col">Recall@10</th>
                    <th
                      scope="col"
                      title="New-item protocol: held-out items ranked among themselves by their features"
                    >
                      New items R@10
                    </th>
                    <th scope="col">Protocol</th>
                    <th scope="col">Trained on</th>
                    <th scope="col">Fit time</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {models.map((model) => (
                    <tr key={model.id} data-testid={`model-${model.name}-v${model.version}`}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Compare ${model.name} v${model.version}`}
                          checked={selected.includes(model.id)}
                          onChange={() => toggle(model.id)}
                        />
                      </td>
                      <td>
                        {model.name} v{model.version}
                        <div className="muted">{formatTime(model.createdAt)}</div>
                      </td>
                      <td>{model.algorithm}</td>
                      <td>
                        <StatusBadge status={model.status} />
                        {model.status === "TRAINING" && model.job ? (
                          <>
                            <ProgressBar
                              value={model.job.progress}
                              label={`Training ${model.name} v${model.version}`}
                            />
                            <div className="muted">{model.job.message}</div>
                          </>
                        ) : null}
                        {model.stale ? (
                          <div data-testid={`stale-${model.id}`}>
                            <span className="status status-stale" title={model.staleReason ?? undefined}>
                              STALE
                            </span>{" "}
                            <button
                              className="button small"
                              type="button"
                              onClick={() =>
                                act(async () => {
                                  await clientGql(RETRAIN_MODEL, { id: model.id });
                                  setNotice(`Retraining ${model.name} on its inputs as they are now.`);
                                })
                              }
                            >
                              Retrain
                            </button>
                          </div>
                        ) : null}
                        {model.status === "FAILED" && model.job?.error ? (
                          <div className="muted">{model.job.error}</div>
                        ) : null}
                      </td>
                      <td className="num">{model.metrics ? model.metrics.ndcg.toFixed(4) : "–"}</td>
                      <td className="num">{model.metrics ? model.metrics.recall.toFixed(4) : "–"}</td>
                      <td className="num" data-testid="new-item-recall">
                        {model.newItemMetrics ? (
                          <>
                            {model.newItemMetrics.model.recall.toFixed(4)}
                            <div className="muted">
                              random {model.newItemMetrics.randomRecall.toFixed(4)}, popularity after the fact{" "}
                              {model.newItemMetrics.popularity.recall.toFixed(4)} (
                              {model.newItemMetrics.items} items held out)
                            </div>
                          </>
                        ) : (
                          "–"
                        )}
                      </td>
                      <td>{model.protocolDetail ?? model.protocol ?? "–"}</td>
                      <td>{model.inputs.map((input) => input.label ?? input.id).join(", ")}</td>
                      <td className="num">{formatDuration(model.trainSeconds)}</td>
                      <td>
                        {model.status === "READY" ? (
                          <button
                            className="button small primary"
                            type="button"
                            onClick={() => promote(model, false)}
                          >
                            Promote
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="form-grid">
              <button className="button" type="button" disabled={selected.length < 1} onClick={compare}>
                Compare selected ({selected.length})
              </button>
              {activeNames.map((name) => (
                <button key={name} className="button danger" type="button" onClick={() => rollback(name)}>
                  Roll back {name}
                </button>
              ))}
            </div>
            <div className="form-grid">
              {activeNames.map((name) => (
                <NewItemShareForm key={name} name={name} onSet={(share) => setShare(name, share)} />
              ))}
            </div>
          </>
        )}
      </section>
      {comparison ? <CompareView comparison={comparison} /> : null}
    </>
  );
}

/** The steward's share of `name`'s answers reserved for new items (content models score them from features). */
function NewItemShareForm({ name, onSet }: { name: string; onSet: (share: number) => Promise<void> }) {
  const [percent, setPercent] = useState("20");
  return (
    <form
      className="form-grid"
      aria-label={`New-item share of ${name}`}
      onSubmit={(event) => {
        event.preventDefault();
        void onSet(Number(percent) / 100);
      }}
    >
      <label>
        New items in {name} answers (%)
        <input
          type="number"
          min={0}
          max={100}
          step={5}
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
        />
      </label>
      <button className="button" type="submit">
        Set share
      </button>
    </form>
  );
}
