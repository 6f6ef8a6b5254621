/** A failure as one line of text: a configuration error names the variable and what was expected. */
export const describeFailure = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "_tag" in error && error._tag === "ConfigError") {
    return String((error as { message?: string }).message ?? error).replace(/\s+/gu, " ")
  }
  if (error instanceof Error) return error.message.replace(/\s+/gu, " ")
  return String(error)
}
