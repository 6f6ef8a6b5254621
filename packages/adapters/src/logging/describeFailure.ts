/**
 * A failure as one line of text. For a configuration error: the variable, then what was expected,
 * e.g. `HTTP_PORT: expected a string representing a finite number, got "abc"`.
 */
export const describeFailure = (error: unknown): string => {
  const text = error instanceof Error || (typeof error === "object" && error !== null && "message" in error)
    ? String((error as { message: unknown }).message)
    : String(error)
  const configIssue = /Expected (.+?) at \["([A-Z0-9_]+)"\]/su.exec(text)
  if (configIssue) return `${configIssue[2]}: expected ${configIssue[1]!.replace(/\s+/gu, " ").trim()}`
  const missing = /Missing (?:key|data) at \["([A-Z0-9_]+)"\]/su.exec(text)
  if (missing) return `${missing[1]}: this variable is required`
  return text.replace(/\s+/gu, " ").trim()
}
