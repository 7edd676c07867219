// GraphQL documents and answer types of the models page.
import { graphql } from "@/lib/generated/gql";
import type {
  CompareModelsQuery,
  ModelRowFieldsFragment,
  ModelsEventsDatasetsQuery,
  ModelsPageQuery,
} from "@/lib/generated/gql/graphql";

export type ModelRow = ModelRowFieldsFragment;
export type RankingMetrics = NonNullable<ModelRow["metrics"]>;
/** The new-item protocol's figures (content models): held-out items ranked among themselves. */
export type NewItemMetrics = NonNullable<ModelRow["newItemMetrics"]>;
export type CompareAnswer = CompareModelsQuery;
export type ComparedModel = CompareModelsQuery["compareModels"]["versions"][number];
export type CurvePoint = ComparedModel["curves"][number];
export type ModelsAnswer = ModelsPageQuery;
export type EventsDatasetsAnswer = ModelsEventsDatasetsQuery;

/** The console's own: one option of a version picker (an id and the label shown). */
export type EventsVersion = { id: string; label: string };

export const ModelRowFieldsFragmentDoc = graphql(`
  fragment ModelRowFields on ModelVersion {
    id name version algorithm status protocol protocolDetail params selectedParams trainSeconds createdAt promotedAt
    stale staleReason
  metrics { recall ndcg mrr hit precision coverage users }
  newItemMetrics {
    share items users randomRecall
    model { recall ndcg mrr hit precision coverage users }
    popularity { recall ndcg mrr hit precision coverage users }
  }
  inputs { role id label }
  job { id status progress message error }
  }
`);

export const MODELS_QUERY = graphql(`
  query ModelsPage {
    modelVersions(first: 50) { totalCount edges { node { ...ModelRowFields } } }
  }
`);

export const EVENTS_DATASETS_QUERY = graphql(`
  query ModelsEventsDatasets {
    events: datasets(first: 100, kind: EVENTS) { edges { node { id name versions { id number status } } } }
    transactions: datasets(first: 100, kind: TRANSACTIONS) { edges { node { id name versions { id number status } } } }
    catalogs: datasets(first: 100, kind: CATALOG) { edges { node { id name versions { id number status } } } }
    featureSets(first: 100) { edges { node { id name version status count dimension } } }
  }
`);

export const COMPARE_QUERY = graphql(`
  query CompareModels($ids: [ID!]!) {
    compareModels(ids: $ids) {
      bestId
      sameProtocol
      versions {
        ...ModelRowFields
        validationMetrics { recall ndcg mrr hit precision coverage users }
        curves { epoch loss validationNdcg }
        data { users items interactions events }
      }
    }
  }
`);

export const TRAIN_MODEL = graphql(`
  mutation TrainModel($input: TrainModelInput!) { trainModel(input: $input) { id status } }
`);

export const PROMOTE_MODEL = graphql(`
  mutation PromoteModel($id: ID!, $force: Boolean) { promoteModel(id: $id, force: $force) { id status } }
`);

export const SET_NEW_ITEM_SHARE = graphql(`
  mutation SetNewItemShare($modelName: String!, $share: Float!) {
    setNewItemShare(modelName: $modelName, share: $share) { modelName share updatedAt }
  }
`);

export const ROLLBACK_MODEL = graphql(`
  mutation RollbackModel($name: String!) { rollbackModel(name: $name) { id status version } }
`);

const readyVersions = (edges: EventsDatasetsAnswer["events"]["edges"]): EventsVersion[] =>
  edges.flatMap(({ node }) =>
    node.versions
      .filter((version) => version.status === "READY")
      .map((version) => ({ id: version.id, label: `${node.name} v${version.number}` })),
  );

/** READY versions of events and transactions datasets, newest first, labelled "name vN". */
export const toEventsVersions = (answer: EventsDatasetsAnswer): EventsVersion[] =>
  readyVersions([...answer.events.edges, ...answer.transactions.edges]);

/** READY catalogue versions: the items a model is trained on, and the titles, categories and prices it serves. */
export const toCatalogVersions = (answer: EventsDatasetsAnswer): EventsVersion[] =>
  readyVersions(answer.catalogs.edges);

export const RETRAIN_MODEL = graphql(`
  mutation RetrainModel($id: ID!) { retrainModel(id: $id) { id status } }
`);

/** READY feature sets (the item features a content model is trained on), labelled "name vN (items x dims)". */
export const toFeatureSets = (answer: EventsDatasetsAnswer): EventsVersion[] =>
  answer.featureSets.edges
    .filter(({ node }) => node.status === "READY")
    .map(({ node }) => ({
      id: node.id,
      label: `${node.name} v${node.version} (${node.count} items x ${node.dimension})`,
    }));
