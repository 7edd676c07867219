import { graphql } from "@/lib/generated/gql";
import type {
  AgreementValueFieldsFragment,
  LabelAssignmentFieldsFragment,
  LabelCreateOptionsQuery,
  LabelDisagreementsQuery,
  LabellerProgressFieldsFragment,
  LabelProjectFieldsFragment,
  LabelProjectOverviewQuery,
  LabelSchemaFieldsFragment,
  ProjectProgressFieldsFragment,
} from "@/lib/generated/gql/graphql";
// GraphQL of the labelling pages and the shapes they return (generated from the API's schema).
import { asRecord } from "@/lib/json";

export const LabelSchemaFieldsFragmentDoc = graphql(`
  fragment LabelSchemaFields on LabelSchema {
    id name type instructions options { value label }
  }
`);
export const ProjectProgressFieldsFragmentDoc = graphql(`
  fragment ProjectProgressFields on LabelProjectProgress {
    tasks slots labels completeTasks activeLeases goldTasks
  }
`);
export const LabelProjectFieldsFragmentDoc = graphql(`
  fragment LabelProjectFields on LabelProject {
    id name overlap status createdAt sourceVersionId schema { ...LabelSchemaFields } progress { ...ProjectProgressFields }
  }
`);
export const LabelAssignmentFieldsFragmentDoc = graphql(`
  fragment LabelAssignmentFields on LabelAssignment {
    id slot leaseExpiresAt task { id payload } schema { ...LabelSchemaFields }
  }
`);
export const LabellerProgressFieldsFragmentDoc = graphql(`
  fragment LabellerProgressFields on LabellerProgress {
    labeller { userId name } labels skipped activeLeases goldCompared accuracy
  }
`);
export const AgreementValueFieldsFragmentDoc = graphql(`
  fragment AgreementValueFields on AgreementValue {
    value undefinedReason message items
  }
`);

