// Announcements between API processes over Redis pub/sub: the publisher sends after its transaction
// commits; each process holds one subscriber connection per channel (a duplicate: a subscribed ioredis
// connection can run nothing else). Pub/sub is fire-and-forget, so every use needs a way to catch
// up on what a process missed while it was down (the model store loads the ACTIVE versions at
// start-up; a key cache entry expires on its own).
import type { Redis } from "ioredis";
import type { z } from "zod";
import { logger } from "../../logger.ts";

export type TChannelSubscription = {
  /** Unsubscribes and closes the duplicate connection, after the handlers already started end. */
  close: () => Promise<void>;
};

export type TSubscribeOptions<T> = {
  /** Called for every well-formed message, one after another in order of arrival. */
  onMessage: (message: T) => void | Promise<void>;
  /** Called for a malformed message or a failing handler; the subscription stays open. */
  onError?: (error: Error) => void;
};

/** Publishes a checked message; resolves to the number of subscribed connections that got it. */
export const publishOnChannel = async <S extends z.ZodType>(
  redis: Redis,
  channel: string,
  schema: S,
  message: z.infer<S>,
): Promise<number> => redis.publish(channel, JSON.stringify(schema.parse(message)));

/**
 * Subscribes on a duplicate of `redis` and resolves once Redis confirmed the subscription, so a
 * message published after this resolves is delivered.
 */
export const subscribeToChannel = async <S extends z.ZodType>(
  redis: Redis,
  channel: string,
  schema: S,
  options: TSubscribeOptions<z.infer<S>>,
): Promise<TChannelSubscription> => {
  const subscriber = redis.duplicate();
  const reportError = options.onError ?? (() => {});
  // Handlers run one after another, so a slower one cannot be overtaken by a later message.
  let chain: Promise<void> = Promise.resolve();
  subscriber.on("message", (received: string, raw: string) => {
    if (received !== channel) return;
    let message: z.infer<S>;
    try {
      message = schema.parse(JSON.parse(raw));
    } catch (error) {
      reportError(new Error(`Malformed message on ${channel}: ${raw} (${(error as Error).message})`));
      return;
    }
    chain = chain
      .then(() => options.onMessage(message))
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

export type TBackgroundSubscription = {
  /** Resolves true once Redis confirmed the subscription, false if it failed (already logged). */
  confirmed: Promise<boolean>;
  /** Closes it now, or as soon as it is confirmed if that is still to come. */
  close: () => Promise<void>;
};

/**
 * Holds a subscription that may not be confirmed yet (Redis down: ioredis queues the command), so a
 * process starts without waiting on Redis and can still stop before Redis ever answers.
 */
export const inBackground = (
  subscribing: Promise<TChannelSubscription>,
  what: string,
): TBackgroundSubscription => {
  let closed = false;
  let live: TChannelSubscription | null = null;
  const confirmed = subscribing.then(
    (subscription) => {
      if (closed) void subscription.close();
      else live = subscription;
      return true;
    },
    (error: Error) => {
      logger.error(`${what}: subscription failed`, { error: error.message });
      return false;
    },
  );
  return {
    confirmed,
    close: async () => {
      closed = true;
      await live?.close();
    },
  };
};

export type TChannel<T> = {
  /** The channel's name under a queue prefix: `${prefix}:${suffix}`. */
  name: (prefix: string) => string;
  /** Publishes a checked message; resolves to the number of subscribed connections that got it. */
  publish: (redis: Redis, prefix: string, message: T) => Promise<number>;
  /** Every well-formed message, in order of arrival, once Redis confirmed the subscription. */
  subscribe: (redis: Redis, prefix: string, options: TSubscribeOptions<T>) => Promise<TChannelSubscription>;
};

/** One announcement channel: its name under the queue prefix and its message schema, declared once. */
export const defineChannel = <S extends z.ZodType>(suffix: string, schema: S): TChannel<z.infer<S>> => {
  const name = (prefix: string) => `${prefix}:${suffix}`;
  return {
    name,
    publish: (redis, prefix, message) => publishOnChannel(redis, name(prefix), schema, message),
    subscribe: (redis, prefix, options) => subscribeToChannel(redis, name(prefix), schema, options),
  };
};
