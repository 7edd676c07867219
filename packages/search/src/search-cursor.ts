// Opaque `after` cursors. A cursor names the position of the last hit of a page in the ranking of the
// whole candidate pool, so the next page continues that ranking; the index version is part of it so a
// cursor from an older index is refused rather than silently skipping or repeating items.

export type TSearchCursor = { position: number; indexVersion: string };

export const encodeSearchCursor = (cursor: TSearchCursor): string =>
  Buffer.from(`${cursor.indexVersion}:${cursor.position}`, "utf8").toString("base64url");

/** The cursor, or null when the text is not one this module made. */
export const decodeSearchCursor = (text: string): TSearchCursor | null => {
  if (text.length > 400 || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const decoded = Buffer.from(text, "base64url").toString("utf8");
  const colon = decoded.lastIndexOf(":");
  if (colon < 1) return null;
  const position = Number(decoded.slice(colon + 1));
  if (!Number.isSafeInteger(position) || position < 1) return null;
  return { position, indexVersion: decoded.slice(0, colon) };
};
