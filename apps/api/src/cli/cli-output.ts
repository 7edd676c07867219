import { COLUMN_ROLES, isColumnRole, type TColumnRole } from "@dam/vocabulary/column-roles";
import type { TApiClient } from "./api-client.ts";
import { createProgressBar } from "./progress-bar.ts";

/** The one JSON line of results every command ends with, on stdout. */
export const printResult = (result: unknown): void => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

/** `a=b,c=d` -> [{ key: "a", value: "b" }, ...]; `flag` names the option in errors. */
export const parsePairs = (value: string | undefined, flag: string) =>
  (value ?? "")
    .split(",")
    .filter((pair) => pair.trim() !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`${flag}: "${pair}" is not column=value`);
      return { key: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
    });

/**
 * A `--map column=role,...` option, roles checked against the vocabulary before anything is sent, so a
 * typo is named with the roles there are. `allowEmpty` lets `column=` unbind a role.
 */
export const parseRoleMap = (
  value: string | undefined,
  flag: string,
  allowEmpty: boolean,
): { column: string; role: TColumnRole | null }[] =>
  parsePairs(value, flag).map(({ key, value: role }) => {
    if (role === "" && allowEmpty) return { column: key, role: null };
    if (!isColumnRole(role))
      throw new Error(`${flag}: "${role}" (column ${key}) is not a role; roles: ${COLUMN_ROLES.join(", ")}`);
    return { column: key, role };
  });

export const parseJsonOption = (value: string | undefined, flag: string): unknown => {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`${flag}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
};

export const parseIntOption = (value: string | undefined, flag: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new Error(`${flag}: "${value}" is not an integer`);
  return number;
};

export type TJobView = {
  id: string;
  name: string;
  status: string;
  progress: number;
  message: string | null;
  error: string | null;
  outputIds: string[];
  result: unknown;
};

export const JOB_FIELDS = "id name status progress message error outputIds result";
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];

/** Follows a job to its end with a progress bar on stderr; returns its last state. */
export const followJob = async (client: TApiClient, jobId: string, pollMs = 500): Promise<TJobView> => {
  const bar = createProgressBar();
  for (;;) {
    const { job } = await client.graphql<{ job: TJobView | null }>(
      `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`,
      { id: jobId },
    );
    if (!job) throw new Error(`job ${jobId} not found`);
    bar.update(job.progress, job.message ?? job.status.toLowerCase());
    if (TERMINAL.includes(job.status)) {
      bar.done();
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
};
