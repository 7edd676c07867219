"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";

const UPDATE_DATASET = graphql(`
  mutation UpdateDataset($id: ID!, $input: UpdateDatasetInput!) {
    updateDataset(id: $id, input: $input) { id description tags owner }
  }
`);

/** Catalogue edit for stewards: description, tags (comma-separated) and the owner's email. */
export function EditDatasetForm({
  datasetId,
  description,
  tags,
}: {
  datasetId: string;
  description: string;
  tags: string[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(description);
  const [tagText, setTagText] = useState(tags.join(", "));
  const [owner, setOwner] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const nextTags = tagText
        .split(",")
        .map((tag) => tag.trim())
        .filter((tag) => tag !== "");
      await clientGql(UPDATE_DATASET, {
        id: datasetId,
        input: {
          description: text,
          tags: nextTags,
          // Left empty, the owner stays as it is.
          ...(owner.trim() ? { owner: owner.trim() } : {}),
        },
      });
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="button small" onClick={() => setOpen(true)} data-testid="edit-dataset">
        Edit
      </button>
    );
  }
  return (
    <form className="form-stack" onSubmit={onSubmit} aria-label="Edit dataset">
      <label>
        Description
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={10_000} />
      </label>
      <label>
        Tags (comma-separated)
        <input type="text" value={tagText} onChange={(e) => setTagText(e.target.value)} />
      </label>
      <label>
        Owner email (leave empty to keep the owner)
        <input type="email" value={owner} onChange={(e) => setOwner(e.target.value)} />
      </label>
      {error ? (
        <div className="error-box" role="alert">
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
