/** One RFC 4180 field: quoted when it holds a delimiter, a quote or a line break; quotes doubled. */
export const escapeCsvField = (value: string | number | null): string => {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsvLine = (fields: (string | number | null)[]): string =>
  `${fields.map(escapeCsvField).join(",")}\r\n`;
