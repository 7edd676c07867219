// SQL identifier quoting (PostgreSQL, "Lexical Structure: Identifiers and Key Words"): wrap in double
// quotes and double every embedded double quote. Every identifier the platform splices into SQL text
// (version tables, columns, schemas) goes through this one function; values always travel as bind
// parameters and never through here.

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
