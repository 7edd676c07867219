import { z } from "zod";

// The shape of DatasetVersion.profile. Read back through the schema, so a profile written by an older
// job version (or edited by hand) shows as "no profile" instead of breaking the API.

export const ZColumnProfile = z.object({
  name: z.string(),
  type: z.string(),
  nullCount: z.number(),
  nullFraction: z.number(),
  distinctCount: z.number(),
  /** Display strings: numbers as written by Postgres, timestamps as ISO-8601 UTC. */
  min: z.string().nullable(),
  max: z.string().nullable(),
  /** Timestamps: seconds since the epoch. */
  mean: z.number().nullable(),
  stddev: z.number().nullable(),
  quantiles: z.array(z.object({ p: z.number(), value: z.number() })),
  histogram: z.array(z.object({ lower: z.number(), upper: z.number(), count: z.number() })),
  topValues: z.array(z.object({ value: z.string(), count: z.number() })),
  minLength: z.number().nullable(),
  maxLength: z.number().nullable(),
  meanLength: z.number().nullable(),
});
export type TColumnProfile = z.infer<typeof ZColumnProfile>;

export const ZVersionProfile = z.object({
  formatVersion: z.literal(1),
  rowCount: z.number(),
  computedAt: z.string(),
  seconds: z.number(),
  columns: z.array(ZColumnProfile),
});
export type TVersionProfile = z.infer<typeof ZVersionProfile>;

export const parseStoredProfile = (value: unknown): TVersionProfile | null => {
  const parsed = ZVersionProfile.safeParse(value);
  return parsed.success ? parsed.data : null;
};

/** A cell as the console shows it: the same text for a value in min/max and in the top values. */
export const formatCell = (value: unknown): string => {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  return String(value);
};
