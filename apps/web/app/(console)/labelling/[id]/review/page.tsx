import type { Metadata } from "next";
import Link from "next/link";
import { loadProject } from "../load-project";
import { ReviewBoard } from "./ReviewBoard";
import "../../labelling.css";

export const metadata: Metadata = { title: "Review labels" };
export const dynamic = "force-dynamic";

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const loaded = await loadProject(id);
  if (loaded.error) return loaded.error;
  const { project } = loaded;
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
