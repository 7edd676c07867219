// GraphQL documents and answer types of the Product images page.
import { graphql } from "@/lib/generated/gql";
import type {
  ImageJobQuery,
  ImageSetQuery,
  ImageSetsQuery,
  VisualNeighboursQuery,
} from "@/lib/generated/gql/graphql";

export const CATALOGS_QUERY = graphql(`query ImageCatalogs {
  datasets(kind: CATALOG, first: 50) { edges { node { name latestVersion { id number status } } } }
}`);

export const IMAGE_SETS_QUERY = graphql(`query ImageSets($v: ID!) {
  imageSets(catalogVersionId: $v, first: 10) { edges { node { id status count rejectedCount createdAt pathColumn } } }
  embeddingSets(sourceVersionId: $v, first: 20) { edges { node { id status modelId modality imageSetId count } } }
}`);

export const IMAGE_SET_QUERY = graphql(`query ImageSet($id: ID!) {
  imageSet(id: $id) {
    id status count rejectedCount createdAt pathColumn
    rejects(first: 20) { file entry itemId reason }
    images(first: 48) { itemId width height format thumbnail }
  }
}`);

export const IMPORT_IMAGES = graphql(`mutation ImportImages($input: ImportImagesInput!) {
  importImages(input: $input) { id status progress message error outputIds }
}`);

export const EMBED_IMAGES = graphql(`mutation EmbedImages($s: ID!, $m: String) {
  embedImages(imageSetId: $s, modelId: $m) { id status progress message error outputIds }
}`);

export const JOB_QUERY = graphql(
  `query ImageJob($id: ID!) { job(id: $id) { id status progress message error outputIds } }`,
);

export const SIMILAR_QUERY = graphql(`query VisualNeighbours($item: String!, $by: SimilarityBasis!) {
  similarItemsBy(itemId: $item, by: $by, first: 8) { setId by madeBy items { itemId score title thumbnail } }
}`);

export const SEARCH_BY_IMAGE = graphql(`query SearchByImage($u: ID!, $s: ID) {
  searchByImage(uploadId: $u, embeddingSetId: $s, first: 8) { setId by madeBy items { itemId score title thumbnail } }
}`);

export type ImageJob = NonNullable<ImageJobQuery["job"]>;
export type ImageSetDetail = NonNullable<ImageSetQuery["imageSet"]>;
export type ImageReject = ImageSetDetail["rejects"][number];
export type ItemImage = ImageSetDetail["images"][number];
export type ImageSetSummary = ImageSetsQuery["imageSets"]["edges"][number]["node"];
export type EmbeddingSetSummary = ImageSetsQuery["embeddingSets"]["edges"][number]["node"];
export type Matches = VisualNeighboursQuery["similarItemsBy"];
export type Match = Matches["items"][number];
