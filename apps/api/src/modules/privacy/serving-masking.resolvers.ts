import type { RecommendedItem, Resolvers, SearchFacet, SearchHit } from "../../generated/graphql.ts";
import { catalogMaskerFor, type TCatalogMasker } from "./catalog-masking.ts";

const maskItem = (item: RecommendedItem, masker: TCatalogMasker): RecommendedItem => ({
  ...item,
  title: masker.byRole("title", item.title ?? null),
  category: masker.byRole("category", item.category ?? null),
  reasons: item.reasons.map((reason) => ({ ...reason, title: masker.byRole("title", reason.title ?? null) })),
});

const maskHit = (hit: SearchHit, masker: TCatalogMasker): SearchHit => ({
  ...hit,
  title: masker.byRole("title", hit.title ?? null),
  // A highlighted tagged field would show its text and where the query matched it: left out.
  highlights: hit.highlights
    .filter((h) => !masker.tagged(h.field))
    .map((h) => {
      const text = masker.byColumn(h.field, h.text);
      return text === h.text ? h : { ...h, text, ranges: [] };
    }),
});

const maskFacet = (facet: SearchFacet, masker: TCatalogMasker): SearchFacet =>
  masker.tagged(facet.field)
    ? { ...facet, values: facet.values.map((v) => ({ ...v, value: masker.byColumn(facet.field, v.value) })) }
    : facet;

// Recommend, similarItems and search answers carry catalogue values (titles, categories, facet values,
// highlighted text); for a caller without pii:read those of PII-tagged catalogue columns go out masked.
// The serving and search modules' own resolvers stay as they are.
export const servingMaskingResolvers: Resolvers = {
  Recommendations: {
    items: async (parent, _args, { principal, deps }) => {
      const masker = await catalogMaskerFor(deps, principal, parent.model.catalogVersionId);
      return masker ? parent.items.map((item) => maskItem(item, masker)) : parent.items;
    },
  },
  SimilarItems: {
    items: async (parent, _args, { principal, deps }) => {
      const masker = await catalogMaskerFor(deps, principal, parent.model.catalogVersionId);
      return masker ? parent.items.map((item) => maskItem(item, masker)) : parent.items;
    },
  },
  SearchResult: {
    hits: async (parent, _args, { principal, deps }) => {
      const masker = await catalogMaskerFor(deps, principal, parent.catalogVersionId);
      return masker ? parent.hits.map((hit) => maskHit(hit, masker)) : parent.hits;
    },
    facets: async (parent, _args, { principal, deps }) => {
      const masker = await catalogMaskerFor(deps, principal, parent.catalogVersionId);
      return masker ? parent.facets.map((facet) => maskFacet(facet, masker)) : parent.facets;
    },
  },
};
