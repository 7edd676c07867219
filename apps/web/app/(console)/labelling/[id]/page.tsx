import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { tryGql } from "@/lib/graphql";
import { type AgreementValue, PROJECT_OVERVIEW_QUERY } from "../queries";
import { ExportPanel } from "./ExportPanel";
import { LabellerTable } from "./LabellerTable";
import { MembersPanel } from "./MembersPanel";
import "../labelling.css";

export const metadata: Metadata = { title: "Label project" };
export const dynamic = "force-dynamic";

const fixed = (value: number | null | undefined, digits = 3) =>
  value === null || value === undefined ? "—" : value.toFixed(digits);

function Coefficient({
  name,
  value,
  testId,
}: {
  name: string;
  value: AgreementValue | null;
  testId: string;
}) {
  return (
    <div className="card">
      <div className="card-label">{name}</div>
      <div className="agreement-value" data-testid={testId}>
        {value ? fixed(value.value) : "—"}
      </div>
      <div className="muted">
        {value?.value === null
          ? (value.message ?? value.undefinedReason)
          : value
            ? `${value.items} tasks`
            : "not for this schema"}
      </div>
    </div>
  );
}

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await tryGql(PROJECT_OVERVIEW_QUERY, { id });
  if (!result.ok) return <ErrorBox error={result.error} />;
  const {
    labelProject: project,
    labellerCandidates,
    labellerProgress,
    projectAgreement: agreement,
  } = result.data;
  if (!project) return <ErrorBox error={{ code: "NOT_FOUND", message: `Label project ${id} not found` }} />;
  const { progress } = project;
  return (
    <>
      <div className="breadcrumb">
        <Link href="/labelling">Labelling</Link> / {project.name}
      </div>
      <div className="page-header">
        <h1>{project.name}</h1>
        <span className="toolbar">
          <Link className="button primary" href={`/labelling/${project.id}/work`}>
            Label
          </Link>
          <Link className="button" href={`/labelling/${project.id}/review`} data-testid="review-link">
            Review disagreements
          </Link>
        </span>
      </div>
      <p className="muted">
        {project.schema.name} ({project.schema.type}) · {project.overlap} labellers per task ·{" "}
        {project.schema.instructions}
      </p>

      <div className="cards">
        <div className="card card-wide">
          <div className="card-label">Labels of all slots</div>
          <ProgressBar
            value={progress.slots === 0 ? 0 : (100 * progress.labels) / progress.slots}
            label="Project progress"
          />
          <div className="muted">
            {progress.labels} of {progress.slots} labels
          </div>
        </div>
        <div className="card">
          <div className="card-label">Tasks complete</div>
          <div className="card-value">
            {progress.completeTasks} / {progress.tasks}
          </div>
        </div>
        <div className="card">
          <div className="card-label">Gold (adjudicated)</div>
          <div className="card-value">{progress.goldTasks}</div>
        </div>
        <div className="card">
          <div className="card-label">Active leases</div>
          <div className="card-value">{progress.activeLeases}</div>
        </div>
      </div>

      <h2>Members</h2>
      <MembersPanel projectId={project.id} members={project.members} candidates={labellerCandidates} />

      <h2>Labellers</h2>
      <LabellerTable rows={labellerProgress} overlap={project.overlap} tasks={progress.tasks} />

      <h2>Agreement</h2>
      <div className="cards" data-testid="agreement">
        <Coefficient name="Fleiss' kappa" value={agreement.fleissKappa} testId="fleiss-kappa" />
        <Coefficient
          name="Krippendorff's alpha (nominal)"
          value={agreement.krippendorffAlphaNominal}
          testId="alpha-nominal"
        />
        <Coefficient
          name="Krippendorff's alpha (ordinal)"
          value={agreement.krippendorffAlphaOrdinal}
          testId="alpha-ordinal"
        />
        <div className="card">
          <div className="card-label">Mean pairwise Cohen's kappa</div>
          <div className="agreement-value" data-testid="mean-cohen-kappa">
            {fixed(agreement.meanCohenKappa)}
          </div>
          <div className="muted">
            {agreement.labels} labels by {agreement.labellers} labellers on {agreement.items} tasks
          </div>
        </div>
      </div>
      <div className="panel">
        <strong>Per label</strong>
        <table className="table" data-testid="agreement-categories">
          <thead>
            <tr>
              <th>Label</th>
              <th>Ratings</th>
              <th>Specific agreement</th>
              <th>Kappa (this label vs the rest)</th>
            </tr>
          </thead>
          <tbody>
            {agreement.categories.map((row) => (
              <tr key={row.category}>
                <td>{row.category}</td>
                <td>{row.ratings}</td>
                <td>{fixed(row.specificAgreement)}</td>
                <td>{fixed(row.kappa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel">
        <strong>Per annotator pair (Cohen's kappa)</strong>
        <table className="table" data-testid="agreement-pairs">
          <thead>
            <tr>
              <th>Labeller A</th>
              <th>Labeller B</th>
              <th>Shared tasks</th>
              <th>Kappa</th>
            </tr>
          </thead>
          <tbody>
            {agreement.pairs.map((pair) => (
              <tr key={`${pair.labellerA.userId}-${pair.labellerB.userId}`}>
                <td>{pair.labellerA.name}</td>
                <td>{pair.labellerB.name}</td>
                <td>{pair.kappa.items}</td>
                <td title={pair.kappa.message ?? undefined}>{fixed(pair.kappa.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Export</h2>
      <ExportPanel
        projectId={project.id}
        exportable={project.exportableGoldLabels}
        exports={project.exports}
      />
    </>
  );
}
