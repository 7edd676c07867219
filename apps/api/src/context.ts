import type { TDeps } from "./deps.ts";
import type { TPrincipal } from "./modules/auth/permissions.ts";

/** Per-request context: the caller (always authenticated by the time a resolver runs) and the services. */
export type TContext = { principal: TPrincipal; deps: TDeps; operationName: string | null };
