// Schema change between two versions of a dataset, matched by column name (names are derived from the
// file's headers, so a renamed header shows as one column removed and one added).

export type TDiffColumn = { name: string; type: string; nullable?: boolean; role?: string | null };
export type TTypeChange = { name: string; fromType: string; toType: string };
export type TSchemaDiff = { added: TDiffColumn[]; removed: TDiffColumn[]; changed: TTypeChange[] };

export const diffSchemas = (previous: TDiffColumn[], current: TDiffColumn[]): TSchemaDiff => {
  const before = new Map(previous.map((column) => [column.name, column]));
  const after = new Map(current.map((column) => [column.name, column]));
  return {
    added: current.filter((column) => !before.has(column.name)),
    removed: previous.filter((column) => !after.has(column.name)),
    changed: current.flatMap((column) => {
      const old = before.get(column.name);
      return old && old.type !== column.type
        ? [{ name: column.name, fromType: old.type, toType: column.type }]
        : [];
    }),
  };
};
