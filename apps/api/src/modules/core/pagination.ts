import { AppError } from "../../errors/app-error.ts";

export type TPageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};
export type TEdge<T> = { cursor: string; node: T };
export type TConnection<T> = { edges: TEdge<T>[]; pageInfo: TPageInfo; totalCount: number };

export const MAX_PAGE_SIZE = 200;

// Cursors are opaque to clients (base64url of the row id); Prisma's cursor pagination turns them into
// keyset seeks on the list's ordering, so pages stay stable while rows are added.
export const encodeCursor = (id: string): string => Buffer.from(`c:${id}`, "utf8").toString("base64url");

export const decodeCursor = (cursor: string | null | undefined): string | null => {
  if (cursor === null || cursor === undefined || cursor === "") return null;
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  if (!decoded.startsWith("c:") || decoded.length < 3) {
    throw new AppError("BAD_USER_INPUT", "after: not a cursor returned by this API", { field: "after" });
  }
  return decoded.slice(2);
};

export const checkPageSize = (first: number | null | undefined, fallback = 20): number => {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new AppError("BAD_USER_INPUT", `first: must be an integer from 0 to ${MAX_PAGE_SIZE}`, {
      field: "first",
    });
  }
  return size;
};

/** Builds a connection from `first + 1` fetched rows (the extra row only tells whether a next page exists). */
export const toConnection = <T extends { id: string }>(
  rows: T[],
  first: number,
  totalCount: number,
  hasPreviousPage: boolean,
): TConnection<T> => {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
};
