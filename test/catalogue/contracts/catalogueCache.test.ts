import { randomBytes } from "node:crypto"
import { connect, createServer, type Socket } from "node:net"
import { assert, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { CatalogueCacheMemory } from "@nelo/adapters/memory/CatalogueCacheMemory"
import { CatalogueCacheRedis } from "@nelo/adapters/redis/CatalogueCacheRedis"
import { RedisClient, RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { CatalogueCache, menuCacheSeconds, nearbyCacheSeconds } from "@nelo/domain/catalogue/CatalogueCache"
import { captureLogs, eventually } from "../../support/captureLogs.ts"
import { withEnv } from "../../support/withEnv.ts"
import { catalogueCacheContract } from "./catalogueCacheContract.ts"

// The nearby version is one key per prefix: a prefix of this file's own (under the run's, so the
// run's cleanup removes it) keeps other files' invalidations out of these tests.
const keyPrefix = `${process.env.REDIS_KEY_PREFIX ?? "nelo-test"}-catalogue-${randomBytes(3).toString("hex")}`
const redisCache = CatalogueCacheRedis.pipe(Layer.provideMerge(RedisClientLayer), Layer.provide(withEnv({ REDIS_KEY_PREFIX: keyPrefix })))

catalogueCacheContract("memory", CatalogueCacheMemory)
catalogueCacheContract("redis", redisCache)

const dayInSeconds = 24 * 60 * 60
const menuKeys = (providerId: string) => ({
  version: `${keyPrefix}:catalogue:menu:${providerId}:version`,
  value: (version: string) => `${keyPrefix}:catalogue:menu:${providerId}:v${version}`
})

layer(redisCache, { excludeTestServices: true })("CatalogueCacheRedis", (it) => {
  it.effect("copies expire after menuCacheSeconds and nearbyCacheSeconds, version keys after a day", () =>
    Effect.gen(function*() {
      const cache = yield* CatalogueCache
      const { use } = yield* RedisClient
      const providerId = crypto.randomUUID()
      const { version } = yield* cache.readMenu(providerId)
      yield* cache.storeMenu(providerId, version!, `"menu"`)
      const menuTtlMs = yield* use((redis) => redis.pttl(menuKeys(providerId).value(version!)))
      assert.isAbove(menuTtlMs, (menuCacheSeconds - 5) * 1_000)
      assert.isAtMost(menuTtlMs, menuCacheSeconds * 1_000)
      const versionTtl = yield* use((redis) => redis.ttl(menuKeys(providerId).version))
      assert.isAbove(versionTtl, dayInSeconds - 5)
      assert.isAtMost(versionTtl, dayInSeconds)

      const nearby = yield* cache.readNearby("5.89,-4.82|2000|all|any|20|")
      yield* cache.storeNearby("5.89,-4.82|2000|all|any|20|", nearby.version!, `"page"`)
      const nearbyTtlMs = yield* use((redis) => redis.pttl(`${keyPrefix}:catalogue:nearby:v${nearby.version}:5.89,-4.82|2000|all|any|20|`))
      assert.isAbove(nearbyTtlMs, (nearbyCacheSeconds - 5) * 1_000)
      assert.isAtMost(nearbyTtlMs, nearbyCacheSeconds * 1_000)
    }))

  it.effect("an invalidation leaves the old copy in Redis (until it expires) but reads no longer reach it", () =>
    Effect.gen(function*() {
      const cache = yield* CatalogueCache
      const { use } = yield* RedisClient
      const providerId = crypto.randomUUID()
      const old = (yield* cache.readMenu(providerId)).version!
      yield* cache.storeMenu(providerId, old, `"old"`)
      yield* cache.invalidateMenu(providerId)
      assert.strictEqual(yield* use((redis) => redis.get(menuKeys(providerId).value(old))), `"old"`)
      assert.isNull((yield* cache.readMenu(providerId)).json)
    }))

  // The reason versions are tokens, not counters: a counter restarting at 0 would count back up
  // through versions whose copies may still be alive.
  it.effect("a version key that expires never brings an older version back; an invalidation renews its day", () =>
    Effect.gen(function*() {
      const cache = yield* CatalogueCache
      const { use } = yield* RedisClient
      const providerId = crypto.randomUUID()
      const keys = menuKeys(providerId)
      const seen: Array<string> = []
      for (let round = 0; round < 3; round++) {
        const { version } = yield* cache.readMenu(providerId)
        assert.notInclude(seen, version!)
        seen.push(version!)
        yield* cache.storeMenu(providerId, version!, `"copy ${round}"`)
        if (round === 0) yield* cache.invalidateMenu(providerId)
        else yield* use((redis) => redis.del(keys.version)) // as if its day had passed
      }
      assert.isNull((yield* cache.readMenu(providerId)).json)

      yield* use((redis) => redis.expire(keys.version, 10))
      yield* cache.invalidateMenu(providerId)
      assert.isAbove(yield* use((redis) => redis.ttl(keys.version)), dayInSeconds - 5)
    }))

  it.effect("a Redis that forgot its scripts (restart, SCRIPT FLUSH) is sent the script again", () =>
    Effect.gen(function*() {
      const cache = yield* CatalogueCache
      const { use } = yield* RedisClient
      const providerId = crypto.randomUUID()
      const { version } = yield* cache.readMenu(providerId)
      yield* cache.storeMenu(providerId, version!, `"menu"`)
      yield* use((redis) => redis.script("FLUSH"))
      assert.deepStrictEqual(yield* cache.readMenu(providerId), { version, json: `"menu"` })
    }))
})

it.effect("memory: copies expire on the clock, menus after menuCacheSeconds and nearby pages after nearbyCacheSeconds", () =>
  Effect.gen(function*() {
    const cache = yield* CatalogueCache
    const menuVersion = (yield* cache.readMenu("p1")).version!
    yield* cache.storeMenu("p1", menuVersion, `"menu"`)
    const nearbyVersion = (yield* cache.readNearby("k")).version!
    yield* cache.storeNearby("k", nearbyVersion, `"page"`)

    yield* TestClock.adjust(nearbyCacheSeconds * 1_000 - 1)
    assert.strictEqual((yield* cache.readNearby("k")).json, `"page"`)
    yield* TestClock.adjust(1)
    assert.isNull((yield* cache.readNearby("k")).json)
    assert.strictEqual((yield* cache.readMenu("p1")).json, `"menu"`)

    yield* TestClock.adjust((menuCacheSeconds - nearbyCacheSeconds) * 1_000 - 1)
    assert.strictEqual((yield* cache.readMenu("p1")).json, `"menu"`)
    yield* TestClock.adjust(1)
    assert.deepStrictEqual(yield* cache.readMenu("p1"), { version: menuVersion, json: null })
  }).pipe(Effect.provide(CatalogueCacheMemory)))

/** Times an effect on the wall clock: only to catch a call that hangs, not to measure speed. */
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const startedMs = performance.now()
    const result = yield* effect
    return { result, elapsedMs: performance.now() - startedMs }
  })

