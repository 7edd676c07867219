// Typed errors of the embedder package. Each carries a string `code` so the API's AppError mapping can
// translate it without parsing messages.

/** The model's files are not where we looked (and downloading was not allowed or failed). */
export class ModelNotFoundError extends Error {
  readonly code = "MODEL_NOT_FOUND";
  constructor(
    readonly modelId: string,
    /** The file or folder that was looked for. */
    readonly lookedAt: string,
    options?: { cause?: unknown },
  ) {
    super(
      `model "${modelId}" not found: no model files at ${lookedAt} (run \`npm run models:pull -- ${modelId}\` where there is network)`,
      options,
    );
    this.name = "ModelNotFoundError";
  }
}

/** `pullModel` could not fetch the model (no network, unknown id, hub error). */
export class ModelPullError extends Error {
  readonly code = "MODEL_PULL_FAILED";
  constructor(
    readonly modelId: string,
    readonly remoteHost: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`could not download model "${modelId}" from ${remoteHost}: ${reason}`, options);
    this.name = "ModelPullError";
  }
}

/** The message of an unknown thrown value, including its cause chain (fetch hides the reason there). */
export const describeError = (error: unknown): string => {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(" <- ");
};
