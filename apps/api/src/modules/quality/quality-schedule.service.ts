import { createHash } from "node:crypto";
import { defaultRepeatStrategy } from "bullmq";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { armRecurringJob, retireScheduledPlaceholder } from "../jobs/recurring-job.ts";
import { countEnabledRulesWithSchedule, findRuleSchedules } from "./quality-rules.repository.ts";

// Schedules live on the rules (QualityRule.schedule): each distinct cron pattern among a dataset's
// enabled rules is one BullMQ job scheduler with a deterministic id; every tick re-checks ALL enabled
// rules of the dataset on its latest READY version (a run is always a whole-version check).

export const QUALITY_SCHEDULE_JOB = "quality.schedule";
const PREFIX = "quality-schedule-";

export const schedulerIdFor = (datasetId: string, cron: string): string =>
  `${PREFIX}${datasetId}-${createHash("sha256").update(cron).digest("hex").slice(0, 12)}`;

/** Throws BAD_USER_INPUT unless `cron` is a 5- or 6-field cron pattern BullMQ can schedule. */
export const validateCron = (cron: string): void => {
  const fields = cron.trim().split(/\s+/).length;
  try {
    if (fields < 5 || fields > 6) throw new Error("expected 5 or 6 fields");
    // BullMQ's own cron reading: what validates here is what the scheduler will run.
    if (defaultRepeatStrategy(Date.now(), { pattern: cron, tz: "UTC" }) === undefined) {
      throw new Error("it never fires");
    }
  } catch (error) {
    throw new AppError("BAD_USER_INPUT", `schedule: not a cron pattern (${(error as Error).message})`, {
      field: "schedule",
    });
  }
};

/** (Re)arms the scheduler of one cron pattern of a dataset's rules (see jobs/recurring-job.ts). */
export const armSchedule = (deps: TDeps, datasetId: string, cron: string): Promise<void> =>
  armRecurringJob(deps, {
    queue: "quality",
    name: QUALITY_SCHEDULE_JOB,
    schedulerId: schedulerIdFor(datasetId, cron),
    cron,
    payload: { datasetId, cron },
    inputIds: [datasetId],
    message: `Next scheduled quality check (${cron})`,
  });

/** Makes the dataset's schedulers match the cron patterns of its enabled rules. */
export const syncQualitySchedules = async (deps: TDeps, datasetId: string): Promise<void> => {
  const rules = await findRuleSchedules(deps, datasetId);
  const wanted = new Map(
    rules.flatMap((rule) =>
      rule.schedule ? [[schedulerIdFor(datasetId, rule.schedule), rule.schedule]] : [],
    ),
  );
  const queue = deps.queues.quality;
  const existing = (await queue.getJobSchedulers()).filter((scheduler) =>
    scheduler.key.startsWith(`${PREFIX}${datasetId}-`),
  );
  for (const scheduler of existing) {
    if (wanted.has(scheduler.key)) continue;
    await queue.removeJobScheduler(scheduler.key);
    const recordId = (scheduler.template?.data as { jobRecordId?: string } | undefined)?.jobRecordId;
    if (recordId) await retireScheduledPlaceholder(deps, recordId);
  }
  const armed = new Set(existing.map((scheduler) => scheduler.key));
  for (const [schedulerId, cron] of wanted) {
    if (!armed.has(schedulerId)) await armSchedule(deps, datasetId, cron);
  }
};

/** Whether a tick's scheduler is still wanted (a rule may have been changed since it was planned). */
export const isScheduleWanted = async (deps: TDeps, datasetId: string, cron: string): Promise<boolean> =>
  (await countEnabledRulesWithSchedule(deps, datasetId, cron)) > 0;