const assertPromptMiss = (read: { readonly result: unknown; readonly elapsedMs: number }) => {
  assert.deepStrictEqual(read.result, { version: null, json: null })
  assert.isBelow(read.elapsedMs, 1_000, "answers at once, without waiting for Redis")
}

const cacheWarnings = (lines: ReadonlyArray<{ readonly message: unknown; readonly level: string }>) =>
  lines.filter((line) => String(line.message).includes("catalogue cache")).map((line) => String(line.message))

it.live("a Redis that is down is a miss at once; stores and invalidations give up quietly, one warning each", () => {
  const logs = captureLogs()
  return Effect.gen(function*() {
    const cache = yield* CatalogueCache
    for (let request = 0; request < 20; request++) {
      assertPromptMiss(yield* timed(cache.readMenu("provider")))
      assertPromptMiss(yield* timed(cache.readNearby("5.89,-4.82|2000|all|any|20|")))
      yield* cache.storeMenu("provider", "1", `"menu"`)
      yield* cache.storeNearby("key", "1", `"page"`)
      yield* cache.invalidateMenu("provider")
      yield* cache.invalidateNearby
    }
    const warnings = cacheWarnings(logs.lines)
    assert.strictEqual(warnings.length, 2, warnings.join("\n"))
    assert.include(warnings[0], "answering from the database")
    assert.include(warnings[1], "invalidation lost")
  }).pipe(
    Effect.provide(CatalogueCacheRedis.pipe(Layer.provide(RedisClientLayer), Layer.provide(withEnv({ REDIS_URL: "redis://127.0.0.1:1", REDIS_KEY_PREFIX: keyPrefix })))),
    Effect.provide(logs.layer)
  )
})

