// Announcements of a feature set that gained rows (features.extend), so every API process serving a
// content model on that set reloads it and scores the new items at once (core/redis-channel.ts).
import { z } from "zod";
import { defineChannel } from "../core/redis-channel.ts";

export const ZFeatureSetExtended = z.object({
  featureSetId: z.string().min(1),
  /** Rows the set has now. */
  count: z.number().int().nonnegative(),
});
export type TFeatureSetExtended = z.infer<typeof ZFeatureSetExtended>;

const featureSetExtended = defineChannel("features:extended", ZFeatureSetExtended);

export const featureSetChannel = featureSetExtended.name;
export const publishFeatureSetExtended = featureSetExtended.publish;
export const subscribeFeatureSetExtended = featureSetExtended.subscribe;
