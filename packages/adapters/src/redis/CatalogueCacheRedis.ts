import { createHash, randomBytes } from "node:crypto"
import { Clock, Effect, Layer } from "effect"
import type { Redis } from "ioredis"
import { CatalogueCache, menuCacheSeconds, nearbyCacheSeconds, type VersionedRead } from "@nelo/domain/catalogue/CatalogueCache"
import { RedisClient, RedisUnavailable } from "./RedisClient.ts"

/**
 * Keys, under the process's prefix:
 *   catalogue:menu:<providerId>:version          the menu's current version
 *   catalogue:menu:<providerId>:v<version>       the menu's copy at that version (EX menuCacheSeconds)
 *   catalogue:nearby:version                     the one version of every nearby page
 *   catalogue:nearby:v<version>:<key>            a nearby page at that version (EX nearbyCacheSeconds)
 *
 * Versions are unique tokens, never counters. A version key lives a day (so the keys of providers
 * nobody reads or edits any more do not pile up), and an invalidation replaces it with a new token.
 * With counters, an expired version key would restart at 0 and count up again through numbers
 * whose copies may still be alive: a reader that saw v1, read the database before a write and
 * stored after it, would then have its stale copy served as the current v1. A token is never
 * given twice (a random per-process part and a sequence number), so a version that expires or
 * is replaced never comes back, and a copy stored under it is never read again. A read that finds
 * no version key creates one with a fresh token in the same script, so there is nothing like a
 * shared "version 0" either.
 *
 * Every command is bounded in time (commandTimeoutMs): a Redis that is down, or up but not
 * answering, is a miss (version null, the caller answers from the database and stores nothing),
 * and a store or an invalidation that does not land is given up. A timed-out command is not
 * withdrawn from ioredis, so a slow invalidation usually still lands late.
 *
 * A lost invalidation (the write committed while this process could not reach Redis) means the
 * copy at the current version may be served stale once Redis answers again: at most until that
 * copy's own expiry, menuCacheSeconds (300 s) for a menu and nearbyCacheSeconds (20 s) for nearby
 * pages, counted from when it was stored (so a request in flight may add its own duration). Every
 * copy carries an expiry and a version never outlives its copies' validity, so nothing stays stale
 * longer. A lost invalidation is logged (at most once every warningIntervalMs, not per request).
 *
 * The value key is computed inside the script from the version it reads, so the scripts need a
 * single Redis (not a cluster, where every key must be named in KEYS and share a slot).
 */

const commandTimeoutMs = 100
const versionKeySeconds = 24 * 60 * 60
const warningIntervalMs = 10_000
// A longer nearby key (it carries the cursor) is replaced by its SHA-1.
const longestPlainKey = 64

// KEYS[1] version key; ARGV[1] a fresh token, used if there is no version yet; ARGV[2] the version
// key's time to live; ARGV[3] .. version .. ARGV[4] the value key.
const readScript = `
local version = redis.call('GET', KEYS[1])
if not version then
  version = ARGV[1]
  redis.call('SET', KEYS[1], version, 'EX', ARGV[2])
end
return {version, redis.call('GET', ARGV[3] .. version .. ARGV[4])}`
const readScriptSha = createHash("sha1").update(readScript).digest("hex")

/** EVALSHA, falling back to EVAL (which loads the script) when Redis does not know it yet. */
const evalRead = (redis: Redis, ...args: ReadonlyArray<string | number>) =>
  (redis.evalsha(readScriptSha, 1, ...args) as Promise<[string, string | null]>).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith("NOSCRIPT")) return redis.eval(readScript, 1, ...args) as Promise<[string, string | null]>
    throw error
  })

/** Injective: a plain key never starts with "sha1-", a hashed one always does. */
const nearbyKeyPart = (key: string) =>
  key.length <= longestPlainKey && !key.startsWith("sha1-") ? key : `sha1-${createHash("sha1").update(key).digest("hex")}`

class NoAnswer extends Error {}

