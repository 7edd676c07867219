export type ServingModel = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  itemCount: number;
  userCount: number;
  annIndex: boolean;
  annReady: boolean;
  catalogVersionId: string | null;
  categories: string[];
  sampleUserIds: string[];
};

export type Reason = {
  kind: string;
  itemId: string | null;
  title: string | null;
  weight: number;
  label: string;
};

export type RecommendedItem = {
  itemId: string;
  title: string | null;
  category: string | null;
  price: number | null;
  score: number;
  reasons: Reason[];
  /** Whether it came from the new-item path (the steward's share of new items). */
  fromNewItems: boolean;
};

export type Recommendations = {
  userId: string;
  source: string;
  /** The segment whose popular items answered (source SEGMENT_POPULARITY), else null. */
  segment: { id: string; name: string } | null;
  historyLength: number;
  items: RecommendedItem[];
  model: { id: string; name: string; version: number; algorithm: string };
};

export type UserEvent = { itemId: string; title: string | null; type: string; ts: string };

export const SERVING_MODELS_QUERY = /* GraphQL */ `
  query ServingModels {
    servingModels {
      id
      name
      version
      algorithm
      itemCount
      userCount
      annIndex
      annReady
      catalogVersionId
      categories
      sampleUserIds
    }
  }
`;

const ITEM_FIELDS = /* GraphQL */ `
  itemId
  title
  category
  price
  score
  fromNewItems
  reasons { kind itemId title weight label }
`;

export const RECOMMEND_QUERY = /* GraphQL */ `
  query Playground($userId: String!, $first: Int, $filter: RecommendationFilter, $excludeSeen: Boolean, $model: String) {
    recommend(userId: $userId, first: $first, filter: $filter, excludeSeen: $excludeSeen, model: $model) {
      userId
      source
      segment { id name }
      historyLength
      model { id name version algorithm }
      items { ${ITEM_FIELDS} }
    }
    userEvents(userId: $userId, first: 10) { itemId title type ts }
  }
`;

export const SIMILAR_QUERY = /* GraphQL */ `
  query PlaygroundSimilar($itemId: String!, $model: String) {
    similarItems(itemId: $itemId, first: 8, model: $model) {
      itemId
      model { id name version algorithm }
      items { ${ITEM_FIELDS} }
    }
  }
`;

export const TRACK_MUTATION = /* GraphQL */ `
  mutation PlaygroundTrack($events: [TrackEventInput!]!) {
    trackEvents(events: $events) { accepted errors { index field message } }
  }
`;

/** What each source means, in words for the page. */
export const SOURCE_LABELS: Record<string, string> = {
  FACTORS_USER: "trained user vector",
  FACTORS_FOLD_IN: "fold-in of recent events",
  NEIGHBOURS_HISTORY: "item-kNN over the session",
  HYBRID: "hybrid blend",
  CONTENT_USER: "content model, trained user column",
  CONTENT_FOLD_IN: "content model, history folded into the item features",
  SEGMENT_POPULARITY: "popularity in the user's segment",
  POPULARITY: "popularity fallback",
};
