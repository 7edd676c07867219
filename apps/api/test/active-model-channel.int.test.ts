import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  activeModelChannel,
  publishActiveModel,
  subscribeActiveModel,
  type TActiveModelAnnouncement,
} from "../src/modules/serving/active-model-channel.ts";
import { waitFor } from "./helpers/wait-for.ts";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const prefix = `damtest-${randomBytes(4).toString("hex")}`;

afterAll(() => redis.disconnect());

describe("active model channel (real Redis pub/sub)", () => {
  it("delivers announcements in order to every subscriber, reports malformed ones, stops after close", async () => {
    const seenA: TActiveModelAnnouncement[] = [];
    const seenB: TActiveModelAnnouncement[] = [];
    const errors: Error[] = [];
    const a = await subscribeActiveModel(redis, prefix, {
      // A slow first handler must not let the second announcement overtake it.
      onMessage: async (m) => {
        if (m.modelVersionId === "v1") await new Promise((r) => setTimeout(r, 50));
        seenA.push(m);
      },
      onError: (e) => errors.push(e),
    });
    const b = await subscribeActiveModel(redis, prefix, { onMessage: (m) => void seenB.push(m) });

    expect(await publishActiveModel(redis, prefix, { name: "default", modelVersionId: "v1" })).toBe(2);
    await publishActiveModel(redis, prefix, { name: "default", modelVersionId: "v2" });
    await redis.publish(activeModelChannel(prefix), "{not json");
    await waitFor(
      async () => (seenA.length === 2 && seenB.length === 2 && errors.length === 1 ? true : undefined),
      {
        what: "both announcements on both subscribers",
      },
    );
    expect(seenA.map((m) => m.modelVersionId)).toEqual(["v1", "v2"]);
    expect(seenB).toEqual([
      { name: "default", modelVersionId: "v1" },
      { name: "default", modelVersionId: "v2" },
    ]);
    expect(errors[0]!.message).toMatch(/Malformed message on damtest-\w+:models:active/);

    await a.close();
    await b.close();
    expect(await publishActiveModel(redis, prefix, { name: "default", modelVersionId: "v3" })).toBe(0);
  });

  it("refuses to publish an announcement without a version id", async () => {
    await expect(
      publishActiveModel(redis, prefix, { name: "default", modelVersionId: "" }),
    ).rejects.toThrow();
  });
});
