import type { Command } from "commander"
import { Clock, Console, Effect, Layer, Option, References } from "effect"
import { DeliveriesLive } from "@nelo/adapters/contexts/DeliveriesLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { runCommand } from "../runCommand.ts"

// Built quietly: the payment gateways' start-up warning (dispatch holds the orders' state machine) is for the API's log, not for an admin's terminal.
const DriversLayer = Layer.mergeAll(DeliveriesLive, UserRepositoryPostgres, ZoneRepositoryPostgres).pipe(
  Layer.provide([PostgresLayer, RedisClientLayer]),
  Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error"))
)

// A terminal lists a page at a time; drivers of a town fit in a few.
const pageSize = 500

const vehicleWords = { motorbike: "moto", bicycle: "vélo", tricycle: "tricycle", car: "voiture" } as const

/** How long ago, as an admin reads it: "il y a 40 s", "il y a 12 min", "il y a 3 h". */
const ago = (milliseconds: number) =>
  milliseconds < 60_000 ? `il y a ${Math.max(0, Math.round(milliseconds / 1_000))} s` : milliseconds < 3_600_000 ? `il y a ${Math.round(milliseconds / 60_000)} min` : `il y a ${Math.round(milliseconds / 3_600_000)} h`

export const registerDriversCommands = (program: Command) => {
  const drivers = program.command("drivers").description("Les livreurs : inscrits, en ligne, leur dernière position.")

  drivers.command("list")
    .description("Les livreurs inscrits (ou seulement ceux en ligne), avec leur véhicule, leur zone et leur dernière position.")
    .option("--online", "seulement ceux en ligne")
    .action((options: { online?: boolean }) =>
      runCommand(Effect.gen(function*() {
        const listDrivers = (yield* Drivers).list
        const users = yield* UserRepository
        const zones = yield* ZoneRepository
        const nowMs = yield* Clock.currentTimeMillis
        let afterId: string | null = null
        let count = 0
        while (true) {
          const page: Effect.Success<ReturnType<typeof listDrivers>> = yield* listDrivers({ onlineOnly: options.online === true, afterId, limit: pageSize })
          if (page.length === 0) break
          const people = new Map((yield* users.findByIds(page.map(({ driver }) => driver.userId as UserId))).map((user) => [user.id as string, user]))
          for (const { driver, position } of page) {
            const person = people.get(driver.userId)
            const zone = Option.getOrUndefined(yield* zones.zoneById(driver.zoneId))
            const seen = position === null ? "jamais localisé" : `vu ${ago(nowMs - position.recordedAt.getTime())} à ${position.location.lat.toFixed(5)},${position.location.lng.toFixed(5)} (±${Math.round(position.accuracyM)} m)`
            yield* Console.log(`${person?.fullName ?? "?"} (${person?.phone ?? "?"}, id ${driver.userId})  ${driver.status === "online" ? "EN LIGNE" : "hors ligne"}  ${vehicleWords[driver.vehicle]}${driver.plate === null ? "" : ` ${driver.plate}`}  zone ${zone?.zoneName ?? driver.zoneId}  ${seen}`)
          }
          count += page.length
          afterId = page.at(-1)!.driver.userId
          if (page.length < pageSize) break
        }
        yield* Console.log(count === 0 ? (options.online === true ? "Aucun livreur en ligne." : "Aucun livreur inscrit.") : `${count} livreur(s)${options.online === true ? " en ligne" : ""}.`)
      }).pipe(Effect.provide(DriversLayer))))
}
