import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { DeliveriesLive, DeliveriesPorts } from "@nelo/adapters/contexts/DeliveriesLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { DriverRepository } from "@nelo/domain/deliveries/DriverRepository"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { cli } from "../../support/runProcess.ts"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

// nelo-admin drivers list in the real process, against the run's database and Redis: every driver
// with their vehicle, zone and last position, or only those online; a bad option is refused.

const Context = Layer.mergeAll(DeliveriesLive, DeliveriesPorts, UserRepositoryPostgres, ZoneRepositoryPostgres).pipe(Layer.provide([PostgresLayer, RedisClientLayer]))

layer(Context, { excludeTestServices: true, timeout: "120 seconds" })("nelo-admin drivers list", (it) => {
  it.effect("lists the drivers with their status, vehicle, zone and last position; --online only those online", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const zone = Option.getOrThrow(yield* (yield* ZoneRepository).zoneAt({ lat: 5.89, lng: -4.833 }))
      const users = yield* UserRepository
      const drivers = yield* Drivers
      const [onDuty, resting] = yield* Effect.forEach([0, 1], () => users.create(makeNewUser()))
      for (const [user, vehicle] of [[onDuty!, "motorbike"], [resting!, "bicycle"]] as const) {
        yield* drivers.register({ userId: user.id, roles: user.roles }, { vehicle, plate: vehicle === "bicycle" ? null : "4321 GH 01", zoneId: zone.zoneId })
      }
      yield* drivers.updateLocation({ userId: onDuty!.id, roles: ["driver"] }, [{ lat: 5.8901, lng: -4.8331, accuracyM: 12, headingDeg: null, speedMps: null, recordedAt: new Date(Date.now() - 30_000) }])
      // Online as if approved (the approval's path is the HTTP test's): the listing is what is tested here.
      yield* (yield* DriverRepository).setStatus(onDuty!.id, "online", new Date())

      const all = yield* Effect.promise(() => cli(["drivers", "list"]))
      assert.strictEqual(all.code, 0, all.stderr)
      const line = (phone: string) => all.stdout.split("\n").find((candidate) => candidate.includes(phone)) ?? ""
      assert.match(line(onDuty!.phone), /EN LIGNE {2}moto 4321 GH 01 {2}zone Baoulékro {2}vu il y a \d+ s à 5\.89010,-4\.83310 \(±12 m\)/u)
      assert.match(line(resting!.phone), /hors ligne {2}vélo {2}zone Baoulékro {2}jamais localisé/u)
      assert.match(all.stdout, /\d+ livreur\(s\)\.\n$/u)

      const online = yield* Effect.promise(() => cli(["drivers", "list", "--online"]))
      assert.strictEqual(online.code, 0, online.stderr)
      assert.include(online.stdout, onDuty!.phone)
      assert.notInclude(online.stdout, resting!.phone)

      const refused = yield* Effect.promise(() => cli(["drivers", "list", "--offline"]))
      assert.notStrictEqual(refused.code, 0)
      assert.include(refused.stderr, "--offline")
    }))
})
