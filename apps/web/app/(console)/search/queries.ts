import { graphql } from "@/lib/generated/gql";
// GraphQL documents and result shapes of the search page (fields of search.graphql in the API).

export const SEARCH_QUERY = graphql(`
  query ConsoleSearch(
    $q: String!
    $first: Int
    $after: String
    $filter: SearchFilter
    $sort: SearchSort
    $userId: String
  ) {
    search(query: $q, first: $first, after: $after, filter: $filter, sort: $sort, userId: $userId) {
      searchId
      query
      catalogVersionId
      indexVersion
      backend
      total
      endCursor
      hasNextPage
      unmatchedWords
      personalization {
        userId
        segmentName
        signals
        weight
      }
      facets {
        field
        kind
        values {
          value
          count
        }
      }
      hits {
        rank
        itemId
        title
        score
        lexicalScore
        lexicalRank
        semanticScore
        semanticRank
        matches {
          queryWord
          matched
          kind
          typos
          score
          fields
        }
        highlights {
          field
          text
          ranges
        }
        placement {
          ruleId
          action
        }
        personalization {
          affinity
          scoreDelta
          baseRank
          rankDelta
        }
      }
    }
  }
`);

export const SUGGEST_QUERY = graphql(`
  query ConsoleSuggest($prefix: String!) {
    suggest(prefix: $prefix, first: 8) {
      text
      source
      count
    }
  }
`);

export const ANALYTICS_QUERY = graphql(`
  query ConsoleSearchAnalytics {
    searchAnalytics(first: 10) {
      totalSearches
      totalClicks
      topQueries {
        query
        searches
        clicks
        clickThrough
      }
      zeroResultQueries {
        query
        searches
      }
    }
  }
`);

export const TRACK_CLICK = graphql(`
  mutation ConsoleSearchClick($events: [TrackEventInput!]!) {
    trackEvents(events: $events) {
      accepted
      attributedToSearches
    }
  }
`);

export type SearchWordMatch = {
  queryWord: string;
  matched: string;
  kind: string;
  typos: number;
  score: number;
  fields: string[];
};
export type SearchHighlight = { field: string; text: string; ranges: number[] };
export type SearchHit = {
  rank: number;
  itemId: string;
  title: string | null;
  score: number;
  lexicalScore: number;
  lexicalRank: number | null;
  semanticScore: number | null;
  semanticRank: number | null;
  matches: SearchWordMatch[];
  highlights: SearchHighlight[];
  placement: { ruleId: string; action: SearchRuleAction } | null;
  personalization: { affinity: number; scoreDelta: number; baseRank: number; rankDelta: number } | null;
};
export type SearchFacet = { field: string; kind: string; values: { value: string; count: number }[] };
export type SearchResult = {
  searchId: string;
  query: string;
  catalogVersionId: string;
  indexVersion: string;
  backend: string;
  total: number;
  endCursor: string | null;
  hasNextPage: boolean;
  unmatchedWords: string[];
  personalization: { userId: string; segmentName: string | null; signals: string[]; weight: number } | null;
  facets: SearchFacet[];
  hits: SearchHit[];
};
export type SearchSuggestion = { text: string; source: string; count: number };
export type SearchAnalytics = {
  totalSearches: number;
  totalClicks: number;
  topQueries: { query: string; searches: number; clicks: number; clickThrough: number }[];
  zeroResultQueries: { query: string; searches: number }[];
};
export type SearchSort = "RELEVANCE" | "PRICE_ASC" | "PRICE_DESC" | "POPULARITY";

export const SearchRuleFieldsFragmentDoc = graphql(`
  fragment SearchRuleFields on SearchRule {
    id query match action target value position startsAt endsAt active
  }
`);

export const RULES_QUERY = graphql(`
  query ConsoleSearchRules {
    searchRules {
      ...SearchRuleFields
    }
  }
`);

export const CREATE_RULE = graphql(`
  mutation ConsoleCreateSearchRule($input: SearchRuleInput!) {
    createSearchRule(input: $input) {
      ...SearchRuleFields
    }
  }
`);

export const DELETE_RULE = graphql(`
  mutation ConsoleDeleteSearchRule($id: ID!) {
    deleteSearchRule(id: $id)
  }
`);

export type SearchRuleAction = "PIN" | "BOOST" | "BURY";
export type SearchRule = {
  id: string;
  query: string;
  match: "EXACT" | "CONTAINS";
  action: SearchRuleAction;
  target: "ITEM" | "CATEGORY";
  value: string;
  position: number;
  startsAt: string | null;
  endsAt: string | null;
  active: boolean;
};

export const VOCABULARY_QUERY = graphql(`
  query ConsoleSearchVocabulary {
    searchVocabulary {
      synonyms {
        id
        words
      }
      stopWords {
        word
      }
      defaultStopWords
    }
  }
`);

export const CREATE_SYNONYM = graphql(`
  mutation ConsoleCreateSearchSynonym($words: [String!]!) {
    createSearchSynonym(words: $words) {
      id
      words
    }
  }
`);

export const DELETE_SYNONYM = graphql(`
  mutation ConsoleDeleteSearchSynonym($id: ID!) {
    deleteSearchSynonym(id: $id)
  }
`);

export const ADD_STOP_WORD = graphql(`
  mutation ConsoleAddSearchStopWord($word: String!) {
    addSearchStopWord(word: $word) {
      word
    }
  }
`);

export const REMOVE_STOP_WORD = graphql(`
  mutation ConsoleRemoveSearchStopWord($word: String!) {
    removeSearchStopWord(word: $word)
  }
`);

export type SearchVocabulary = {
  synonyms: { id: string; words: string[] }[];
  stopWords: { word: string }[];
  defaultStopWords: string[];
};
