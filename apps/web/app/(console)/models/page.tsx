import type { Metadata } from "next";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { ModelsPanel } from "./ModelsPanel";
import {
  EVENTS_DATASETS_QUERY,
  type EventsDatasetsAnswer,
  MODELS_QUERY,
  type ModelsAnswer,
  toCatalogVersions,
  toEventsVersions,
  toFeatureSets,
} from "./queries";

export const metadata: Metadata = { title: "Models" };
export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  const [models, datasets] = await Promise.all([
    tryGql<ModelsAnswer>(MODELS_QUERY),
    tryGql<EventsDatasetsAnswer>(EVENTS_DATASETS_QUERY),
  ]);
  return (
    <>
      <div className="page-header">
        <h1>Models</h1>
        <span className="muted">
          Train recommenders on an events version, compare their test metrics and training curves, promote
          one.
        </span>
      </div>
      {!models.ok ? (
        <ErrorBox error={models.error} />
      ) : !datasets.ok ? (
        <ErrorBox error={datasets.error} />
      ) : (
        <ModelsPanel
          initial={models.data.modelVersions.edges.map((edge) => edge.node)}
          eventsVersions={toEventsVersions(datasets.data)}
          catalogVersions={toCatalogVersions(datasets.data)}
          featureSets={toFeatureSets(datasets.data)}
        />
      )}
    </>
  );
}
