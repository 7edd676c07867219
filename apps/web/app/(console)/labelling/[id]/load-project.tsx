import type { ReactElement } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { type LabelProject, PROJECT_QUERY } from "../queries";

/** A label project for a page under /labelling/[id], or the error box to show instead. */
export async function loadProject(
  id: string,
): Promise<{ project: LabelProject; error?: undefined } | { error: ReactElement }> {
  const result = await tryGql(PROJECT_QUERY, { id });
  if (!result.ok) return { error: <ErrorBox error={result.error} /> };
  const project = result.data.labelProject;
  if (!project)
    return {
      error: (
        <ErrorBox
          title="This project is not in your queues"
          error={{
            code: "NOT_FOUND",
            message: `Label project ${id} does not exist, or you are not a member of it: a steward adds labellers on the project page.`,
          }}
        />
      ),
    };
  return { project };
}
