// UTC YYYYMMDDHHMMSS, like Prisma's own migration names, so migrations order by creation time.
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

// The runner applies migrations in name order, so a new one must sort after every existing one, even when
// a checked-in name carries a timestamp ahead of this machine's clock (like the hand-picked `..000000_init`).
export function nextMigrationPrefix(now: Date, existingNames: string[]): string {
  const prefix = migrationTimestamp(now);
  const last = existingNames
    .map((name) => name.slice(0, 14))
    .filter((p) => /^\d{14}$/.test(p))
    .sort()
    .at(-1);
  // last + 1 may not be a valid clock time (…59 -> …60); it only has to sort after `last`.
  if (last && prefix <= last) return (BigInt(last) + 1n).toString();
  return prefix;
}
