// Announcements of a feature set that gained rows (features.extend), so every API process serving a
// content model on that set reloads it and scores the new items at once (core/redis-channel.ts).
import type { Redis } from "ioredis";
import { z } from "zod";
import {
  publishOnChannel,
  subscribeToChannel,
  type TChannelSubscription,
  type TSubscribeOptions,
} from "../core/redis-channel.ts";

export const ZFeatureSetExtended = z.object({
  featureSetId: z.string().min(1),
  /** Rows the set has now. */
  count: z.number().int().nonnegative(),
});
export type TFeatureSetExtended = z.infer<typeof ZFeatureSetExtended>;

export const featureSetChannel = (prefix: string): string => `${prefix}:features:extended`;

export const publishFeatureSetExtended = (redis: Redis, prefix: string, message: TFeatureSetExtended) =>
  publishOnChannel(redis, featureSetChannel(prefix), ZFeatureSetExtended, message);

export const subscribeFeatureSetExtended = (
  redis: Redis,
  prefix: string,
  options: TSubscribeOptions<TFeatureSetExtended>,
): Promise<TChannelSubscription> =>
  subscribeToChannel(redis, featureSetChannel(prefix), ZFeatureSetExtended, options);
