// Cells a spreadsheet would read as a formula (OWASP "CSV Injection": =, +, -, @, and a leading tab or
// carriage return, which some spreadsheets strip before evaluating what follows).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises a text cell a spreadsheet would run as a formula, as OWASP's CSV Injection guidance
 * advises: a single quote in front makes it text (`=1+1` -> `'=1+1`). Numbers are written as they are,
 * so a negative number stays a number.
 */
export const neutraliseFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * One RFC 4180 field of a download: formula-like text neutralised, then quoted when it holds a
 * delimiter, a quote or a line break, quotes doubled.
 */
export const escapeCsvField = (value: string | number | null): string => {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsvLine = (fields: (string | number | null)[]): string =>
  `${fields.map(escapeCsvField).join(",")}\r\n`;
