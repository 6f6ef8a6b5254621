/**
 * A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. Text that
 * a spreadsheet would read as a formula (=, +, -, @ first) is prefixed with an apostrophe: an
 * export opened in Excel must never run what a customer or a payee typed.
 */
export const csvField = (value: string | number | null): string => {
  if (value === null) return ""
  if (typeof value === "number") return String(value)
  const safe = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value
  return /[",\r\n]/u.test(safe) ? `"${safe.replaceAll("\"", "\"\"")}"` : safe
}

/** One CSV row, CRLF-terminated (RFC 4180). */
export const csvRow = (fields: ReadonlyArray<string | number | null>) => `${fields.map(csvField).join(",")}\r\n`
