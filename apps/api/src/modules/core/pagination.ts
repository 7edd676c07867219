import type { Prisma } from "@dam/db/client";
import { AppError } from "../../errors/app-error.ts";
import { isUuid } from "./input-text.ts";

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

/** A cursor over rows with UUID ids: anything else did not come from this API (and the database would throw). */
export const decodeUuidCursor = (cursor: string | null | undefined): string | null => {
  const id = decodeCursor(cursor);
  if (id !== null && !isUuid(id)) {
    throw new AppError("BAD_USER_INPUT", "after: not a cursor returned by this API", { field: "after" });
  }
  return id;
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

/** Builds a connection from one page of nodes; the caller knows whether another page follows. */
export const connectionOf = <T extends { id: string }>(
  page: T[],
  hasNextPage: boolean,
  totalCount: number,
  hasPreviousPage: boolean,
): TConnection<T> => {
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
};

/** Builds a connection from `first + 1` fetched rows (the extra row only tells whether a next page exists). */
export const toConnection = <T extends { id: string }>(
  rows: T[],
  first: number,
  totalCount: number,
  hasPreviousPage: boolean,
): TConnection<T> => connectionOf(rows.slice(0, first), rows.length > first, totalCount, hasPreviousPage);

export type TPageArgs = { first: number; after?: string | null };

type TFindManyArgs<TDelegate> = Prisma.Args<TDelegate, "findMany">;
/**
 * What a page asks of the model: which rows, in which order (ending in the id, so the order is total)
 * and which relations to include. `include` is a type parameter of its own, and `const`, so that
 * `{ owner: { select: { name: true } } }` keeps its `true` and the nodes' type carries the relation.
 */
type TPageQuery<TDelegate, TInclude> = {
  where?: TFindManyArgs<TDelegate>["where"];
  orderBy: TFindManyArgs<TDelegate>["orderBy"];
  // A model without relations has no `include` at all.
  include?: "include" extends keyof TFindManyArgs<TDelegate> ? TInclude : never;
};
type TPageInclude<TDelegate> = NonNullable<TFindManyArgs<TDelegate>["include"]>;
/** The row findMany returns for a query with this `include`. */
type TPageRow<TDelegate, TInclude> = Prisma.Result<TDelegate, { include: TInclude }, "findMany">[number];
/** Turns a delegate whose rows have another id type into a type error at the call site. */
type TWithIdOf<TDelegate, TId> = TDelegate &
  (TPageRow<TDelegate, never> extends { id: TId } ? unknown : { idTypeExpected: TId });

// Each call site's query is checked against its own delegate's types above; inside, the call goes
// through this loose shape.
type TLooseDelegate = {
  findMany: (args: object) => PromiseLike<unknown[]>;
  count: (args: object) => PromiseLike<number>;
};

const fetchPage = (delegate: unknown, query: { where?: unknown }, first: number, cursorId: unknown) => {
  const loose = delegate as TLooseDelegate;
  return Promise.all([
    loose.findMany({
      ...query,
      take: first + 1,
      ...(cursorId !== null ? { cursor: { id: cursorId }, skip: 1 } : {}),
    }),
    loose.count({ where: query.where }),
  ]);
};

/**
 * One keyset page of a model with a string id: the `first + 1` rows after the cursor and the count of
 * all rows matching `where`. `delegate` is the Prisma model delegate, e.g. `db.featureSet`.
 */
export const findConnectionPage = async <TDelegate, const TInclude extends TPageInclude<TDelegate> = never>(
  delegate: TWithIdOf<TDelegate, string>,
  query: TPageQuery<TDelegate, TInclude>,
  page: TPageArgs,
): Promise<TConnection<TPageRow<TDelegate, TInclude> & { id: string }>> => {
  const cursor = decodeUuidCursor(page.after);
  const [rows, totalCount] = await fetchPage(delegate, query, page.first, cursor);
  return toConnection(
    rows as (TPageRow<TDelegate, TInclude> & { id: string })[],
    page.first,
    totalCount,
    Boolean(cursor),
  );
};

/** The same for a model with a BigInt id (an identity column); the nodes carry the id as a string. */
export const findBigIntConnectionPage = async <
  TDelegate,
  const TInclude extends TPageInclude<TDelegate> = never,
>(
  delegate: TWithIdOf<TDelegate, bigint>,
  query: TPageQuery<TDelegate, TInclude>,
  page: TPageArgs,
): Promise<TConnection<Omit<TPageRow<TDelegate, TInclude>, "id"> & { id: string }>> => {
  const cursor = decodeCursor(page.after);
  // Identity columns are BIGINT: a longer digit string would overflow in the database.
  if (cursor !== null && !/^\d{1,18}$/.test(cursor)) {
    throw new AppError("BAD_USER_INPUT", "after: not a cursor returned by this API", { field: "after" });
  }
  const [rows, totalCount] = await fetchPage(
    delegate,
    query,
    page.first,
    cursor === null ? null : BigInt(cursor),
  );
  const withStringIds = (rows as (TPageRow<TDelegate, TInclude> & { id: bigint })[]).map((row) => ({
    ...row,
    id: row.id.toString(),
  }));
  return toConnection(withStringIds, page.first, totalCount, Boolean(cursor));
};
