"use client";

import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { SelectField, type SelectOption } from "@/components/SelectField";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { enumValue } from "@/lib/enum-value";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { SimilarityBasis } from "@/lib/generated/gql/graphql";
import { uploadFile } from "@/lib/upload-file";
import styles from "./images.module.css";
import {
  EMBED_IMAGES,
  type EmbeddingSetSummary,
  IMAGE_SET_QUERY,
  IMAGE_SETS_QUERY,
  IMPORT_IMAGES,
  type ImageJob,
  type ImageSetDetail,
  type ImageSetSummary,
  JOB_QUERY,
  type Match,
  type Matches,
  SEARCH_BY_IMAGE,
  SIMILAR_QUERY,
} from "./queries";

const POLL_MS = 1000;
const FINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

/** Polls a job until it ends; `onEnd` gets the final state. */
function useJob(job: ImageJob | null, onEnd: (job: ImageJob) => void) {
  const [current, setCurrent] = useState<ImageJob | null>(job);
  useEffect(() => {
    setCurrent(job);
    if (!job) return undefined;
    let stop = false;
    const poll = async () => {
      while (!stop) {
        const { job: next } = await clientGql(JOB_QUERY, { id: job.id });
        if (!next) throw new Error(`Job ${job.id} is no longer known to the API`);
        setCurrent(next);
        if (FINAL.has(next.status)) {
          onEnd(next);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    poll().catch(() => undefined);
    return () => {
      stop = true;
    };
  }, [job, onEnd]);
  return current;
}

function JobLine({ label, job }: { label: string; job: ImageJob | null }) {
  if (!job) return null;
  return (
    <div className={styles.row} data-testid={`job-${label}`}>
      <span>{label}</span>
      <StatusBadge status={job.status} />
      <span className="progress-col">
        <ProgressBar value={job.progress} label={`${label} progress`} />
      </span>
      <span className="muted">{job.error ?? job.message ?? ""}</span>
    </div>
  );
}

function Tiles({
  items,
  selected,
  onPick,
  testId,
}: {
  items: { itemId: string; thumbnail: string | null; caption?: string }[];
  selected?: string | null;
  onPick?: (itemId: string) => void;
  testId: string;
}) {
  return (
    <div className={styles.gallery} data-testid={testId}>
      {items.map((item) => (
        <button
          key={item.itemId}
          type="button"
          className={`${styles.tile} ${item.itemId === selected ? styles.selected : ""}`}
          onClick={() => onPick?.(item.itemId)}
          data-item={item.itemId}
        >
          {item.thumbnail ? (
            // biome-ignore lint/performance/noImgElement: data: URL thumbnails from the API, nothing to optimise
            <img className={styles.thumb} src={item.thumbnail} alt={item.itemId} />
          ) : (
            <span className={styles.thumb}>no picture</span>
          )}
          <span className={styles.caption} title={item.caption ?? item.itemId}>
            {item.itemId}
          </span>
          {item.caption ? <span className={`${styles.caption} muted`}>{item.caption}</span> : null}
        </button>
      ))}
    </div>
  );
}

const matchTiles = (items: Match[]) =>
  items.map((m) => ({
    itemId: m.itemId,
    thumbnail: m.thumbnail,
    caption: `${m.title ?? ""} ${m.score.toFixed(3)}`.trim(),
  }));

export function ImagesPanel({ catalogs }: { catalogs: SelectOption[] }) {
  const [versionId, setVersionId] = useState(catalogs[0]?.value ?? "");
  const [sets, setSets] = useState<ImageSetSummary[]>([]);
  const [embeddings, setEmbeddings] = useState<EmbeddingSetSummary[]>([]);
  const [setId, setSetId] = useState("");
  const [detail, setDetail] = useState<ImageSetDetail | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [pathColumn, setPathColumn] = useState("");
  const [importJob, setImportJob] = useState<ImageJob | null>(null);
  const [embedJob, setEmbedJob] = useState<ImageJob | null>(null);
  const [modelId, setModelId] = useState("");
  const [item, setItem] = useState<string | null>(null);
  const [by, setBy] = useState<SimilarityBasis>(SimilarityBasis.Image);
  const [neighbours, setNeighbours] = useState<Matches | null>(null);
  const [query, setQuery] = useState<File | null>(null);
  const [found, setFound] = useState<Matches | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  const refresh = useCallback(async () => {
    if (!versionId) return;
    try {
      const data = await clientGql(IMAGE_SETS_QUERY, { v: versionId });
      const list = data.imageSets.edges.map((e) => e.node);
      setSets(list);
      setEmbeddings(data.embeddingSets.edges.map((e) => e.node));
      setSetId((current) =>
        list.some((s) => s.id === current) ? current : (list.find((s) => s.status === "READY")?.id ?? ""),
      );
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }, [versionId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setDetail(null);
    setItem(null);
    setNeighbours(null);
    if (!setId) return;
    clientGql(IMAGE_SET_QUERY, { id: setId }).then(
      (data) => setDetail(data.imageSet),
      (e: unknown) => setError(toErrorInfo(e)),
    );
  }, [setId]);

  useEffect(() => {
    setNeighbours(null);
    if (!item) return;
    clientGql(SIMILAR_QUERY, { item, by }).then(
      (data) => setNeighbours(data.similarItemsBy),
      (e: unknown) => setError(toErrorInfo(e)),
    );
  }, [item, by]);

  const importEnded = useCallback(
    (job: ImageJob) => {
      void refresh();
      if (job.status === "COMPLETED" && job.outputIds[0]) setSetId(job.outputIds[0]);
    },
    [refresh],
  );
  const importState = useJob(importJob, importEnded);
  const embedState = useJob(
    embedJob,
    useCallback(() => void refresh(), [refresh]),
  );

  const startImport = async () => {
    setError(null);
    try {
      const uploadIds: string[] = [];
      for (const file of files) uploadIds.push(await uploadFile(file));
      const data = await clientGql(IMPORT_IMAGES, {
        input: {
          catalogVersionId: versionId,
          uploadIds,
          pathColumn: pathColumn.trim() === "" ? null : pathColumn.trim(),
        },
      });
      setImportJob(data.importImages);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  const startEmbed = async () => {
    setError(null);
    try {
      const data = await clientGql(EMBED_IMAGES, {
        s: setId,
        m: modelId.trim() === "" ? null : modelId.trim(),
      });
      setEmbedJob(data.embedImages);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  const search = async () => {
    if (!query) return;
    setError(null);
    setFound(null);
    try {
      const uploadId = await uploadFile(query);
      const imageEmbeddings = embeddings.find(
        (e) => e.modality === "image" && e.status === "READY" && e.imageSetId === setId,
      );
      const data = await clientGql(SEARCH_BY_IMAGE, {
        u: uploadId,
        s: imageEmbeddings?.id ?? null,
      });
      setFound(data.searchByImage);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  const imageEmbeddingSets = embeddings.filter((e) => e.modality === "image");
  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      <section className="panel" aria-label="Import pictures">
        <h2>Import pictures</h2>
        <p className="muted">
          Pictures named &lt;item id&gt;.jpg/.png/.webp, or ZIP archives of them; with a path column, archives
          whose entries the column&apos;s relative paths name. Unreadable, oversized or unmatched pictures are
          listed with the reason; the rest load.
        </p>
        <form
          className={styles.row}
          onSubmit={(event) => {
            event.preventDefault();
            void startImport();
          }}
        >
          <SelectField label="Catalogue" value={versionId} options={catalogs} onChange={setVersionId} />
          <label>
            Pictures or ZIP archives
            <input
              type="file"
              multiple
              accept=".zip,image/*"
              data-testid="image-files"
              onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            />
          </label>
          <label>
            Path column (optional)
            <input
              value={pathColumn}
              onChange={(e) => setPathColumn(e.target.value)}
              placeholder="image"
              data-testid="path-column"
            />
          </label>
          <button className="button primary" type="submit" disabled={files.length === 0 || !versionId}>
            Import
          </button>
        </form>
        <JobLine label="import" job={importState} />
      </section>

      <section className="panel" aria-label="Image sets">
        <h2>Image sets</h2>
        {sets.length === 0 ? (
          <p className="empty">No pictures imported for this catalogue yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table compact">
              <thead>
                <tr>
                  <th>Set</th>
                  <th>Status</th>
                  <th className="num">Pictures</th>
                  <th className="num">Rejected</th>
                  <th>Image embeddings</th>
                </tr>
              </thead>
              <tbody>
                {sets.map((s) => (
                  <tr
                    key={s.id}
                    onClick={() => setSetId(s.id)}
                    className={s.id === setId ? styles.selected : undefined}
                  >
                    <td className="mono">{s.id.slice(0, 8)}</td>
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    <td className="num">{s.count}</td>
                    <td className="num">{s.rejectedCount}</td>
                    <td>
                      {imageEmbeddingSets
                        .filter((e) => e.imageSetId === s.id)
                        .map((e) => `${e.modelId} (${e.status.toLowerCase()})`)
                        .join(", ") || <span className="muted">none</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {setId ? (
          <form
            className={styles.row}
            onSubmit={(event) => {
              event.preventDefault();
              void startEmbed();
            }}
          >
            <label>
              Image model in MODELS_DIR (optional)
              <input
                value={modelId}
                onChange={(e) => setModelId(e.target.value)}
                placeholder="server default"
                data-testid="image-model"
              />
            </label>
            <button className="button" type="submit">
              Embed pictures
            </button>
          </form>
        ) : null}
        <JobLine label="embed" job={embedState} />
      </section>

      {detail ? (
        <section className="panel" aria-label="Pictures">
          <h2>Pictures</h2>
          <p className="muted">Pick an item to see its visual neighbours.</p>
          <Tiles items={detail.images} selected={item} onPick={setItem} testId="gallery" />
          {detail.rejects.length > 0 ? (
            <details>
              <summary>
                {detail.rejectedCount} rejected picture{detail.rejectedCount === 1 ? "" : "s"}
              </summary>
              <table className="table compact" data-testid="rejects">
                <tbody>
                  {detail.rejects.map((r) => (
                    <tr key={`${r.file}:${r.entry}:${r.itemId}`}>
                      <td>{r.file}</td>
                      <td className="mono">{r.entry ?? ""}</td>
                      <td>{r.itemId ?? ""}</td>
                      <td className="wrap">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </section>
      ) : null}

      {item ? (
        <section className="panel" aria-label="Visual neighbours">
          <h2>Neighbours of {item}</h2>
          <SelectField
            label="Compared by"
            value={by}
            options={[
              { value: "IMAGE", label: "picture" },
              { value: "TEXT", label: "text" },
              { value: "FUSED", label: "fused features" },
            ]}
            onChange={(value) => setBy(enumValue(SimilarityBasis, value) ?? SimilarityBasis.Image)}
          />
          {neighbours ? (
            <>
              <p className="muted">
                {neighbours.madeBy} · set {neighbours.setId.slice(0, 8)}
              </p>
              <Tiles items={matchTiles(neighbours.items)} onPick={setItem} testId="neighbours" />
            </>
          ) : null}
        </section>
      ) : null}

      <section className="panel" aria-label="Search by image">
        <h2>Search by image</h2>
        <form
          className={styles.row}
          onSubmit={(event) => {
            event.preventDefault();
            void search();
          }}
        >
          <label>
            Picture
            <input
              type="file"
              accept="image/*"
              data-testid="query-image"
              onChange={(e) => setQuery(e.target.files?.[0] ?? null)}
            />
          </label>
          <button className="button primary" type="submit" disabled={!query}>
            Search
          </button>
        </form>
        {found ? (
          <>
            <p className="muted">
              {found.madeBy} · set {found.setId.slice(0, 8)}
            </p>
            <Tiles items={matchTiles(found.items)} onPick={setItem} testId="search-results" />
          </>
        ) : null}
      </section>
    </>
  );
}
