import type { Metadata } from "next";
import { SearchConsole } from "./SearchConsole";

export const metadata: Metadata = { title: "Search" };
export const dynamic = "force-dynamic";

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const { q } = await searchParams;
  const initialQuery = (Array.isArray(q) ? q[0] : q)?.slice(0, 500) ?? "";
  return (
    <>
      <div className="page-header">
        <h1>Search</h1>
        <span className="muted">
          Typo-tolerant BM25F over the catalogue, fused with the embeddings; facets, filters and why each item
          ranks where it does
        </span>
      </div>
      <SearchConsole initialQuery={initialQuery} />
    </>
  );
}
