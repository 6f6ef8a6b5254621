/**
 * The French sentence people read for each error of a context, keyed by the error's tag: one table
 * per context, shared by the API (the problem's `message`) and the CLI (its one line on stderr).
 */
export type ErrorMessages<E extends { readonly _tag: string }> = {
  readonly [Tag in E["_tag"]]: (error: Extract<E, { readonly _tag: Tag }>) => string
}

/** A sentence from any of the tables, or undefined for an error none of them names. */
export const messageFrom = (tables: ReadonlyArray<Record<string, (error: any) => string>>, error: unknown): string | undefined => {
  const tag = (error as { readonly _tag?: unknown } | null)?._tag
  if (typeof tag !== "string") return undefined
  for (const table of tables) {
    const message = table[tag]
    if (message !== undefined) return message(error)
  }
  return undefined
}
