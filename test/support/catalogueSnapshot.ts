import { readdirSync } from "node:fs"
import { join } from "node:path"
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { answered, neloClient } from "./neloClient.ts"

/**
 * A provider's rows as stored (whole rows as text, updated_at included) and its public menu (read
 * through the typed client, from the API at `api.url`): what a refused write must leave exactly as
 * it was. Needs SqlClient.
 */
export const catalogueSnapshot = (api: { readonly url: string }, providerId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const texts = (rows: ReadonlyArray<{ readonly row: string }>) => rows.map((row) => row.row)
    const stored = {
      provider: texts(yield* sql<{ row: string }>`SELECT p::text AS row FROM catalogue.providers p WHERE p.id = ${providerId}`),
      categories: texts(yield* sql<{ row: string }>`SELECT c::text AS row FROM catalogue.categories c WHERE c.provider_id = ${providerId} ORDER BY c.id`),
      products: texts(yield* sql<{ row: string }>`SELECT p::text AS row FROM catalogue.products p WHERE p.provider_id = ${providerId} ORDER BY p.id`),
      gasProducts: texts(yield* sql<{ row: string }>`SELECT g::text AS row FROM catalogue.gas_products g WHERE g.provider_id = ${providerId} ORDER BY g.id`)
    }
    const menu = yield* answered(neloClient(api.url).providers.menu({ params: { providerId } }))
    assert.strictEqual(menu.status, 200, JSON.stringify(menu.body))
    // Whether it is open is computed at each read: not part of what a write could change.
    const { isOpen: _isOpen, nextOpenAt: _nextOpenAt, ...provider } = menu.body.provider
    return { stored, menu: { ...menu.body, provider } }
  })

/** Every file under a storage directory, sorted: to show that a refused upload stored nothing. */
export const storedFilesIn = (directory: string) =>
  readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)).sort()
