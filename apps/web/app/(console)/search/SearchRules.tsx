"use client";

import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { enumValue } from "@/lib/enum-value";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import {
  CREATE_RULE,
  DELETE_RULE,
  RULES_QUERY,
  type SearchRule,
  SearchRuleAction,
  SearchRuleMatch,
  SearchRuleTarget,
} from "./queries";

/** The console's own: the add-rule form as typed, dates still datetime-local strings. */
type Draft = {
  query: string;
  match: SearchRuleMatch;
  action: SearchRuleAction;
  target: SearchRuleTarget;
  value: string;
  startsAt: string;
  endsAt: string;
};
const EMPTY: Draft = {
  query: "",
  match: SearchRuleMatch.Exact,
  action: SearchRuleAction.Pin,
  target: SearchRuleTarget.Item,
  value: "",
  startsAt: "",
  endsAt: "",
};

/** A datetime-local value as an ISO instant, or null when empty. */
const instant = (local: string) => (local.trim() === "" ? null : new Date(local).toISOString());

/** Merchandising rules: list, add, delete. `onChange` runs after a change so the results refresh. */
export function SearchRules({ onChange, initialQuery }: { onChange: () => void; initialQuery: string }) {
  const [rules, setRules] = useState<SearchRule[]>([]);
  const [totalCount, setTotalCount] = useState(0);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [pending, setPending] = useState(false);

  /** The first page (after a change), or the page after `after` appended to the list shown. */
  const load = useCallback(async (after: string | null = null) => {
    try {
      const page = (await clientGql(RULES_QUERY, { after })).searchRules;
      const nodes = page.edges.map((edge) => edge.node);
      setRules((shown) => (after ? [...shown, ...nodes] : nodes));
      setTotalCount(page.totalCount);
      setNextCursor(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
    } catch (caught) {
      setError(toErrorInfo(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    setDraft((d) => (d.query === "" ? { ...d, query: initialQuery } : d));
  }, [initialQuery]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await clientGql(CREATE_RULE, {
        input: {
          query: draft.query,
          match: draft.match,
          action: draft.action,
          target: draft.target,
          value: draft.value,
          startsAt: instant(draft.startsAt),
          endsAt: instant(draft.endsAt),
        },
      });
      setDraft({ ...EMPTY, query: draft.query });
      await load();
      onChange();
    } catch (caught) {
      setError(toErrorInfo(caught));
    } finally {
      setPending(false);
    }
  };

  const remove = async (id: string) => {
    setError(null);
    try {
      await clientGql(DELETE_RULE, { id });
      await load();
      onChange();
    } catch (caught) {
      setError(toErrorInfo(caught));
    }
  };

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <section className="panel" data-testid="search-rules">
      <h2>Merchandising rules</h2>
      <form className="toolbar" onSubmit={(e) => void submit(e)} aria-label="Add a merchandising rule">
        <select
          aria-label="Rule action"
          value={draft.action}
          onChange={(e) => set("action", enumValue(SearchRuleAction, e.target.value) ?? EMPTY.action)}
        >
          <option value="PIN">Pin</option>
          <option value="BOOST">Boost</option>
          <option value="BURY">Bury</option>
        </select>
        <select
          aria-label="Rule target"
          value={draft.target}
          onChange={(e) => set("target", enumValue(SearchRuleTarget, e.target.value) ?? EMPTY.target)}
        >
          <option value="ITEM">item</option>
          <option value="CATEGORY">category</option>
        </select>
        <input
          aria-label="Item id or category"
          placeholder={draft.target === "ITEM" ? "item id" : "category"}
          value={draft.value}
          onChange={(e) => set("value", e.target.value)}
        />
        <span className="toolbar-label">for queries</span>
        <select
          aria-label="Rule match"
          value={draft.match}
          onChange={(e) => set("match", enumValue(SearchRuleMatch, e.target.value) ?? EMPTY.match)}
        >
          <option value="EXACT">equal to</option>
          <option value="CONTAINS">containing</option>
        </select>
        <input
          aria-label="Rule query"
          placeholder="query"
          value={draft.query}
          onChange={(e) => set("query", e.target.value)}
        />
        <label className="toolbar-label">
          from{" "}
          <input
            type="datetime-local"
            aria-label="Rule start"
            value={draft.startsAt}
            onChange={(e) => set("startsAt", e.target.value)}
          />
        </label>
        <label className="toolbar-label">
          until{" "}
          <input
            type="datetime-local"
            aria-label="Rule end"
            value={draft.endsAt}
            onChange={(e) => set("endsAt", e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" disabled={pending}>
          Add rule
        </button>
      </form>
      {error ? <ErrorBox error={error} title="The rule was not saved" /> : null}
      {rules.length === 0 ? (
        <p className="empty">No rules: results are ranked by relevance alone.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Query</th>
              <th>Action</th>
              <th>Target</th>
              <th>Window</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id} data-rule-id={rule.id}>
                <td>
                  {rule.match === "EXACT" ? "= " : "⊃ "}
                  {rule.query}
                </td>
                <td>{rule.action.toLowerCase()}</td>
                <td>
                  {rule.target.toLowerCase()} <span className="mono small">{rule.value}</span>
                </td>
                <td className="small">
                  {rule.startsAt ? new Date(rule.startsAt).toLocaleString("en") : "always"} –{" "}
                  {rule.endsAt ? new Date(rule.endsAt).toLocaleString("en") : "no end"}
                  {rule.active ? "" : " (inactive now)"}
                </td>
                <td>
                  <button type="button" className="button" onClick={() => void remove(rule.id)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rules.length > 0 ? (
        <div className="toolbar">
          <span className="muted">
            Showing {rules.length} of {totalCount} rules.
          </span>
          {nextCursor ? (
            <button type="button" className="button" onClick={() => void load(nextCursor)}>
              Load more
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
