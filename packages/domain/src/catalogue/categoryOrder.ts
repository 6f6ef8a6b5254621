/**
 * The order asked for, when it names every category of the provider exactly once (ids compared
 * case-insensitively, as UUIDs are); undefined otherwise, and then nothing is reordered.
 */
export const categoryOrder = (orderedIds: ReadonlyArray<string>) => (currentIds: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const wanted = orderedIds.map((id) => id.toLowerCase())
  const distinct = new Set(wanted)
  const current = new Set(currentIds.map((id) => id.toLowerCase()))
  const exact = distinct.size === wanted.length && current.size === distinct.size && [...current].every((id) => distinct.has(id))
  return exact ? wanted : undefined
}
