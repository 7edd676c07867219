"use client";

import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import {
  RECOMMEND_QUERY,
  type Recommendations,
  type RecommendedItem,
  type ServingModel,
  SIMILAR_QUERY,
  type Similar,
  SOURCE_LABELS,
  TRACK_MUTATION,
  type UserEvent,
} from "./queries";

/** The console's own: the filter form as typed (prices still text). */
type Filters = { category: string; priceMin: string; priceMax: string; excludeSeen: boolean };

const toFilter = (f: Filters) => {
  const filter: { categories?: string[]; priceMin?: number; priceMax?: number } = {};
  if (f.category) filter.categories = [f.category];
  if (f.priceMin.trim() !== "") filter.priceMin = Number(f.priceMin);
  if (f.priceMax.trim() !== "") filter.priceMax = Number(f.priceMax);
  return Object.keys(filter).length > 0 ? filter : null;
};

function ItemTable({
  items,
  testId,
  onClickItem,
  onSimilar,
}: {
  items: RecommendedItem[];
  testId: string;
  onClickItem?: (item: RecommendedItem) => void;
  onSimilar: (item: RecommendedItem) => void;
}) {
  if (items.length === 0) return <p className="empty">No items match.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th>#</th>
            <th>Item</th>
            <th>Category</th>
            <th className="num">Price</th>
            <th className="num">Score</th>
            <th>Why</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((item, rank) => (
            <tr key={item.itemId} data-item-id={item.itemId}>
              <td className="num">{rank + 1}</td>
              <td>
                <div className="strong">{item.title ?? item.itemId}</div>
                <div className="mono small muted">{item.itemId}</div>
                {item.fromNewItems ? (
                  <span
                    className="badge"
                    data-testid="new-item"
                    title="From the new-item share: nobody has interacted with it yet"
                  >
                    new item
                  </span>
                ) : null}
              </td>
              <td>{item.category ?? "—"}</td>
              <td className="num">{item.price === null ? "—" : item.price.toFixed(2)}</td>
              <td className="num">{item.score.toFixed(3)}</td>
              <td className="small" data-testid="reasons">
                {item.reasons.map((reason) => (
                  <div key={`${reason.kind}-${reason.itemId ?? reason.label}`}>{reason.label}</div>
                ))}
              </td>
              <td className="nowrap">
                {onClickItem ? (
                  <button type="button" className="button small primary" onClick={() => onClickItem(item)}>
                    Click
                  </button>
                ) : null}{" "}
                <button type="button" className="button small" onClick={() => onSimilar(item)}>
                  Similar
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Playground({ models }: { models: ServingModel[] }) {
  const [modelName, setModelName] = useState(models[0]!.name);
  const model = models.find((m) => m.name === modelName) ?? models[0]!;
  const [userInput, setUserInput] = useState(model.sampleUserIds[0] ?? "new-shopper-1");
  const [userId, setUserId] = useState(userInput);
  const [filters, setFilters] = useState<Filters>({
    category: "",
    priceMin: "",
    priceMax: "",
    excludeSeen: true,
  });
  const [recs, setRecs] = useState<Recommendations | null>(null);
  const [events, setEvents] = useState<UserEvent[]>([]);
  const [similar, setSimilar] = useState<Similar | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    setPending(true);
    try {
      const data = await clientGql(RECOMMEND_QUERY, {
        userId,
        first: 10,
        filter: toFilter(filters),
        excludeSeen: filters.excludeSeen,
        model: modelName,
      });
      setRecs(data.recommend);
      setEvents(data.userEvents);
      setError(null);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }, [userId, filters, modelName]);

  useEffect(() => {
    void load();
  }, [load]);

  const onUser = (event: FormEvent) => {
    event.preventDefault();
    const next = userInput.trim();
    if (next) setUserId(next);
  };

  const onClickItem = async (item: RecommendedItem) => {
    try {
      const result = await clientGql(TRACK_MUTATION, {
        events: [{ userId, itemId: item.itemId, type: "click" }],
      });
      if (result.trackEvents.errors.length > 0) {
        setError({
          code: "BAD_USER_INPUT",
          message: result.trackEvents.errors.map((e) => e.message).join("; "),
        });
        return;
      }
      await load();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  const onSimilar = async (item: RecommendedItem) => {
    try {
      const data = await clientGql(SIMILAR_QUERY, {
        itemId: item.itemId,
        model: modelName,
      });
      setSimilar(data.similarItems);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  return (
    <div className="form-stack">
      <section className="panel">
        <form className="toolbar" onSubmit={onUser} aria-label="Choose a user">
          {models.length > 1 ? (
            <select value={modelName} onChange={(e) => setModelName(e.target.value)} aria-label="Model">
              {models.map((m) => (
                <option key={m.id} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          ) : null}
          <input
            list="playground-users"
            value={userInput}
            onChange={(e) => setUserInput(e.target.value)}
            aria-label="User id"
            placeholder="user id (a new id starts with no history)"
          />
          <datalist id="playground-users">
            {model.sampleUserIds.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
          <button type="submit" className="button primary">
            Recommend
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              const fresh = `new-shopper-${Date.now().toString(36)}`;
              setUserInput(fresh);
              setUserId(fresh);
            }}
          >
            New user
          </button>
        </form>
        <fieldset className="toolbar" aria-label="Filters">
          <select
            value={filters.category}
            onChange={(e) => setFilters({ ...filters, category: e.target.value })}
            aria-label="Category"
            disabled={model.categories.length === 0}
          >
            <option value="">All categories</option>
            {model.categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <input
            type="number"
            min={0}
            value={filters.priceMin}
            onChange={(e) => setFilters({ ...filters, priceMin: e.target.value })}
            aria-label="Minimum price"
            placeholder="min price"
          />
          <input
            type="number"
            min={0}
            value={filters.priceMax}
            onChange={(e) => setFilters({ ...filters, priceMax: e.target.value })}
            aria-label="Maximum price"
            placeholder="max price"
          />
          <label className="toolbar-label">
            <input
              type="checkbox"
              checked={filters.excludeSeen}
              onChange={(e) => setFilters({ ...filters, excludeSeen: e.target.checked })}
            />{" "}
            exclude seen
          </label>
        </fieldset>
      </section>

      {error ? <ErrorBox error={error} /> : null}

      {recs ? (
        <section className="panel" aria-busy={pending}>
          <h2>
            For <span className="mono">{recs.userId}</span>
          </h2>
          <p className="muted" data-testid="answer-facts">
            Answered by{" "}
            <strong data-testid="answer-model">{`${recs.model.name} v${recs.model.version}`}</strong> (
            {recs.model.algorithm}) via{" "}
            <strong data-testid="answer-source">{SOURCE_LABELS[recs.source] ?? recs.source}</strong>
            {recs.segment ? (
              <>
                {" "}
                (<span data-testid="answer-segment">{recs.segment.name}</span>)
              </>
            ) : null}
            , from {recs.historyLength} history items.
          </p>
          <ItemTable
            items={recs.items}
            testId="recommendations"
            onClickItem={onClickItem}
            onSimilar={onSimilar}
          />
        </section>
      ) : null}

      <section className="panel">
        <h2>Recent events</h2>
        {events.length === 0 ? (
          <p className="empty">No tracked events for this user yet: click an item above.</p>
        ) : (
          <ul data-testid="recent-events">
            {events.map((e) => (
              <li key={`${e.itemId}-${e.ts}`}>
                {e.type} <span className="strong">{e.title ?? e.itemId}</span>{" "}
                <span className="muted small">{formatTime(e.ts)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {similar ? (
        <section className="panel">
          <h2>
            Similar to <span className="mono">{similar.itemId}</span>
          </h2>
          <ItemTable items={similar.items} testId="similar-items" onSimilar={onSimilar} />
        </section>
      ) : null}
    </div>
  );
}
