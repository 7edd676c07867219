"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";

const PROFILE_VERSION = graphql(`
  mutation ProfileVersion($versionId: ID!) {
    profileVersion(versionId: $versionId) { id status }
  }
`);

/** Queues the profile job again; the page refreshes so the jobs list and the profile catch up. */
export function ReprofileButton({ versionId }: { versionId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [queued, setQueued] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function onClick() {
    setPending(true);
    setError(null);
    try {
      await clientGql(PROFILE_VERSION, { versionId });
      setQueued(true);
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <span>
      <button type="button" className="button small" onClick={onClick} disabled={pending}>
        {pending ? "Queuing…" : "Re-run profile"}
      </button>
      {queued ? <span className="muted"> Queued; reload in a moment.</span> : null}
      {error ? (
        <span className="error-text">
          {" "}
          {error.code}: {error.message}
        </span>
      ) : null}
    </span>
  );
}
