import { defaultMaskingMode } from "@dam/privacy/masking";
import { PII_TYPES, type TMaskingMode, ZMaskingMode } from "@dam/privacy/pii-types";
import type { TDeps } from "../../deps.ts";
import { countReadyTagsByTypeStatusMode } from "./pii-tags.repository.ts";

/** Per kind of personal data: its default masking mode and how the tags of READY versions stand. */
export const summariseMaskingPolicy = async (deps: TDeps) => {
  const groups = await countReadyTagsByTypeStatusMode(deps.db);
  return PII_TYPES.map((piiType) => {
    const mine = groups.filter((g) => g.piiType === piiType);
    const live = mine.filter((g) => g.status !== "REJECTED");
    const modes = new Map<TMaskingMode, number>();
    for (const g of live) {
      const mode = ZMaskingMode.safeParse(g.maskingMode);
      if (mode.success) modes.set(mode.data, (modes.get(mode.data) ?? 0) + g._count._all);
    }
    const sum = (list: typeof mine) => list.reduce((n, g) => n + g._count._all, 0);
    return {
      piiType,
      defaultMode: defaultMaskingMode(piiType),
      taggedColumns: sum(live),
      confirmed: sum(mine.filter((g) => g.status === "CONFIRMED")),
      rejected: sum(mine.filter((g) => g.status === "REJECTED")),
      modes: [...modes].map(([mode, count]) => ({ mode, count })),
    };
  });
};
