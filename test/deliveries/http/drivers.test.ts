import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { client } from "../../support/authClient.ts"
import { type NeloClient, problemOf } from "../../support/neloClient.ts"
import { ok, orderTestbed, places } from "../../support/orderClient.ts"
import { cli } from "../../support/runProcess.ts"
import type { Testbed } from "../../support/walletClient.ts"

// A driver through their app: they register (vehicle, plate, home zone), send their licence, wait
// for an admin's approval (nelo-admin kyc approve), send their position (one point, or a batch sent
// late when the network comes back), and go online; everything refused says why, and changes nothing.

class Bed extends Context.Service<Bed, Testbed>()("test/drivers/Bed") {}
const BedLayer = Layer.effect(Bed, orderTestbed()).pipe(Layer.provideMerge(PostgresLayer))

const pdf = () => Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

/** A person signed up through the app (not a driver yet): their typed client, raw requests and phone. */
const person = Effect.gen(function*() {
  const bed = yield* Bed
  const { as, request, registered } = client(bed.api)
  const account = yield* registered()
  const token = account.accessToken
  return { userId: account.user.id, phone: account.phone, token, api: as(token) as NeloClient, request: (method: string, path: string, body?: unknown) => request(method, path, { body, token }) }
})

/** The zone of a place in Tiassalé, as the app finds it. */
const zoneAt = (at: { readonly lat: number; readonly lng: number }) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    const found = yield* ok(client(bed.api).as().zones.lookup({ payload: at }))
    return found.zone!.id
  })

/** The licence sent, and approved by an admin through the CLI, as in production. */
const approved = (driver: Effect.Success<typeof person>) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    const form = new FormData()
    form.append("type", "driving_licence")
    form.append("file", new Blob([new Uint8Array(pdf())], { type: "application/pdf" }), "permis.pdf")
    const sent = yield* Effect.promise(() => fetch(`${bed.api.url}/api/v1/users/me/kyc/documents`, { method: "POST", headers: { authorization: `Bearer ${driver.token}` }, body: form }))
    assert.strictEqual(sent.status, 201)
    // The CLI reaches the run's database through DATABASE_URL, as every process of the test run.
    const result = yield* Effect.promise(() => cli(["kyc", "approve", "--phone", driver.phone]))
    assert.strictEqual(result.code, 0, result.stderr)
  })

