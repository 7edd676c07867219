// Announcements of a newly ACTIVE model version, so every API process swaps its in-memory model
// (core/redis-channel.ts). A process that was down during an announcement catches up by loading
// the ACTIVE versions from the database at start-up (the model store does that).
import { z } from "zod";
import { defineChannel } from "../core/redis-channel.ts";

export const ZActiveModelAnnouncement = z.object({
  /** ModelVersion.name: the model family being served (e.g. "default"). */
  name: z.string().min(1),
  /** ModelVersion.id of the version that is now ACTIVE for that name. */
  modelVersionId: z.string().min(1),
});
export type TActiveModelAnnouncement = z.infer<typeof ZActiveModelAnnouncement>;

const activeModel = defineChannel("models:active", ZActiveModelAnnouncement);

/** The channel for a queue prefix: `${DAM_QUEUE_PREFIX}:models:active`. */
export const activeModelChannel = activeModel.name;

/** Announces a promotion or rollback; resolves to the number of subscribed processes that got it. */
export const publishActiveModel = activeModel.publish;

/** Every well-formed announcement, in order of arrival, once Redis confirmed the subscription. */
export const subscribeActiveModel = activeModel.subscribe;
