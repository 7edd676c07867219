import type { Metadata } from "next";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { Playground } from "./Playground";
import { SERVING_MODELS_QUERY } from "./queries";

export const metadata: Metadata = { title: "Search & Recommend" };
export const dynamic = "force-dynamic";

export default async function PlaygroundPage() {
  const result = await tryGql(SERVING_MODELS_QUERY);
  return (
    <>
      <div className="page-header">
        <h1>Search &amp; Recommend</h1>
        <span className="muted">Ask the ACTIVE model, click items, watch the answer change</span>
      </div>
      {/* Searching opens the search page on the query: its results, facets and why-this-rank. */}
      <form className="panel toolbar" action="/search" method="get" aria-label="Search the catalogue">
        <input
          type="search"
          name="q"
          required
          maxLength={500}
          placeholder="Search products"
          aria-label="Search query"
          data-testid="playground-search-box"
        />
        <button type="submit" className="button primary">
          Search
        </button>
      </form>
      {!result.ok ? (
        <ErrorBox error={result.error} title="Could not read the serving models" />
      ) : result.data.servingModels.length === 0 ? (
        <div className="notice" data-testid="no-active-model">
          No model is ACTIVE yet. Train one and promote it on the Models page; every API process loads it as
          soon as it is promoted.
        </div>
      ) : (
        <Playground models={result.data.servingModels} />
      )}
    </>
  );
}
