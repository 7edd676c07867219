// GraphQL documents of the search page; answer types come from the generated client.
import { graphql } from "@/lib/generated/gql";
import type {
  ConsoleSearchAnalyticsQuery,
  ConsoleSearchQuery,
  ConsoleSearchVocabularyQuery,
  ConsoleSuggestQuery,
  SearchRuleFieldsFragment,
} from "@/lib/generated/gql/graphql";

export { SearchRuleAction, SearchRuleMatch, SearchRuleTarget, SearchSort } from "@/lib/generated/gql/graphql";

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

export type SearchResult = ConsoleSearchQuery["search"];
export type SearchHit = SearchResult["hits"][number];
export type SearchFacet = SearchResult["facets"][number];
export type SearchSuggestion = ConsoleSuggestQuery["suggest"][number];
export type SearchAnalytics = ConsoleSearchAnalyticsQuery["searchAnalytics"];

export const SearchRuleFieldsFragmentDoc = graphql(`
  fragment SearchRuleFields on SearchRule {
    id query match action target value position startsAt endsAt active
  }
`);

export const RULES_QUERY = graphql(`
  query ConsoleSearchRules($after: String) {
    searchRules(first: 50, after: $after) {
      totalCount
      edges {
        node {
          ...SearchRuleFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
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

export type SearchRule = SearchRuleFieldsFragment;

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

export type SearchVocabulary = ConsoleSearchVocabularyQuery["searchVocabulary"];
