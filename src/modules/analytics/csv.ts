/** A table as CSV: a header row and one row per record (RFC 4180 quoting, CRLF line ends). */
export interface Table {
  header: string[];
  rows: unknown[][];
}

/** Excel opens UTF-8 (Chinese names) correctly only with a byte-order mark. */
export const CSV_BOM = "\uFEFF";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  // A text cell starting like a formula would run in a spreadsheet: keep it text.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLines = (rows: unknown[][]): string => rows.map((r) => `${r.map(cell).join(",")}\r\n`).join("");

export const toCsv = (table: Table): string => CSV_BOM + csvLines([table.header, ...table.rows]);

/** A table of objects, columns in the order given. */
export function tableOf<T extends object>(items: T[], columns: (keyof T & string)[]): Table {
  return { header: columns, rows: items.map((item) => columns.map((c) => item[c])) };
}