export const PROJECTS_QUERY = graphql(`
  query LabelProjects { viewer { role } labelProjects(first: 100) { totalCount edges { node { ...LabelProjectFields } } } }
`);
export const CREATE_OPTIONS_QUERY = graphql(`
  query LabelCreateOptions {
    labelSchemas(first: 100) { edges { node { ...LabelSchemaFields } } }
    datasets(first: 100, kind: CATALOG) {
      edges { node { id name latestVersion { id number status columns { name role } } } }
    }
  }
`);
export const CREATE_SCHEMA_MUTATION = graphql(`
  mutation CreateLabelSchema($input: CreateLabelSchemaInput!) { createLabelSchema(input: $input) { ...LabelSchemaFields } }
`);
export const CREATE_PROJECT_MUTATION = graphql(`
  mutation CreateLabelProject($input: CreateLabelProjectInput!) { createLabelProject(input: $input) { ...LabelProjectFields } }
`);
export const PROJECT_QUERY = graphql(`
  query LabelProject($id: ID!) { viewer { role } labelProject(id: $id) { ...LabelProjectFields } }
`);
export const PROJECT_OVERVIEW_QUERY = graphql(`
  query LabelProjectOverview($id: ID!) {
    labelProject(id: $id) { ...LabelProjectFields exportableGoldLabels
      exports { datasetId datasetName version { id number status rowCount createdAt } }
      members { labeller { userId name } addedAt } }
    labellerCandidates(projectId: $id) { keyId name keyPrefix }
    labellerProgress(projectId: $id) { ...LabellerProgressFields }
    projectAgreement(projectId: $id) {
      items labellers labels meanCohenKappa
      fleissKappa { ...AgreementValueFields }
      krippendorffAlphaNominal { ...AgreementValueFields }
      krippendorffAlphaOrdinal { ...AgreementValueFields }
      pairs { labellerA { userId name } labellerB { userId name } kappa { ...AgreementValueFields } }
      categories { category ratings specificAgreement kappa }
    }
  }
`);
export const MY_PROGRESS_QUERY = graphql(`
  query MyLabelProgress($id: ID!) {
    myLabelProgress(projectId: $id) { ...LabellerProgressFields }
    labelProject(id: $id) { id progress { ...ProjectProgressFields } }
  }
`);
export const NEXT_TASK_MUTATION = graphql(`
  mutation NextLabelTask($projectId: ID!, $holding: [ID!]) {
    nextLabelTask(projectId: $projectId, holding: $holding) { ...LabelAssignmentFields }
  }
`);
export const SUBMIT_MUTATION = graphql(`
  mutation SubmitLabel($id: ID!, $value: JSON!) { submitLabel(assignmentId: $id, value: $value) { id } }
`);
export const SKIP_MUTATION = graphql(`
  mutation SkipLabelTask($id: ID!) { skipLabelTask(assignmentId: $id) }
`);
export const UNDO_MUTATION = graphql(`
  mutation UndoLastLabel($projectId: ID!) { undoLastLabel(projectId: $projectId) { ...LabelAssignmentFields } }
`);
export const DISAGREEMENTS_QUERY = graphql(`
  query LabelDisagreements($id: ID!, $includeAdjudicated: Boolean) {
    labelDisagreements(projectId: $id, includeAdjudicated: $includeAdjudicated, first: 100) {
      totalCount edges { node { id payload goldValue distinctValues labels { id value labeller { userId name } } } }
    }
    labellerProgress(projectId: $id) { ...LabellerProgressFields }
  }
`);
export const ADJUDICATE_MUTATION = graphql(`
  mutation Adjudicate($taskId: ID!, $value: JSON!) { adjudicate(taskId: $taskId, value: $value) { id goldValue } }
`);
export const EXPORT_MUTATION = graphql(`
  mutation ExportGoldLabels($projectId: ID!) { exportGoldLabels(projectId: $projectId) { id status progress message error } }
`);
export const JOB_QUERY = graphql(`
  query LabelExportJob($id: ID!) { job(id: $id) { id status progress message error } }
`);
export const ADD_MEMBER_MUTATION = graphql(`
  mutation AddLabelProjectMember($projectId: ID!, $keyId: ID!) {
    addLabelProjectMember(projectId: $projectId, keyId: $keyId) { labeller { userId name } addedAt }
  }
`);
export const REMOVE_MEMBER_MUTATION = graphql(`
  mutation RemoveLabelProjectMember($projectId: ID!, $labellerId: ID!) {
    removeLabelProjectMember(projectId: $projectId, labellerId: $labellerId)
  }
`);

export type { LabelSchemaType } from "@/lib/generated/gql/graphql";
export type LabelSchema = LabelSchemaFieldsFragment;
export type LabelOption = LabelSchema["options"][number];
export type ProjectProgress = ProjectProgressFieldsFragment;
export type LabelProject = LabelProjectFieldsFragment;
export type LabellerProgress = LabellerProgressFieldsFragment;
export type Labeller = LabellerProgress["labeller"];
/** An assignment; the task's payload is a JSON object of the source row's fields. */
export type Assignment = Omit<LabelAssignmentFieldsFragment, "task"> & {
  task: { id: string; payload: Record<string, unknown> };
};
export type AgreementValue = AgreementValueFieldsFragment;
type TOverview = NonNullable<LabelProjectOverviewQuery["labelProject"]>;
export type Agreement = LabelProjectOverviewQuery["projectAgreement"];
export type LabelProjectMember = TOverview["members"][number];
export type LabellerCandidate = LabelProjectOverviewQuery["labellerCandidates"][number];
export type LabelExport = TOverview["exports"][number];
export type ReviewTask = Omit<
  LabelDisagreementsQuery["labelDisagreements"]["edges"][number]["node"],
  "payload"
> & { payload: Record<string, unknown> };
export type CatalogOption = LabelCreateOptionsQuery["datasets"]["edges"][number]["node"];

/** A task payload as the API sends it: a JSON object of the source row's fields. */
export const payloadOf = asRecord;

/** The assignment with its payload read as an object. */
export const assignmentOf = (assignment: LabelAssignmentFieldsFragment): Assignment => ({
  ...assignment,
  task: { id: assignment.task.id, payload: payloadOf(assignment.task.payload) },
});
