import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { tryGql } from "@/lib/graphql";
import { type LabelProject, PROJECT_QUERY } from "../../queries";
import { ReviewBoard } from "./ReviewBoard";
import "../../labelling.css";

export const metadata: Metadata = { title: "Review labels" };
export const dynamic = "force-dynamic";

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await tryGql<{ labelProject: LabelProject | null }>(PROJECT_QUERY, { id });
  if (!result.ok) return <ErrorBox error={result.error} />;
  const project = result.data.labelProject;
  if (!project) return <ErrorBox error={{ code: "NOT_FOUND", message: `Label project ${id} not found` }} />;
  return (
    <>
      <div className="breadcrumb">
        <Link href="/labelling">Labelling</Link> /{" "}
        <Link href={`/labelling/${project.id}`}>{project.name}</Link> / review
      </div>
      <div className="page-header">
        <h1>Review: {project.name}</h1>
        <span className="muted">Disagreements first; your decision becomes the gold label</span>
      </div>
      <p className="muted">{project.schema.instructions}</p>
      <ReviewBoard
        projectId={project.id}
        schema={project.schema}
        overlap={project.overlap}
        tasks={project.progress.tasks}
      />
    </>
  );
}
