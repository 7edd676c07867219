import type { TDeps } from "../../deps.ts";
import { upsertPseudonymSecret } from "./privacy.repository.ts";

const cache = new WeakMap<TDeps, Promise<string>>();

/**
 * The install's HMAC key for pseudonyms, made once (32 random bytes) and kept in the metadata database,
 * so every API and worker process of the install gives a person the same pseudonym.
 */
export const readPseudonymSecret = (deps: TDeps): Promise<string> => {
  let secret = cache.get(deps);
  if (!secret) {
    secret = upsertPseudonymSecret(deps.db);
    cache.set(deps, secret);
    secret.catch(() => cache.delete(deps));
  }
  return secret;
};