const reasonOf = (failure: RedisUnavailable | NoAnswer) => {
  const cause = failure instanceof RedisUnavailable ? failure.cause : failure
  return cause instanceof Error ? cause.message : String(cause)
}

export const CatalogueCacheRedis = Layer.effect(CatalogueCache, Effect.gen(function*() {
  const client = yield* RedisClient
  const key = (...parts: ReadonlyArray<string>) => [client.keyPrefix, ...parts].join(":")

  // Unique across processes (random part) and within this one (sequence).
  const tokenPrefix = randomBytes(6).toString("base64url")
  let tokenSequence = 0
  const newToken = () => `${tokenPrefix}${(tokenSequence++).toString(36)}`

  // One warning per kind of failure every warningIntervalMs: an outage must not log per request.
  const lastWarningMs = { unreachable: Number.NEGATIVE_INFINITY, invalidation: Number.NEGATIVE_INFINITY }
  const warn = (kind: keyof typeof lastWarningMs, message: string, failure: RedisUnavailable | NoAnswer) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMs) => {
      if (nowMs - lastWarningMs[kind] < warningIntervalMs) return Effect.void
      lastWarningMs[kind] = nowMs
      return Effect.logWarning(message).pipe(Effect.annotateLogs({ reason: reasonOf(failure) }))
    })

  /** The command, or onFailure (which warns, throttled) when Redis fails or is too slow to answer. */
  const bounded = <A>(command: (redis: Redis) => Promise<A>, onFailure: (failure: RedisUnavailable | NoAnswer) => Effect.Effect<A>) =>
    client.use(command).pipe(
      Effect.timeoutOrElse({ duration: commandTimeoutMs, orElse: () => Effect.fail(new NoAnswer(`no answer within ${commandTimeoutMs} ms`)) }),
      Effect.catch(onFailure)
    )

  const unreachableMessage = "catalogue cache unreachable: answering from the database"
  const read = (versionKey: string, valuePrefix: string, valueSuffix: string): Effect.Effect<VersionedRead> =>
    bounded(
      async (redis): Promise<VersionedRead> => {
        const [version, json] = await evalRead(redis, versionKey, newToken(), versionKeySeconds, valuePrefix, valueSuffix)
        return { version, json }
      },
      (failure) => Effect.as(warn("unreachable", unreachableMessage, failure), { version: null, json: null })
    )

  const store = (valueKey: string, json: string, seconds: number) =>
    bounded(async (redis) => void await redis.set(valueKey, json, "EX", seconds), (failure) =>
      warn("unreachable", unreachableMessage, failure))

  const invalidate = (versionKey: string, staleForSeconds: number) =>
    bounded(async (redis) => void await redis.set(versionKey, newToken(), "EX", versionKeySeconds), (failure) =>
      warn("invalidation", `catalogue cache invalidation lost: copies may be stale for up to ${staleForSeconds} s`, failure).pipe(
        Effect.annotateLogs({ versionKey })
      ))

  const menuVersionKey = (providerId: string) => key("catalogue", "menu", providerId, "version")
  const menuValuePrefix = (providerId: string) => `${key("catalogue", "menu", providerId)}:v`
  const nearbyVersionKey = key("catalogue", "nearby", "version")
  const nearbyValuePrefix = `${key("catalogue", "nearby")}:v`

  return CatalogueCache.of({
    readMenu: (providerId) => read(menuVersionKey(providerId), menuValuePrefix(providerId), ""),
    storeMenu: (providerId, version, json) => store(`${menuValuePrefix(providerId)}${version}`, json, menuCacheSeconds),
    invalidateMenu: (providerId) => invalidate(menuVersionKey(providerId), menuCacheSeconds),
    readNearby: (nearbyKey) => read(nearbyVersionKey, nearbyValuePrefix, `:${nearbyKeyPart(nearbyKey)}`),
    storeNearby: (nearbyKey, version, json) => store(`${nearbyValuePrefix}${version}:${nearbyKeyPart(nearbyKey)}`, json, nearbyCacheSeconds),
    invalidateNearby: invalidate(nearbyVersionKey, nearbyCacheSeconds)
  })
}))
