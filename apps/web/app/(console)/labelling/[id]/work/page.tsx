import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { type LabelProject, PROJECT_QUERY } from "../../queries";
import { Workbench } from "./Workbench";
import "../../labelling.css";

export const metadata: Metadata = { title: "Label" };
export const dynamic = "force-dynamic";

export default async function WorkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await tryGql<{ labelProject: LabelProject | null }>(PROJECT_QUERY, { id });
  if (!result.ok) return <ErrorBox error={result.error} />;
  const project = result.data.labelProject;
  if (!project) return <ErrorBox error={{ code: "NOT_FOUND", message: `Label project ${id} not found` }} />;
  return (
    <>
      <div className="breadcrumb">
        <Link href="/labelling">Labelling</Link> / {project.name}
      </div>
      <div className="page-header">
        <h1>{project.name}</h1>
        <span className="muted">
          Keyboard first: digits choose, Enter submits, S skips, U undoes, ? shows the keys
        </span>
      </div>
      <Workbench projectId={project.id} projectName={project.name} />
    </>
  );
}
