const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu

/**
 * Ids arrive from URLs and cursors: a malformed one names no row, and must not reach a uuid column
 * (Postgres would reject the query, which would read as the store being unavailable).
 */
export const isUuid = (id: string) => uuidPattern.test(id)
