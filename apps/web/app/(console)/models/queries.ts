// GraphQL documents and answer types of the models page.

export type RankingMetrics = {
  recall: number;
  ndcg: number;
  mrr: number;
  hit: number;
  precision: number;
  coverage: number;
  users: number;
};

export type CurvePoint = { epoch: number; loss: number; validationNdcg: number | null };

/** The new-item protocol's figures (content models): held-out items ranked among themselves. */
export type NewItemMetrics = {
  share: number;
  items: number;
  users: number;
  model: RankingMetrics;
  popularity: RankingMetrics;
  randomRecall: number;
};

export type ModelRow = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  status: "TRAINING" | "READY" | "ACTIVE" | "RETIRED" | "FAILED";
  protocol: string | null;
  protocolDetail: string | null;
  params: Record<string, unknown>;
  selectedParams: Record<string, unknown> | null;
  trainSeconds: number | null;
  createdAt: string;
  promotedAt: string | null;
  /** An erasure removed rows from its training data: retrain it. */
  stale: boolean;
  staleReason: string | null;
  metrics: RankingMetrics | null;
  newItemMetrics: NewItemMetrics | null;
  inputs: { role: string; id: string; label: string | null }[];
  job: { id: string; status: string; progress: number; message: string | null; error: string | null } | null;
};

export type ComparedModel = ModelRow & {
  validationMetrics: RankingMetrics | null;
  curves: CurvePoint[];
  data: { users: number; items: number; interactions: number; events: number } | null;
};

export type EventsVersion = { id: string; label: string };

const MODEL_ROW = /* GraphQL */ `
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
`;

export const MODELS_QUERY = /* GraphQL */ `
  query ModelsPage {
    modelVersions(first: 50) { totalCount edges { node { ${MODEL_ROW} } } }
  }
`;

export const EVENTS_DATASETS_QUERY = /* GraphQL */ `
  query ModelsEventsDatasets {
    events: datasets(first: 100, kind: EVENTS) { edges { node { id name versions { id number status } } } }
    transactions: datasets(first: 100, kind: TRANSACTIONS) { edges { node { id name versions { id number status } } } }
    catalogs: datasets(first: 100, kind: CATALOG) { edges { node { id name versions { id number status } } } }
    featureSets(first: 100) { edges { node { id name version status count dimension } } }
  }
`;

export type EventsDatasetsAnswer = {
  events: {
    edges: {
      node: { id: string; name: string; versions: { id: string; number: number; status: string }[] };
    }[];
  };
  transactions: EventsDatasetsAnswer["events"];
  catalogs: EventsDatasetsAnswer["events"];
  featureSets: {
    edges: {
      node: { id: string; name: string; version: number; status: string; count: number; dimension: number };
    }[];
  };
};

export const COMPARE_QUERY = /* GraphQL */ `
  query CompareModels($ids: [ID!]!) {
    compareModels(ids: $ids) {
      bestId
      sameProtocol
      versions {
        ${MODEL_ROW}
        validationMetrics { recall ndcg mrr hit precision coverage users }
        curves { epoch loss validationNdcg }
        data { users items interactions events }
      }
    }
  }
`;

export type CompareAnswer = {
  compareModels: { bestId: string | null; sameProtocol: boolean; versions: ComparedModel[] };
};

export const TRAIN_MODEL = /* GraphQL */ `
  mutation TrainModel($input: TrainModelInput!) { trainModel(input: $input) { id status } }
`;

export const PROMOTE_MODEL = /* GraphQL */ `
  mutation PromoteModel($id: ID!, $force: Boolean) { promoteModel(id: $id, force: $force) { id status } }
`;

export const SET_NEW_ITEM_SHARE = /* GraphQL */ `
  mutation SetNewItemShare($modelName: String!, $share: Float!) {
    setNewItemShare(modelName: $modelName, share: $share) { modelName share updatedAt }
  }
`;

export const ROLLBACK_MODEL = /* GraphQL */ `
  mutation RollbackModel($name: String!) { rollbackModel(name: $name) { id status version } }
`;

export type ModelsAnswer = { modelVersions: { totalCount: number; edges: { node: ModelRow }[] } };

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

export const RETRAIN_MODEL = /* GraphQL */ `
  mutation RetrainModel($id: ID!) { retrainModel(id: $id) { id status } }
`;

/** READY feature sets (the item features a content model is trained on), labelled "name vN (items x dims)". */
export const toFeatureSets = (answer: EventsDatasetsAnswer): EventsVersion[] =>
  answer.featureSets.edges
    .filter(({ node }) => node.status === "READY")
    .map(({ node }) => ({
      id: node.id,
      label: `${node.name} v${node.version} (${node.count} items x ${node.dimension})`,
    }));
