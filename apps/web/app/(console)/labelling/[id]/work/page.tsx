import type { Metadata } from "next";
import Link from "next/link";
import { loadProject } from "../load-project";
import { Workbench } from "./Workbench";
import "../../labelling.css";

export const metadata: Metadata = { title: "Label" };
export const dynamic = "force-dynamic";

export default async function WorkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const loaded = await loadProject(id);
  if (loaded.error) return loaded.error;
  const { project } = loaded;
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
