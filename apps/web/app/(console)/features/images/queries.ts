// GraphQL documents and answer types of the Product images page.

export type ImageJob = {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  error: string | null;
  outputIds: string[];
};

export type ImageReject = { file: string; entry: string | null; itemId: string | null; reason: string };

export type ItemImage = { itemId: string; width: number; height: number; format: string; thumbnail: string };

export type ImageSetSummary = {
  id: string;
  status: string;
  count: number;
  rejectedCount: number;
  createdAt: string;
  pathColumn: string | null;
};

export type ImageSetDetail = ImageSetSummary & { rejects: ImageReject[]; images: ItemImage[] };

export type Match = { itemId: string; score: number; title: string | null; thumbnail: string | null };
export type Matches = { setId: string; by: string; madeBy: string; items: Match[] };

export type EmbeddingSetSummary = {
  id: string;
  status: string;
  modelId: string;
  modality: string;
  imageSetId: string | null;
  count: number;
};

export const CATALOGS_QUERY = `query ImageCatalogs {
  datasets(kind: CATALOG, first: 50) { edges { node { name latestVersion { id number status } } } }
}`;

export const IMAGE_SETS_QUERY = `query ImageSets($v: ID!) {
  imageSets(catalogVersionId: $v, first: 10) { edges { node { id status count rejectedCount createdAt pathColumn } } }
  embeddingSets(sourceVersionId: $v, first: 20) { edges { node { id status modelId modality imageSetId count } } }
}`;

export const IMAGE_SET_QUERY = `query ImageSet($id: ID!) {
  imageSet(id: $id) {
    id status count rejectedCount createdAt pathColumn
    rejects(first: 20) { file entry itemId reason }
    images(first: 48) { itemId width height format thumbnail }
  }
}`;

export const IMPORT_IMAGES = `mutation ImportImages($v: ID!, $u: [ID!]!, $p: String) {
  importImages(catalogVersionId: $v, uploadIds: $u, pathColumn: $p) { id status progress message error outputIds }
}`;

export const EMBED_IMAGES = `mutation EmbedImages($s: ID!, $m: String) {
  embedImages(imageSetId: $s, modelId: $m) { id status progress message error outputIds }
}`;

export const JOB_QUERY = `query ImageJob($id: ID!) { job(id: $id) { id status progress message error outputIds } }`;

export const SIMILAR_QUERY = `query VisualNeighbours($item: String!, $by: SimilarityBasis!) {
  similarItemsBy(itemId: $item, by: $by, first: 8) { setId by madeBy items { itemId score title thumbnail } }
}`;

export const SEARCH_BY_IMAGE = `query SearchByImage($u: ID!, $s: ID) {
  searchByImage(uploadId: $u, embeddingSetId: $s, first: 8) { setId by madeBy items { itemId score title thumbnail } }
}`;
