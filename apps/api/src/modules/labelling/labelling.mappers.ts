import type { LabelProject, LabelSchema } from "@dam/db/client";

// Parent types of the labelling resolvers (codegen.ts maps the GraphQL types to them).
export type TLabelSchemaModel = LabelSchema;
export type TLabelProjectModel = LabelProject & { schema: LabelSchema };
export type TLabelAssignmentModel = {
  id: string;
  slot: number;
  leaseExpiresAt: Date;
  projectId: string;
  task: { id: string; payload: unknown };
  schema: LabelSchema;
};
