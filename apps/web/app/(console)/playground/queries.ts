// GraphQL documents of the recommendation playground; answer types come from the generated client.
import { graphql } from "@/lib/generated/gql";
import type {
  PlaygroundQuery,
  PlaygroundSimilarQuery,
  RecommendedItemFieldsFragment,
  ServingModelsQuery,
} from "@/lib/generated/gql/graphql";

export const SERVING_MODELS_QUERY = graphql(`
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
`);

export const RecommendedItemFieldsFragmentDoc = graphql(`
  fragment RecommendedItemFields on RecommendedItem {
    itemId
  title
  category
  price
  score
  fromNewItems
  reasons { kind itemId title weight label }
  }
`);

export const RECOMMEND_QUERY = graphql(`
  query Playground($userId: String!, $first: Int, $filter: RecommendationFilter, $excludeSeen: Boolean, $model: String) {
    recommend(userId: $userId, first: $first, filter: $filter, excludeSeen: $excludeSeen, model: $model) {
      userId
      source
      segment { id name }
      historyLength
      model { id name version algorithm }
      items { ...RecommendedItemFields }
    }
    userEvents(userId: $userId, first: 10) { itemId title type ts }
  }
`);

export const SIMILAR_QUERY = graphql(`
  query PlaygroundSimilar($itemId: String!, $model: String) {
    similarItems(itemId: $itemId, first: 8, model: $model) {
      itemId
      model { id name version algorithm }
      items { ...RecommendedItemFields }
    }
  }
`);

export const TRACK_MUTATION = graphql(`
  mutation PlaygroundTrack($events: [TrackEventInput!]!) {
    trackEvents(events: $events) { accepted errors { index field message } }
  }
`);

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

export type ServingModel = ServingModelsQuery["servingModels"][number];
/** One recommended item; fromNewItems says whether it came from the steward's share of new items. */
export type RecommendedItem = RecommendedItemFieldsFragment;
export type Recommendations = PlaygroundQuery["recommend"];
export type UserEvent = PlaygroundQuery["userEvents"][number];
export type Similar = PlaygroundSimilarQuery["similarItems"];
