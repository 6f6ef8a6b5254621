/**
 * A map whose entries vanish at a deadline, like Redis keys with a time to live, for the in-memory
 * auth stores. Callers pass the time (from Effect's Clock, so tests may drive it) and do their
 * read and write in one synchronous step, which makes each operation atomic among fibers.
 * An expired entry is dropped when next read: enough for tests and local runs.
 */
export const expiringEntries = <Value>() => {
  const entries = new Map<string, { readonly value: Value; readonly expiresAtMs: number }>()
  return {
    read: (key: string, nowMs: number) => {
      const entry = entries.get(key)
      if (entry === undefined || entry.expiresAtMs > nowMs) return entry
      entries.delete(key)
      return undefined
    },
    write: (key: string, value: Value, expiresAtMs: number) => void entries.set(key, { value, expiresAtMs }),
    remove: (key: string) => void entries.delete(key)
  }
}
