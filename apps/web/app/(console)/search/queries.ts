// GraphQL documents and result shapes of the search page (fields of search.graphql in the API).

export const SEARCH_QUERY = /* GraphQL */ `
  query ConsoleSearch($q: String!, $first: Int, $after: String, $filter: SearchFilter, $sort: SearchSort) {
    search(query: $q, first: $first, after: $after, filter: $filter, sort: $sort) {
      searchId
      query
      catalogVersionId
      indexVersion
      backend
      total
      endCursor
      hasNextPage
      unmatchedWords
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
      }
    }
  }
`;

export const SUGGEST_QUERY = /* GraphQL */ `
  query ConsoleSuggest($prefix: String!) {
    suggest(prefix: $prefix, first: 8) {
      text
      source
      count
    }
  }
`;

export const ANALYTICS_QUERY = /* GraphQL */ `
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
`;

export const TRACK_CLICK = /* GraphQL */ `
  mutation ConsoleSearchClick($events: [TrackEventInput!]!) {
    trackEvents(events: $events) {
      accepted
      attributedToSearches
    }
  }
`;

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

const RULE_FIELDS = "id query match action target value position startsAt endsAt active";

export const RULES_QUERY = /* GraphQL */ `
  query ConsoleSearchRules {
    searchRules {
      ${RULE_FIELDS}
    }
  }
`;

export const CREATE_RULE = /* GraphQL */ `
  mutation ConsoleCreateSearchRule($input: SearchRuleInput!) {
    createSearchRule(input: $input) {
      ${RULE_FIELDS}
    }
  }
`;

export const DELETE_RULE = /* GraphQL */ `
  mutation ConsoleDeleteSearchRule($id: ID!) {
    deleteSearchRule(id: $id)
  }
`;

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
