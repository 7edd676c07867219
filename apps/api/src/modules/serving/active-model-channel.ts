// Announcements of a newly ACTIVE model version, so every API process swaps its in-memory model.
// Redis pub/sub: the promoting process publishes after its transaction commits; each API process
// holds one subscriber connection (a duplicate: a subscribed ioredis connection can run nothing else).
// Pub/sub is fire-and-forget, so a process that was down during an announcement catches up by
// loading the ACTIVE versions from the database at start-up (the store does that).
import type { Redis } from "ioredis";
import { z } from "zod";

export const ZActiveModelAnnouncement = z.object({
  /** ModelVersion.name: the model family being served (e.g. "default"). */
  name: z.string().min(1),
  /** ModelVersion.id of the version that is now ACTIVE for that name. */
  modelVersionId: z.string().min(1),
});
export type TActiveModelAnnouncement = z.infer<typeof ZActiveModelAnnouncement>;

/** The channel for a queue prefix: `${DAM_QUEUE_PREFIX}:models:active`. */
export const activeModelChannel = (prefix: string): string => `${prefix}:models:active`;

/** Announces a promotion or rollback; resolves to the number of subscribed processes that got it. */
export const publishActiveModel = async (
  redis: Redis,
  prefix: string,
  announcement: TActiveModelAnnouncement,
): Promise<number> => {
  const message = ZActiveModelAnnouncement.parse(announcement);
  return redis.publish(activeModelChannel(prefix), JSON.stringify(message));
};

export type TActiveModelSubscription = {
  /** Unsubscribes and closes the duplicate connection. */
  close: () => Promise<void>;
};

export type TSubscribeActiveModelOptions = {
  /** Called for every well-formed announcement, in order of arrival. */
  onAnnouncement: (announcement: TActiveModelAnnouncement) => void | Promise<void>;
  /** Called for a malformed message or a failing handler; the subscription stays open. */
  onError?: (error: Error) => void;
};

/**
 * Subscribes on a duplicate of `redis` and resolves once Redis confirmed the subscription, so an
 * announcement published after this resolves is delivered.
 */
export const subscribeActiveModel = async (
  redis: Redis,
  prefix: string,
  options: TSubscribeActiveModelOptions,
): Promise<TActiveModelSubscription> => {
  const channel = activeModelChannel(prefix);
  const subscriber = redis.duplicate();
  const reportError = options.onError ?? (() => {});
  // Handlers run one after another, so a slower load cannot overtake a later announcement.
  let chain: Promise<void> = Promise.resolve();
  subscriber.on("message", (received: string, raw: string) => {
    if (received !== channel) return;
    let announcement: TActiveModelAnnouncement;
    try {
      announcement = ZActiveModelAnnouncement.parse(JSON.parse(raw));
    } catch (error) {
      reportError(new Error(`Malformed announcement on ${channel}: ${raw} (${(error as Error).message})`));
      return;
    }
    chain = chain
      .then(() => options.onAnnouncement(announcement))
      .catch((error: unknown) => reportError(error instanceof Error ? error : new Error(String(error))));
  });
  subscriber.on("error", (error: Error) => reportError(error));
  await subscriber.subscribe(channel);
  return {
    close: async () => {
      await chain;
      try {
        await subscriber.unsubscribe(channel);
      } finally {
        subscriber.disconnect();
      }
    },
  };
};
