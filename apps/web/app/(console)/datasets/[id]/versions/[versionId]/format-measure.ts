const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

/** A measured value as the column shows it: the API measures timestamps in epoch seconds. */
export function formatMeasure(value: number, type: string): string {
  if (type === "timestamp") return new Date(value * 1000).toISOString().slice(0, 16).replace("T", " ");
  return compact.format(value);
}
