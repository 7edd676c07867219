"use client";

import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import {
  ADD_STOP_WORD,
  CREATE_SYNONYM,
  DELETE_SYNONYM,
  REMOVE_STOP_WORD,
  type SearchVocabulary as TVocabulary,
  VOCABULARY_QUERY,
} from "./queries";

/** Synonym groups and stop words: list, add, delete. `onChange` runs after a change so results refresh. */
export function SearchVocabulary({ onChange }: { onChange: () => void }) {
  const [vocabulary, setVocabulary] = useState<TVocabulary | null>(null);
  const [synonymDraft, setSynonymDraft] = useState("");
  const [stopDraft, setStopDraft] = useState("");
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    try {
      setVocabulary((await clientGql(VOCABULARY_QUERY)).searchVocabulary);
    } catch (caught) {
      setError(toErrorInfo(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs one vocabulary mutation, then reloads the vocabulary and tells the page. */
  const change = async (mutate: () => Promise<unknown>, after?: () => void) => {
    setPending(true);
    setError(null);
    try {
      await mutate();
      after?.();
      await load();
      onChange();
    } catch (caught) {
      setError(toErrorInfo(caught));
    } finally {
      setPending(false);
    }
  };

  const addSynonyms = (event: FormEvent) => {
    event.preventDefault();
    const words = synonymDraft
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
    void change(
      () => clientGql(CREATE_SYNONYM, { words }),
      () => setSynonymDraft(""),
    );
  };

  const addStopWord = (event: FormEvent) => {
    event.preventDefault();
    void change(
      () => clientGql(ADD_STOP_WORD, { word: stopDraft.trim() }),
      () => setStopDraft(""),
    );
  };

  return (
    <section className="panel" data-testid="search-vocabulary">
      <h2>Synonyms and stop words</h2>
      <p className="small muted">
        Applied to every catalogue&apos;s index: a change rebuilds the indexes before the next search.
      </p>
      {error ? <ErrorBox error={error} title="The vocabulary was not changed" /> : null}
      <h3>Synonyms</h3>
      <form className="toolbar" onSubmit={addSynonyms} aria-label="Add a synonym group">
        <input
          aria-label="Synonym words"
          placeholder="words that mean the same, comma-separated (sofa, couch, settee)"
          value={synonymDraft}
          onChange={(e) => setSynonymDraft(e.target.value)}
          style={{ minWidth: 360 }}
        />
        <button type="submit" className="button primary" disabled={pending || synonymDraft.trim() === ""}>
          Add synonyms
        </button>
      </form>
      {vocabulary && vocabulary.synonyms.length === 0 ? (
        <p className="empty">No synonyms: each word finds only itself, its plural and its typos.</p>
      ) : (
        <table className="table">
          <tbody>
            {vocabulary?.synonyms.map((group) => (
              <tr key={group.id} data-synonym-id={group.id}>
                <td>{group.words.join(" = ")}</td>
                <td style={{ width: 1 }}>
                  <button
                    type="button"
                    className="button"
                    disabled={pending}
                    onClick={() => void change(() => clientGql(DELETE_SYNONYM, { id: group.id }))}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Stop words</h3>
      <form className="toolbar" onSubmit={addStopWord} aria-label="Add a stop word">
        <input
          aria-label="Stop word"
          placeholder="a word to ignore"
          value={stopDraft}
          onChange={(e) => setStopDraft(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={pending || stopDraft.trim() === ""}>
          Add stop word
        </button>
      </form>
      <p className="small">
        {vocabulary?.stopWords.length ? (
          vocabulary.stopWords.map(({ word }) => (
            <button
              key={word}
              type="button"
              className="button"
              title={`Stop ignoring "${word}"`}
              aria-label={`Remove stop word ${word}`}
              disabled={pending}
              onClick={() => void change(() => clientGql(REMOVE_STOP_WORD, { word }))}
              style={{ marginRight: 6 }}
            >
              {word} ×
            </button>
          ))
        ) : (
          <span className="empty">No stop words of your own.</span>
        )}
      </p>
      {vocabulary ? (
        <p className="small muted">Always ignored (English): {vocabulary.defaultStopWords.join(", ")}</p>
      ) : null}
    </section>
  );
}
