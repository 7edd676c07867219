// The recsys benchmarks' splitter of one line of a reference CSV read whole into memory (MovieLens
// movies and tags, UCI Online Retail).

/** Splits one CSV line (RFC 4180 quotes; descriptions may hold commas). */
export const csvFields = (line: string): string[] => {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') field += line[i++]!;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
};
