// transformers.js keeps its model-location settings in one global `env` object. Loads that need
// different settings (two models directories, a pull with remote access) are serialised here and the
// previous values restored, so one load can never see another's settings. Only loading reads `env`;
// running an already-loaded pipeline does not, so inference is not serialised.

import { env } from "@huggingface/transformers";

export type TTransformersEnvSettings = {
  localModelPath: string;
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  remoteHost?: string;
};

let queue: Promise<unknown> = Promise.resolve();

export const withTransformersEnv = <T>(
  settings: TTransformersEnvSettings,
  run: () => Promise<T>,
): Promise<T> => {
  const next = queue.then(async () => {
    const previous = {
      localModelPath: env.localModelPath,
      allowRemoteModels: env.allowRemoteModels,
      allowLocalModels: env.allowLocalModels,
      remoteHost: env.remoteHost,
    };
    env.localModelPath = settings.localModelPath;
    env.allowRemoteModels = settings.allowRemoteModels;
    env.allowLocalModels = settings.allowLocalModels;
    if (settings.remoteHost !== undefined) env.remoteHost = settings.remoteHost;
    try {
      return await run();
    } finally {
      Object.assign(env, previous);
    }
  });
  // A failed load must not block the ones queued after it.
  queue = next.catch(() => undefined);
  return next;
};
