"use client";

import { type FormEvent, Fragment, type ReactNode, useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { enumValue } from "@/lib/enum-value";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import {
  ANALYTICS_QUERY,
  SEARCH_QUERY,
  type SearchAnalytics,
  type SearchFacet,
  type SearchHit,
  type SearchResult,
  SearchSort,
  type SearchSuggestion,
  SUGGEST_QUERY,
  TRACK_CLICK,
} from "./queries";
import { SearchRules } from "./SearchRules";
import { SearchVocabulary } from "./SearchVocabulary";
import styles from "./search.module.css";

const PAGE = 20;
/** The shopper id the console's clicks are tracked under. */
const CONSOLE_USER = "console-search";

/** The console's own: the facet values ticked, by field. */
type Selected = Record<string, string[]>;

const PLACED = { PIN: "pinned", BOOST: "boosted", BURY: "buried" } as const;

/** The text with the [start, end) ranges wrapped in <mark>. */
function Marked({ text, ranges }: { text: string; ranges: number[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = ranges[i]!;
    const end = ranges[i + 1]!;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function Why({ hit }: { hit: SearchHit }) {
  return (
    <div className={styles.why} data-testid="why">
      <div>
        Rank {hit.rank}: fused score {hit.score.toFixed(4)} · lexical rank {hit.lexicalRank ?? "—"} (BM25F{" "}
        {hit.lexicalScore.toFixed(3)}) · semantic rank {hit.semanticRank ?? "—"}
        {hit.semanticScore !== null ? ` (cosine ${hit.semanticScore.toFixed(3)})` : ""}
      </div>
      {hit.personalization ? (
        <div data-testid="why-personal">
          Personalised: affinity {hit.personalization.affinity.toFixed(2)}, score{" "}
          {hit.personalization.scoreDelta >= 0 ? "+" : ""}
          {hit.personalization.scoreDelta.toFixed(4)}; rank {hit.personalization.baseRank} without it (
          {hit.personalization.rankDelta > 0
            ? `up ${hit.personalization.rankDelta}`
            : hit.personalization.rankDelta < 0
              ? `down ${-hit.personalization.rankDelta}`
              : "unmoved"}
          ).
        </div>
      ) : null}
      {hit.placement ? (
        <div data-testid="why-placement">
          Moved by merchandising rule <span className="mono small">{hit.placement.ruleId}</span> (
          {hit.placement.action.toLowerCase()}): relevance orders items only within its tier.
        </div>
      ) : null}
      {hit.matches.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Query word</th>
              <th>Matched</th>
              <th>How</th>
              <th>Fields</th>
              <th>Score</th>
            </tr>
          </thead>
          <tbody>
            {hit.matches.map((m) => (
              <tr key={m.queryWord}>
                <td className="mono">{m.queryWord}</td>
                <td className="mono">{m.matched}</td>
                <td>{m.kind === "typo" ? `${m.typos} typo${m.typos > 1 ? "s" : ""}` : m.kind}</td>
                <td>{m.fields.join(", ")}</td>
                <td className="num">{m.score.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className="muted">No query word matched: found by the embeddings alone.</div>
      )}
    </div>
  );
}

function Facets({
  facets,
  selected,
  onToggle,
}: {
  facets: SearchFacet[];
  selected: Selected;
  onToggle: (field: string, value: string) => void;
}) {
  return (
    <div data-testid="facets">
      {facets
        .filter((facet) => facet.values.length > 0)
        .map((facet) => (
          <div key={facet.field} className={styles.facet}>
            <h3>{facet.field.replaceAll("_", " ")}</h3>
            {facet.values.slice(0, 8).map((v) => (
              <label key={v.value}>
                <input
                  type="checkbox"
                  checked={selected[facet.field]?.includes(v.value) ?? false}
                  onChange={() => onToggle(facet.field, v.value)}
                />
                {v.value}
                <span className={styles.count}>{v.count}</span>
              </label>
            ))}
          </div>
        ))}
    </div>
  );
}

export function SearchConsole({ initialQuery = "" }: { initialQuery?: string }) {
  const [text, setText] = useState(initialQuery);
  const [query, setQuery] = useState(initialQuery.trim());
  const [sort, setSort] = useState<SearchSort>(SearchSort.Relevance);
  const [shopperText, setShopperText] = useState("");
  const [shopper, setShopper] = useState("");
  const [priceMin, setPriceMin] = useState("");
  const [priceMax, setPriceMax] = useState("");
  const [selected, setSelected] = useState<Selected>({});
  const [result, setResult] = useState<SearchResult | null>(null);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [facetKinds, setFacetKinds] = useState<Record<string, string>>({});
  const [suggestions, setSuggestions] = useState<SearchSuggestion[]>([]);
  const [analytics, setAnalytics] = useState<SearchAnalytics | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [pending, setPending] = useState(false);

  const filterOf = useCallback(() => {
    const filter: Record<string, unknown> = {};
    const attributes: { field: string; values: string[] }[] = [];
    for (const [field, values] of Object.entries(selected)) {
      if (values.length === 0) continue;
      const kind = facetKinds[field];
      if (kind === "category") filter.categories = values;
      else if (kind === "brand") filter.brands = values;
      else attributes.push({ field, values });
    }
    if (attributes.length > 0) filter.attributes = attributes;
    if (priceMin.trim() !== "") filter.priceMin = Number(priceMin);
    if (priceMax.trim() !== "") filter.priceMax = Number(priceMax);
    return Object.keys(filter).length > 0 ? filter : null;
  }, [selected, facetKinds, priceMin, priceMax]);

  const loadAnalytics = useCallback(async () => {
    try {
      setAnalytics((await clientGql(ANALYTICS_QUERY)).searchAnalytics);
    } catch {
      // Analytics are a side panel; the search itself reports its errors.
    }
  }, []);

  const run = useCallback(
    async (after: string | null) => {
      if (query.trim() === "") return;
      setPending(true);
      setError(null);
      try {
        const data = await clientGql(SEARCH_QUERY, {
          q: query,
          first: PAGE,
          after,
          filter: filterOf(),
          sort,
          userId: shopper === "" ? null : shopper,
        });
        setResult(data.search);
        setHits((previous) => (after ? [...previous, ...data.search.hits] : data.search.hits));
        setFacetKinds((kinds) => ({
          ...kinds,
          ...Object.fromEntries(data.search.facets.map((f) => [f.field, f.kind])),
        }));
        if (!after) void loadAnalytics();
      } catch (caught) {
        setError(toErrorInfo(caught));
      } finally {
        setPending(false);
      }
    },
    [query, sort, shopper, filterOf, loadAnalytics],
  );

  useEffect(() => {
    void run(null);
  }, [run]);

  useEffect(() => {
    void loadAnalytics();
  }, [loadAnalytics]);

  useEffect(() => {
    if (text.trim().length < 2 || text === query) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      clientGql(SUGGEST_QUERY, { prefix: text })
        .then((data) => setSuggestions(data.suggest))
        .catch(() => setSuggestions([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [text, query]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSelected({});
    setQuery(text.trim());
    setShopper(shopperText.trim());
    setSuggestions([]);
  };

  const toggle = (field: string, value: string) =>
    setSelected((current) => {
      const values = current[field] ?? [];
      return {
        ...current,
        [field]: values.includes(value) ? values.filter((v) => v !== value) : [...values, value],
      };
    });

  const click = async (hit: SearchHit) => {
    setOpen(open === hit.itemId ? null : hit.itemId);
    if (!result) return;
    try {
      await clientGql(TRACK_CLICK, {
        events: [{ userId: CONSOLE_USER, itemId: hit.itemId, type: "click", searchId: result.searchId }],
      });
      void loadAnalytics();
    } catch (caught) {
      setError(toErrorInfo(caught));
    }
  };

  return (
    <div className="form-stack">
      <section className="panel">
        <form className="toolbar" onSubmit={submit} aria-label="Search the catalogue">
          <input
            className={styles.box}
            type="search"
            list="search-suggestions"
            placeholder="Search products: try a typo or a plural"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-label="Query"
            data-testid="search-box"
          />
          <datalist id="search-suggestions">
            {suggestions.map((s) => (
              <option key={`${s.source}-${s.text}`} value={s.text}>
                {s.source === "queries" ? `searched ${s.count}x` : `${s.count} items`}
              </option>
            ))}
          </datalist>
          <button type="submit" className="button primary">
            Search
          </button>
          <label className="toolbar-label" htmlFor="search-sort">
            Sort
          </label>
          <select
            id="search-sort"
            value={sort}
            onChange={(e) => setSort(enumValue(SearchSort, e.target.value) ?? SearchSort.Relevance)}
          >
            <option value="RELEVANCE">Relevance</option>
            <option value="PRICE_ASC">Price, low to high</option>
            <option value="PRICE_DESC">Price, high to low</option>
          </select>
          <label className="toolbar-label" htmlFor="search-shopper">
            As shopper
          </label>
          <input
            id="search-shopper"
            size={10}
            placeholder="user id"
            value={shopperText}
            onChange={(e) => setShopperText(e.target.value)}
          />
          <label className="toolbar-label" htmlFor="price-min">
            Price
          </label>
          <input
            id="price-min"
            inputMode="decimal"
            size={6}
            placeholder="min"
            value={priceMin}
            onChange={(e) => setPriceMin(e.target.value)}
          />
          <input
            inputMode="decimal"
            size={6}
            placeholder="max"
            aria-label="Highest price"
            value={priceMax}
            onChange={(e) => setPriceMax(e.target.value)}
          />
        </form>
        {error ? <ErrorBox error={error} title="The search failed" /> : null}
      </section>
      {result ? (
        <div className={styles.layout}>
          <aside className="panel">
            <Facets facets={result.facets} selected={selected} onToggle={toggle} />
          </aside>
          <section className="panel" aria-busy={pending}>
            <p className="muted" data-testid="search-facts">
              {result.total.toLocaleString("en")} items for <span className="strong">{result.query}</span> ·{" "}
              {result.backend} · index <span className="mono small">{result.indexVersion}</span>
              {result.unmatchedWords.length > 0 ? ` · no match for: ${result.unmatchedWords.join(", ")}` : ""}
              {result.personalization
                ? ` · personalised for ${result.personalization.userId}${
                    result.personalization.segmentName ? ` (${result.personalization.segmentName})` : ""
                  } by ${result.personalization.signals.join(" and ")}, weight ${result.personalization.weight}`
                : shopper !== ""
                  ? ` · not personalised: no READY profile knows ${shopper}`
                  : ""}
            </p>
            {hits.length === 0 ? <p className="empty">No items match.</p> : null}
            <div data-testid="search-hits">
              {hits.map((hit) => {
                const title = hit.highlights.find((h) => h.field === "title");
                const others = hit.highlights.filter((h) => h.field !== "title" && h.field !== "item_id");
                return (
                  <div key={hit.itemId} className={styles.hit} data-item-id={hit.itemId}>
                    <div>
                      <span className="muted small">{hit.rank}. </span>
                      <button type="button" className={styles.hitTitle} onClick={() => void click(hit)}>
                        {title ? (
                          <Marked text={title.text} ranges={title.ranges} />
                        ) : (
                          (hit.title ?? hit.itemId)
                        )}
                      </button>{" "}
                      <span className="mono small muted">{hit.itemId}</span>
                      {hit.placement ? (
                        <span className={styles.placement} data-testid="placement">
                          {" "}
                          {PLACED[hit.placement.action]}
                        </span>
                      ) : null}
                    </div>
                    {others.slice(0, 2).map((h) => (
                      <div key={h.field} className="small">
                        <span className="muted">{h.field}: </span>
                        <Marked text={h.text} ranges={h.ranges} />
                      </div>
                    ))}
                    {open === hit.itemId ? <Why hit={hit} /> : null}
                  </div>
                );
              })}
            </div>
            {result.hasNextPage ? (
              <button
                type="button"
                className="button"
                disabled={pending}
                onClick={() => void run(result.endCursor)}
              >
                More
              </button>
            ) : null}
          </section>
        </div>
      ) : null}
      <SearchRules initialQuery={query} onChange={() => void run(null)} />
      <SearchVocabulary onChange={() => void run(null)} />
      {analytics ? (
        <section className="panel" data-testid="search-analytics">
          <h2>
            Search analytics{" "}
            <span className="muted small">
              {analytics.totalSearches} searches · {analytics.totalClicks} clicks
            </span>
          </h2>
          <div className={styles.layout}>
            <div>
              <h3>Zero results</h3>
              {analytics.zeroResultQueries.length === 0 ? <p className="empty">None.</p> : null}
              {analytics.zeroResultQueries.map((q) => (
                <div key={q.query} className="small">
                  {q.query} <span className="muted">×{q.searches}</span>
                </div>
              ))}
            </div>
            <table className="table">
              <thead>
                <tr>
                  <th>Top query</th>
                  <th className="num">Searches</th>
                  <th className="num">Clicks</th>
                  <th className="num">CTR</th>
                </tr>
              </thead>
              <tbody>
                {analytics.topQueries.map((q) => (
                  <Fragment key={q.query}>
                    <tr>
                      <td>{q.query}</td>
                      <td className="num">{q.searches}</td>
                      <td className="num">{q.clicks}</td>
                      <td className="num">{(q.clickThrough * 100).toFixed(0)}%</td>
                    </tr>
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
