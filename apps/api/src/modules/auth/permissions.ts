import type { Role } from "@dam/db/client";
import { AppError } from "../../errors/app-error.ts";

// What each role may do. Areas add their permissions here; resolvers ask for a permission, never a role,
// so changing who may do what is a one-line change in this table.
const GRANTS = {
  "catalog:read": ["ADMIN", "STEWARD", "VIEWER"],
  "catalog:write": ["ADMIN", "STEWARD"],
  "jobs:read": ["ADMIN", "STEWARD", "VIEWER"],
  "jobs:cancel": ["ADMIN", "STEWARD"],
  "keys:manage": ["ADMIN"],
  // CLIENT keys belong to shop backends; the console is for people.
  "console:sign-in": ["ADMIN", "STEWARD", "LABELLER", "VIEWER"],
  "audit:read": ["ADMIN"],
  "stats:read": ["ADMIN", "STEWARD", "VIEWER", "LABELLER"],
  "lineage:read": ["ADMIN", "STEWARD", "VIEWER"],
  "profiling:run": ["ADMIN", "STEWARD"],
  "cleaning:read": ["ADMIN", "STEWARD", "VIEWER"],
  "cleaning:write": ["ADMIN", "STEWARD"],
  "quality:read": ["ADMIN", "STEWARD", "VIEWER"],
  "quality:write": ["ADMIN", "STEWARD"],
  "labelling:work": ["ADMIN", "STEWARD", "LABELLER"],
  "labelling:manage": ["ADMIN", "STEWARD"],
  "features:read": ["ADMIN", "STEWARD", "VIEWER"],
  "features:write": ["ADMIN", "STEWARD"],
  "recommend:read": ["ADMIN", "STEWARD", "VIEWER", "CLIENT"],
  "events:write": ["ADMIN", "STEWARD", "CLIENT"],
  "models:read": ["ADMIN", "STEWARD", "VIEWER"],
  "models:write": ["ADMIN", "STEWARD"],
  // Reading personal data unmasked; everyone else sees PII-tagged values masked wherever they leave the server.
  "pii:read": ["ADMIN", "STEWARD"],
  "pii:manage": ["ADMIN", "STEWARD"],
  // Erasing a person everywhere cannot be undone: admins only.
  "pii:erase": ["ADMIN"],
  "experiments:read": ["ADMIN", "STEWARD", "VIEWER"],
  "experiments:write": ["ADMIN", "STEWARD"],
  "audiences:read": ["ADMIN", "STEWARD", "VIEWER"],
  "audiences:write": ["ADMIN", "STEWARD"],
} as const satisfies Record<string, readonly Role[]>;

export type TPermission = keyof typeof GRANTS;

export type TPrincipal = {
  keyId: string;
  name: string;
  role: Role;
  keyPrefix: string;
  userId: string | null;
  /** The console session the request was made with; null for an API key sent as Bearer token. */
  sessionId: string | null;
};

export const roleCan = (role: Role, permission: TPermission): boolean =>
  (GRANTS[permission] as readonly Role[]).includes(role);

export const can = (principal: TPrincipal, permission: TPermission): boolean =>
  roleCan(principal.role, permission);

export const assertCan = (principal: TPrincipal, permission: TPermission): void => {
  if (!can(principal, permission)) {
    throw new AppError("FORBIDDEN", `Role ${principal.role} may not ${permission}`, { permission });
  }
};
