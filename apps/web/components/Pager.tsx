import Link from "next/link";

/** Where a page of a connection is, in the URL: its cursor and the cursors of the pages before it. */
export type PagePosition = { after?: string; prev: string[] };

/**
 * Links of a cursor pager kept in the URL, for server-rendered lists. `prev` is the stack of the
 * earlier pages' `after` cursors ("" for the first page), so Previous needs no backward cursor.
 */
export function pagerLinks(
  hrefOf: (position: PagePosition) => string,
  { after, prev }: PagePosition,
  pageInfo: { hasNextPage: boolean; endCursor?: string | null },
): { pageNumber: number; previousHref?: string; nextHref?: string } {
  return {
    pageNumber: after ? prev.length + 1 : 1,
    previousHref: after ? hrefOf({ after: prev[prev.length - 1], prev: prev.slice(0, -1) }) : undefined,
    nextHref:
      pageInfo.hasNextPage && pageInfo.endCursor
        ? hrefOf({ after: pageInfo.endCursor, prev: after ? [...prev, after] : [""] })
        : undefined,
  };
}

/** Appends a page position to URL search params (after the list's own filters). */
export function appendPagePosition(params: URLSearchParams, { after, prev }: PagePosition): URLSearchParams {
  if (after) params.set("after", after);
  for (const cursor of prev) params.append("prev", cursor);
  return params;
}

/** Previous / page number / Next, as links (a disabled button where there is no such page). */
export function Pager({
  pageNumber,
  previousHref,
  nextHref,
}: {
  pageNumber: number;
  previousHref?: string;
  nextHref?: string;
}) {
  return (
    <nav className="pager" aria-label="Pagination">
      {previousHref ? (
        <Link href={previousHref} className="button">
          ← Previous
        </Link>
      ) : (
        <span className="button disabled" aria-disabled="true">
          ← Previous
        </span>
      )}
      <span className="muted">Page {pageNumber}</span>
      {nextHref ? (
        <Link href={nextHref} className="button">
          Next →
        </Link>
      ) : (
        <span className="button disabled" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}
