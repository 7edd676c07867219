import { createHash, randomBytes } from "node:crypto";

const KEY_PREFIX = "dam_";

/** A new secret: 32 random bytes, base64url, with a recognisable prefix (secret scanners can match it). */
export const generateApiKey = (): string => `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;

/** Keys are stored as SHA-256 only: a leaked database does not leak usable keys. */
export const hashApiKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

export const displayPrefix = (key: string): string => key.slice(0, 10);
