import { HOME_CATEGORIES } from "./home.ts";
import { LEISURE_CATEGORIES } from "./leisure.ts";
import { LIFESTYLE_CATEGORIES } from "./lifestyle.ts";
import type { CategorySpec } from "./spec.ts";

export type { CategorySpec, ProductTypeSpec } from "./spec.ts";
export { COLOURS } from "./spec.ts";

/** Fixed order: category index is part of the deterministic output. */
export const CATEGORIES: readonly CategorySpec[] = [
  ...LEISURE_CATEGORIES,
  ...HOME_CATEGORIES,
  ...LIFESTYLE_CATEGORIES,
];
