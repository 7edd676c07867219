"use client";

import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatCount, formatTime } from "@/lib/format";
import {
  type CleaningDataset,
  type CleaningRecipe,
  JOB_QUERY,
  RECIPES_QUERY,
  RUN_RECIPE,
  type RunJob,
  type StepReport,
} from "./queries";
import { RecipeBuilder } from "./RecipeBuilder";
import { describeStep } from "./step-draft";

const POLL_MS = 1000;
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];

type Props = { dataset: CleaningDataset; initialRecipes: CleaningRecipe[] };

export function CleaningPanel({ dataset, initialRecipes }: Props) {
  const [recipes, setRecipes] = useState(initialRecipes);
  const [jobs, setJobs] = useState<Record<string, RunJob>>({});
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  const reload = useCallback(async () => {
    const data = await clientGql(RECIPES_QUERY, {
      id: dataset.id,
    });
    setRecipes(data.cleaningRecipes.edges.map((edge) => edge.node));
  }, [dataset.id]);

  // Polls every running job until it ends, then reloads the recipes so the new run and its report show.
  const running = Object.values(jobs).filter((job) => !TERMINAL.includes(job.status));
  const runningKey = running.map((job) => job.id).join(",");
  useEffect(() => {
    if (!runningKey) return undefined;
    const timer = setInterval(async () => {
      try {
        const answers = await Promise.all(runningKey.split(",").map((id) => clientGql(JOB_QUERY, { id })));
        const updated = answers.flatMap((answer) => (answer.job ? [answer.job] : []));
        setJobs((current) => {
          const next = { ...current };
          for (const [recipeId, job] of Object.entries(current)) {
            const fresh = updated.find((candidate) => candidate.id === job.id);
            if (fresh) next[recipeId] = fresh;
          }
          return next;
        });
        if (updated.some((job) => TERMINAL.includes(job.status))) await reload();
      } catch (e) {
        setError(toErrorInfo(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [runningKey, reload]);

  async function run(recipe: CleaningRecipe) {
    setError(null);
    try {
      const data = await clientGql(RUN_RECIPE, { recipeId: recipe.id });
      setJobs((current) => ({ ...current, [recipe.id]: data.runCleaningRecipe }));
      await reload();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }

  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      <section className="panel">
        <h2>Recipes ({recipes.length})</h2>
        {recipes.length === 0 ? <p className="empty">No recipes yet: build one below.</p> : null}
        {recipes.map((recipe) => {
          const job = jobs[recipe.id];
          const lastRun = recipe.runs[0];
          return (
            <div key={recipe.id} className="panel" data-testid="cleaning-recipe">
              <div className="page-header">
                <h3>{recipe.name}</h3>
                <button
                  type="button"
                  className="button primary"
                  disabled={!dataset.latestVersion || (job !== undefined && !TERMINAL.includes(job.status))}
                  onClick={() => run(recipe)}
                >
                  Run on v{dataset.latestVersion?.number ?? "—"}
                </button>
              </div>
              <ol>
                {(Array.isArray(recipe.steps) ? recipe.steps : []).map((step, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: steps are identified by their position
                  <li key={index} className="mono">
                    {describeStep(step)}
                  </li>
                ))}
              </ol>
              {job ? (
                <div className="toolbar">
                  <StatusBadge status={job.status} />
                  <ProgressBar value={job.progress} label="Cleaning progress" />
                  <span className="muted">{job.error ?? job.message ?? ""}</span>
                </div>
              ) : null}
              {lastRun ? (
                <>
                  <p>
                    Last run: v{lastRun.number} <StatusBadge status={lastRun.status} />{" "}
                    {formatCount(lastRun.rowCount)} rows · {formatTime(lastRun.createdAt)}
                  </p>
                  {lastRun.cleaningReport ? <ReportTable report={lastRun.cleaningReport} /> : null}
                </>
              ) : (
                <p className="muted">Never run.</p>
              )}
            </div>
          );
        })}
      </section>
      {dataset.latestVersion ? (
        <RecipeBuilder
          datasetId={dataset.id}
          versionId={dataset.latestVersion.id}
          columns={dataset.latestVersion.columns}
          onCreated={(recipe) => setRecipes((current) => [...current, recipe])}
        />
      ) : (
        <p className="empty">Import a version first: recipes are checked against its columns.</p>
      )}
    </>
  );
}

function ReportTable({ report }: { report: StepReport[] }) {
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="cleaning-report">
        <thead>
          <tr>
            <th>Step</th>
            <th>Operation</th>
            <th className="num">Rows in</th>
            <th className="num">Rows out</th>
            <th className="num">Removed</th>
            <th className="num">Values changed</th>
          </tr>
        </thead>
        <tbody>
          {report.map((step) => (
            <tr key={step.step}>
              <td>{step.step + 1}</td>
              <td className="mono">{step.op}</td>
              <td className="num">{formatCount(step.rowsIn)}</td>
              <td className="num">{formatCount(step.rowsOut)}</td>
              <td className="num">{formatCount(step.rowsIn - step.rowsOut)}</td>
              <td className="num">{step.changed === null ? "—" : formatCount(step.changed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