const point = (at: { readonly lat: number; readonly lng: number }, secondsAgo: number, accuracyM = 8) => ({
  lat: at.lat,
  lng: at.lng,
  accuracyM,
  headingDeg: 90,
  speedMps: 5,
  recordedAt: new Date(Math.floor((Date.now() - secondsAgo * 1_000) / 1_000) * 1_000)
})

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("drivers over HTTP", (it) => {
  it.effect("register: a driver, offline, KYC to do, the role given; registered once; an unknown zone or a bad vehicle is refused and nothing is written", () =>
    Effect.gen(function*() {
      const koffi = yield* person
      const zoneId = yield* zoneAt(places.market)
      const notYet = yield* problemOf(koffi.api.drivers.me())
      assert.strictEqual(notYet.status, 404)
      assert.strictEqual(notYet.body.code, "driver_not_registered")

      const badVehicle = yield* koffi.request("POST", "/api/v1/drivers/register", { vehicle: "horse", zoneId })
      assert.strictEqual(badVehicle.status, 400)
      assert.include(JSON.stringify(badVehicle.body), "vehicle")
      const badZone = yield* problemOf(koffi.api.drivers.register({ payload: { vehicle: "motorbike", plate: "1234 AB 01", zoneId: crypto.randomUUID() } }))
      assert.strictEqual(badZone.status, 422)
      assert.strictEqual(badZone.body.code, "zone_not_found")
      assert.strictEqual((yield* problemOf(koffi.api.drivers.me())).status, 404, "nothing was written")

      const driver = yield* ok(koffi.api.drivers.register({ payload: { vehicle: "motorbike", plate: "1234 AB 01", zoneId } }))
      assert.deepInclude(driver, { userId: koffi.userId, vehicle: "motorbike", plate: "1234 AB 01", zoneId, status: "offline", kycStatus: "none", position: null, rating: { average: null, count: 0 } })
      const roles = yield* (yield* SqlClient.SqlClient)<{ roles: ReadonlyArray<string> }>`SELECT roles FROM users.users WHERE id = ${koffi.userId}`
      assert.include(roles[0]!.roles, "driver")
      const again = yield* problemOf(koffi.api.drivers.register({ payload: { vehicle: "bicycle", zoneId } }))
      assert.strictEqual(again.status, 409)
      assert.strictEqual(again.body.code, "driver_already_registered")
      assert.deepStrictEqual(yield* ok(koffi.api.drivers.me()), driver)

      const anonymous = yield* client((yield* Bed).api).request("GET", "/api/v1/drivers/me")
      assert.strictEqual(anonymous.status, 401)
    }))

  it.effect("online only with the KYC approved and a fresh position, each refusal saying why; offline at any time", () =>
    Effect.gen(function*() {
      const awa = yield* person
      yield* ok(awa.api.drivers.register({ payload: { vehicle: "tricycle", plate: "5678 CD 01", zoneId: yield* zoneAt(places.prof) } }))
      const online = () => problemOf(awa.api.drivers.status({ payload: { status: "online" } }))

      const noKyc = yield* online()
      assert.strictEqual(noKyc.status, 409)
      assert.deepInclude(noKyc.body, { code: "cannot_go_online", reason: "kyc_not_approved", kycStatus: "none" })
      assert.match(noKyc.body.message, /validés/u)

      yield* approved(awa)
      const noPosition = yield* online()
      assert.deepInclude(noPosition.body, { code: "cannot_go_online", reason: "location_stale" })
      // A position of five minutes ago is not fresh enough.
      yield* ok(awa.api.drivers.location({ payload: point(places.prof, 300) }))
      assert.deepInclude((yield* online()).body, { reason: "location_stale" })

      yield* ok(awa.api.drivers.location({ payload: point(places.prof, 5) }))
      const onDuty = yield* ok(awa.api.drivers.status({ payload: { status: "online" } }))
      assert.deepInclude(onDuty, { status: "online", kycStatus: "approved" })
      assert.strictEqual((yield* ok(awa.api.drivers.status({ payload: { status: "online" } }))).statusChangedAt, onDuty.statusChangedAt, "asked twice: nothing changes")
      const offDuty = yield* ok(awa.api.drivers.status({ payload: { status: "offline" } }))
      assert.strictEqual(offDuty.status, "offline")
      assert.strictEqual((yield* awa.request("PUT", "/api/v1/drivers/me/status", { status: "busy" })).status, 400)
    }))

  it.effect("location: one point, or a batch sent late: out of order sorted, older than the last, inaccurate and future points dropped with their reason; the newest is the position", () =>
    Effect.gen(function*() {
      const yao = yield* person
      yield* ok(yao.api.drivers.register({ payload: { vehicle: "motorbike", plate: "9012 EF 01", zoneId: yield* zoneAt(places.market) } }))
      const first = yield* ok(yao.api.drivers.location({ payload: point(places.market, 120) }))
      assert.strictEqual(first.kept, 1)
      assert.deepStrictEqual(first.dropped, [])
      assert.deepStrictEqual(first.position?.location, places.market)

      const batch = [
        point(places.prof, 30), // kept
        point(places.baoulekro, 200), // older than the last kept (120 s ago)
        point(places.prof, 60, 120), // inaccurate: 120 m
        point(places.baoulekro, 10), // kept, the newest
        point(places.prof, -600), // ten minutes in the future
        point(places.market, 90) // kept (out of order: sorted)
      ]
      const update = yield* ok(yao.api.drivers.location({ payload: { points: batch } }))
      assert.strictEqual(update.kept, 3)
      assert.deepStrictEqual(update.dropped, [
        { index: 1, reason: "older_than_last" },
        { index: 2, reason: "inaccurate" },
        { index: 4, reason: "from_the_future" }
      ])
      assert.deepStrictEqual(update.position?.location, places.baoulekro)
      assert.strictEqual(update.position?.recordedAt, batch[3]!.recordedAt.toISOString())
      assert.deepStrictEqual((yield* ok(yao.api.drivers.me())).position, update.position)

      // A batch of nothing usable changes nothing.
      const stale = yield* ok(yao.api.drivers.location({ payload: { points: [point(places.market, 500)] } }))
      assert.strictEqual(stale.kept, 0)
      assert.deepStrictEqual(stale.position, update.position)

      // Bad input is refused with the field's path, and the position stays.
      const refusals = [
        [{ ...point(places.market, 1), lat: 91 }, "lat"],
        [{ ...point(places.market, 1), recordedAt: "hier" }, "recordedAt"],
        [{ ...point(places.market, 1), accuracyM: -1 }, "accuracyM"],
        [{ points: Array.from({ length: 51 }, (_, index) => point(places.market, 60 - index)) }, "points"],
        [{ points: [] }, "points"],
        [{ lat: 5.9 }, "lng"]
      ] as const
      for (const [body, field] of refusals) {
        const refused = yield* yao.request("PUT", "/api/v1/drivers/me/location", body)
        assert.strictEqual(refused.status, 400, JSON.stringify(refused.body))
        assert.strictEqual(refused.headers.get("content-type"), "application/problem+json")
        assert.include(JSON.stringify(refused.body), field)
      }
      assert.deepStrictEqual((yield* ok(yao.api.drivers.me())).position, update.position)

      const notDriver = yield* person
      assert.strictEqual((yield* problemOf(notDriver.api.drivers.location({ payload: point(places.market, 1) }))).body.code, "driver_not_registered")
    }))
})