/**
 * A TCP proxy to the test Redis that can stop passing commands on (they are held, not lost, and
 * sent on when it resumes): Redis up, connected, but not answering.
 */
const stallingRedisProxy = Effect.acquireRelease(
  Effect.promise(() =>
    new Promise<{ url: string; stall: () => void; resume: () => void; close: () => Promise<void> }>((ready) => {
      const target = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379")
      const sockets = new Set<Socket>()
      const held: Array<{ upstream: Socket; chunk: Buffer }> = []
      let stalled = false
      const server = createServer((downstream) => {
        const upstream = connect(Number(target.port || 6379), target.hostname)
        for (const socket of [downstream, upstream]) {
          sockets.add(socket)
          socket.on("error", () => {})
          socket.on("close", () => {
            sockets.delete(socket)
            downstream.destroy()
            upstream.destroy()
          })
        }
        downstream.on("data", (chunk: Buffer) => stalled ? held.push({ upstream, chunk }) : upstream.write(chunk))
        upstream.on("data", (chunk: Buffer) => downstream.write(chunk))
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const url = new URL(target)
        url.hostname = "127.0.0.1"
        url.port = String(typeof address === "object" && address ? address.port : 0)
        ready({
          url: url.toString(),
          stall: () => void (stalled = true),
          resume: () => {
            stalled = false
            for (const { upstream, chunk } of held.splice(0)) upstream.write(chunk)
          },
          close: () => new Promise<void>((closed) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => closed())
          })
        })
      })
    })),
  (proxy) => Effect.promise(proxy.close)
)

it.live("a Redis that is connected but does not answer is a miss within the command timeout", () =>
  Effect.gen(function*() {
    const proxy = yield* stallingRedisProxy
    yield* Effect.gen(function*() {
      const cache = yield* CatalogueCache
      const providerId = crypto.randomUUID()
      const { version } = yield* cache.readMenu(providerId)
      assert.isNotNull(version, "answers through the proxy")
      yield* cache.storeMenu(providerId, version!, `"menu"`)

      proxy.stall()
      assertPromptMiss(yield* timed(cache.readMenu(providerId)))
      assertPromptMiss(yield* timed(cache.readNearby("5.89,-4.82|2000|all|any|20|")))
      assert.isBelow((yield* timed(cache.storeMenu(providerId, version!, `"other"`))).elapsedMs, 1_000)
      assert.isBelow((yield* timed(cache.invalidateNearby)).elapsedMs, 1_000)
      proxy.resume()

      // Once Redis answers again, so does the cache.
      yield* eventually(Effect.map(cache.readNearby("5.89,-4.82|2000|all|any|20|"), (read) => read.version ?? undefined), 5_000, "the cache to answer again")
    }).pipe(Effect.provide(CatalogueCacheRedis.pipe(Layer.provide(RedisClientLayer), Layer.provide(withEnv({ REDIS_URL: proxy.url, REDIS_KEY_PREFIX: keyPrefix })))))
  }))
