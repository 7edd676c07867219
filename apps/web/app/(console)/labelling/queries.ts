// GraphQL of the labelling pages and the shapes they return.

export type LabelSchemaType =
  | "SINGLE_CHOICE"
  | "MULTI_CHOICE"
  | "RELEVANCE"
  | "ATTRIBUTE_CORRECTION"
  | "FREE_TEXT";
export type LabelOption = { value: string; label: string };
export type LabelSchema = {
  id: string;
  name: string;
  type: LabelSchemaType;
  options: LabelOption[];
  instructions: string;
};
export type ProjectProgress = {
  tasks: number;
  slots: number;
  labels: number;
  completeTasks: number;
  activeLeases: number;
  goldTasks: number;
};
export type LabelProject = {
  id: string;
  name: string;
  overlap: number;
  status: string;
  createdAt: string;
  sourceVersionId: string | null;
  schema: LabelSchema;
  progress: ProjectProgress;
};
export type Labeller = { userId: string; name: string };
export type LabellerProgress = {
  labeller: Labeller;
  labels: number;
  skipped: number;
  activeLeases: number;
  goldCompared: number;
  accuracy: number | null;
};
export type Assignment = {
  id: string;
  slot: number;
  leaseExpiresAt: string;
  task: { id: string; payload: Record<string, unknown> };
  schema: LabelSchema;
};
export type AgreementValue = {
  value: number | null;
  undefinedReason: string | null;
  message: string | null;
  items: number;
};
export type Agreement = {
  items: number;
  labellers: number;
  labels: number;
  fleissKappa: AgreementValue;
  krippendorffAlphaNominal: AgreementValue;
  krippendorffAlphaOrdinal: AgreementValue | null;
  meanCohenKappa: number | null;
  pairs: { labellerA: Labeller; labellerB: Labeller; kappa: AgreementValue }[];
  categories: { category: string; ratings: number; specificAgreement: number | null; kappa: number | null }[];
};
export type ReviewTask = {
  id: string;
  payload: Record<string, unknown>;
  goldValue: unknown;
  distinctValues: number;
  labels: { id: string; value: unknown; labeller: Labeller }[];
};
export type LabelProjectMember = { labeller: Labeller; addedAt: string };
export type LabellerCandidate = { keyId: string; name: string; keyPrefix: string };
export type LabelExport = {
  datasetId: string;
  datasetName: string;
  version: { id: string; number: number; status: string; rowCount: number; createdAt: string };
};

const SCHEMA_FIELDS = "id name type instructions options { value label }";
const PROGRESS_FIELDS = "tasks slots labels completeTasks activeLeases goldTasks";
const PROJECT_FIELDS = `id name overlap status createdAt sourceVersionId schema { ${SCHEMA_FIELDS} } progress { ${PROGRESS_FIELDS} }`;
const ASSIGNMENT_FIELDS = `id slot leaseExpiresAt task { id payload } schema { ${SCHEMA_FIELDS} }`;
const LABELLER_PROGRESS_FIELDS = "labeller { userId name } labels skipped activeLeases goldCompared accuracy";
const AGREEMENT_VALUE = "value undefinedReason message items";

