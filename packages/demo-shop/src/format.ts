// Id and date formatting shared by all stages, so ids look the same everywhere.

export const DAY_MS = 86_400_000;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

export const itemIdOf = (n: number): string => `P${pad(n, 6)}`;
export const userIdOf = (n: number): string => `U${pad(n, 6)}`;
export const eventIdOf = (n: number): string => `E${pad(n, 8)}`;
export const sessionIdOf = (n: number): string => `S${pad(n, 7)}`;

/** ISO-8601 UTC without milliseconds; the generator only works in whole seconds. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Prices end in .99/.49 like a real shop; rounding to pence avoids float noise in the CSV. */
export function charmPrice(raw: number): number {
  let p: number;
  if (raw < 10) p = Math.max(0.99, Math.round(raw * 2) / 2 - 0.01);
  else if (raw < 100) p = Math.round(raw) - 0.01;
  else p = Math.round(raw / 5) * 5 - 0.01;
  return roundPence(p);
}

export function roundPence(p: number): number {
  return Math.round(p * 100) / 100;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * isoSeconds() for many ascending timestamps: the date part is only rebuilt when the day
 * changes, which makes formatting 200k sorted events ~10x cheaper than toISOString().
 */
export function sortedIsoFormatter(): (ms: number) => string {
  let dayStart = Number.NaN;
  let prefix = "";
  return (ms) => {
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    if (day !== dayStart) {
      dayStart = day;
      prefix = `${isoDate(day)}T`;
    }
    const s = Math.floor((ms - day) / 1000);
    return `${prefix}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}Z`;
  };
}
