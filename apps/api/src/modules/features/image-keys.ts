import path from "node:path";

/*
 * Which catalogue item an uploaded picture belongs to. Pure: the import service feeds it names and
 * the catalogue's ids or path column, and gets back the item ids or the reason there are none.
 */

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|avif|heic|heif|tiff?)$/i;

/** Entries an archive tool adds that are not pictures: folders, macOS resource forks, dot files. */
export const isIgnoredEntry = (name: string): boolean => {
  const base = path.posix.basename(name);
  return name.endsWith("/") || name.startsWith("__MACOSX/") || base.startsWith(".") || base === "Thumbs.db";
};

/** "images/fm00027.png" -> "fm00027": a picture keyed by item id is named after the item. */
export const itemIdFromName = (name: string): string => {
  const base = path.posix.basename(name.replaceAll("\\", "/"));
  return IMAGE_NAME.test(base) ? base.replace(IMAGE_NAME, "") : base.replace(/\.[^.]*$/, "") || base;
};

/** A relative path as a catalogue writes it, compared the way an archive stores it. */
export const normaliseRelativePath = (value: string): string =>
  path.posix
    .normalize(value.trim().replaceAll("\\", "/"))
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+/, "");

export type TPathIndex = {
  /** Item ids whose catalogue row names `entry` (also tried without the archive's top folder). */
  itemsFor: (entry: string) => { path: string; itemIds: string[] } | null;
  /** Every (path, item ids) the catalogue names, to report the ones no archive held. */
  all: () => Iterable<[string, string[]]>;
};

export const buildPathIndex = (rows: { itemId: string; path: string }[]): TPathIndex => {
  const byPath = new Map<string, string[]>();
  for (const row of rows) {
    const key = normaliseRelativePath(row.path);
    if (key === "" || key.startsWith("../")) continue;
    const items = byPath.get(key);
    if (items) {
      if (!items.includes(row.itemId)) items.push(row.itemId);
    } else byPath.set(key, [row.itemId]);
  }
  return {
    itemsFor: (entry) => {
      const key = normaliseRelativePath(entry);
      const direct = byPath.get(key);
      if (direct) return { path: key, itemIds: direct };
      // An archive made of the catalogue's folder ("shop/images/x.png" for "images/x.png").
      const slash = key.indexOf("/");
      const inner = slash >= 0 ? key.slice(slash + 1) : null;
      const nested = inner === null ? undefined : byPath.get(inner);
      return nested && inner !== null ? { path: inner, itemIds: nested } : null;
    },
    all: () => byPath.entries(),
  };
};