export const PROJECTS_QUERY = /* GraphQL */ `
  query LabelProjects { viewer { role } labelProjects(first: 100) { totalCount edges { node { ${PROJECT_FIELDS} } } } }
`;
export const CREATE_OPTIONS_QUERY = /* GraphQL */ `
  query LabelCreateOptions {
    labelSchemas(first: 100) { edges { node { ${SCHEMA_FIELDS} } } }
    datasets(first: 100, kind: CATALOG) {
      edges { node { id name latestVersion { id number status columns { name role } } } }
    }
  }
`;
export const CREATE_SCHEMA_MUTATION = /* GraphQL */ `
  mutation CreateLabelSchema($input: CreateLabelSchemaInput!) { createLabelSchema(input: $input) { ${SCHEMA_FIELDS} } }
`;
export const CREATE_PROJECT_MUTATION = /* GraphQL */ `
  mutation CreateLabelProject($input: CreateLabelProjectInput!) { createLabelProject(input: $input) { ${PROJECT_FIELDS} } }
`;
export const PROJECT_QUERY = /* GraphQL */ `
  query LabelProject($id: ID!) { viewer { role } labelProject(id: $id) { ${PROJECT_FIELDS} } }
`;
export const PROJECT_OVERVIEW_QUERY = /* GraphQL */ `
  query LabelProjectOverview($id: ID!) {
    labelProject(id: $id) { ${PROJECT_FIELDS} exportableGoldLabels
      exports { datasetId datasetName version { id number status rowCount createdAt } }
      members { labeller { userId name } addedAt } }
    labellerCandidates(projectId: $id) { keyId name keyPrefix }
    labellerProgress(projectId: $id) { ${LABELLER_PROGRESS_FIELDS} }
    projectAgreement(projectId: $id) {
      items labellers labels meanCohenKappa
      fleissKappa { ${AGREEMENT_VALUE} }
      krippendorffAlphaNominal { ${AGREEMENT_VALUE} }
      krippendorffAlphaOrdinal { ${AGREEMENT_VALUE} }
      pairs { labellerA { userId name } labellerB { userId name } kappa { ${AGREEMENT_VALUE} } }
      categories { category ratings specificAgreement kappa }
    }
  }
`;
export const MY_PROGRESS_QUERY = /* GraphQL */ `
  query MyLabelProgress($id: ID!) {
    myLabelProgress(projectId: $id) { ${LABELLER_PROGRESS_FIELDS} }
    labelProject(id: $id) { id progress { ${PROGRESS_FIELDS} } }
  }
`;
export const NEXT_TASK_MUTATION = /* GraphQL */ `
  mutation NextLabelTask($projectId: ID!, $holding: [ID!]) {
    nextLabelTask(projectId: $projectId, holding: $holding) { ${ASSIGNMENT_FIELDS} }
  }
`;
export const SUBMIT_MUTATION = /* GraphQL */ `
  mutation SubmitLabel($id: ID!, $value: JSON!) { submitLabel(assignmentId: $id, value: $value) { id } }
`;
export const SKIP_MUTATION = /* GraphQL */ `
  mutation SkipLabelTask($id: ID!) { skipLabelTask(assignmentId: $id) }
`;
export const UNDO_MUTATION = /* GraphQL */ `
  mutation UndoLastLabel($projectId: ID!) { undoLastLabel(projectId: $projectId) { ${ASSIGNMENT_FIELDS} } }
`;
export const DISAGREEMENTS_QUERY = /* GraphQL */ `
  query LabelDisagreements($id: ID!, $includeAdjudicated: Boolean) {
    labelDisagreements(projectId: $id, includeAdjudicated: $includeAdjudicated, first: 100) {
      totalCount edges { node { id payload goldValue distinctValues labels { id value labeller { userId name } } } }
    }
    labellerProgress(projectId: $id) { ${LABELLER_PROGRESS_FIELDS} }
  }
`;
export const ADJUDICATE_MUTATION = /* GraphQL */ `
  mutation Adjudicate($taskId: ID!, $value: JSON!) { adjudicate(taskId: $taskId, value: $value) { id goldValue } }
`;
export const EXPORT_MUTATION = /* GraphQL */ `
  mutation ExportGoldLabels($projectId: ID!) { exportGoldLabels(projectId: $projectId) { id status } }
`;
export const JOB_QUERY = /* GraphQL */ `
  query LabelExportJob($id: ID!) { job(id: $id) { id status progress message error } }
`;
export const ADD_MEMBER_MUTATION = /* GraphQL */ `
  mutation AddLabelProjectMember($projectId: ID!, $keyId: ID!) {
    addLabelProjectMember(projectId: $projectId, keyId: $keyId) { labeller { userId name } addedAt }
  }
`;
export const REMOVE_MEMBER_MUTATION = /* GraphQL */ `
  mutation RemoveLabelProjectMember($projectId: ID!, $labellerId: ID!) {
    removeLabelProjectMember(projectId: $projectId, labellerId: $labellerId)
  }
`;
