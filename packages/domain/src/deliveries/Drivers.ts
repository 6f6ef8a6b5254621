import { Clock, Context, Effect, Layer, Option } from "effect"
import { ZoneRepository } from "../geo/ZoneRepository.ts"
import { Transactional } from "../shared/Transactional.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { DeliveryRepository } from "./DeliveryRepository.ts"
import { sampleTrail } from "./sampleTrail.ts"
import { KycRepository } from "../users/KycRepository.ts"
import type { KycStatus } from "../users/Kyc.ts"
import type { Role, UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { acceptLocationPoints, type AcceptedPoints } from "./acceptLocationPoints.ts"
import type { Driver, DriverStatus } from "./Driver.ts"
import { DriverPolicy } from "./DriverPolicy.ts"
import { type DriverListQuery, DriverRepository } from "./DriverRepository.ts"
import { CannotGoOnline, DriverAlreadyRegistered, DriverNotRegistered, DriverZoneNotFound } from "./errors.ts"
import { LivePositions } from "./LivePositions.ts"
import { makeSetSilentDriversOffline } from "./setSilentDriversOffline.ts"
import type { LivePosition, LocationPoint } from "./LocationPoint.ts"
import type { Vehicle } from "./Vehicle.ts"

/** Who is asking: the authenticated user and their roles. */
export interface DriverViewer {
  readonly userId: UserId
  readonly roles: ReadonlyArray<Role>
}

export interface Registration {
  readonly vehicle: Vehicle
  readonly plate: string | null
  readonly zoneId: string
}

/** A driver as their app shows them: the profile, the KYC review, where they were last seen. */
export interface DriverProfile {
  readonly driver: Driver
  readonly kycStatus: KycStatus
  readonly position: LivePosition | null
}

export interface LocationUpdate extends AcceptedPoints {
  /** The live position after the batch (unchanged when nothing was kept; none before a first point). */
  readonly position: LivePosition | null
}

/**
 * The drivers' own use cases: registering (the caller becomes a driver, with the role), the profile,
 * going online or offline, and the location the phone sends. Admins list the drivers.
 */
export class Drivers extends Context.Service<Drivers>()("nelo/deliveries/Drivers", {
  make: Effect.gen(function*() {
    const drivers = yield* DriverRepository
    const positions = yield* LivePositions
    const zones = yield* ZoneRepository
    const users = yield* UserRepository
    const kyc = yield* KycRepository
    const transactional = yield* Transactional
    const policy = yield* DriverPolicy
    const ledger = yield* Ledger
    const deliveries = yield* DeliveryRepository

    const driverOf = (userId: string) =>
      Effect.flatMap(drivers.findById(userId), Option.match({ onNone: () => Effect.fail(new DriverNotRegistered()), onSome: Effect.succeed }))

    const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

    const profileOf = (driver: Driver) =>
      Effect.map(
        Effect.all([kyc.statusOf(driver.userId as UserId), positions.positionOf(driver.userId)], { concurrency: "unbounded" }),
        ([kycStatus, position]): DriverProfile => ({ driver, kycStatus, position: Option.getOrNull(position) })
      )

    return {
      /**
       * The caller becomes a driver: offline, with their vehicle and home zone, and the `driver` role
       * (in the same transaction). Their documents go through the KYC upload; an admin approves them.
       */
      register: Effect.fn("Drivers.register")(function*(viewer: DriverViewer, registration: Registration) {
        if (Option.isNone(yield* zones.zoneById(registration.zoneId))) return yield* new DriverZoneNotFound()
        const at = yield* now
        const driver = yield* transactional.run(Effect.gen(function*() {
          const registered = yield* drivers.register({
            userId: viewer.userId,
            vehicle: registration.vehicle,
            plate: registration.plate,
            zoneId: registration.zoneId,
            status: "offline",
            statusChangedAt: at,
            lastDeliveredAt: null,
            ratingSum: 0,
            ratingCount: 0,
            createdAt: at
          })
          if (registered._tag === "AlreadyRegistered") return yield* new DriverAlreadyRegistered()
          const user = yield* users.findById(viewer.userId)
          // The account exists: the token that asked was issued to it.
          const roles = Option.match(user, { onNone: () => viewer.roles, onSome: (found) => found.roles })
          if (!roles.includes("driver")) yield* users.setRoles(viewer.userId, [...roles, "driver"])
          return registered.driver
        }))
        return yield* profileOf(driver)
      }),

      me: Effect.fn("Drivers.me")(function*(viewer: DriverViewer) {
        return yield* profileOf(yield* driverOf(viewer.userId))
      }),

      /**
       * Online only with the KYC approved, a position fresher than `freshLocationMs` (the app sends
       * one first: offered work, a driver must be where matching thinks) and the cash he holds for
       * NELO under the cap. Offline always.
       */
      setStatus: Effect.fn("Drivers.setStatus")(function*(viewer: DriverViewer, status: DriverStatus) {
        const driver = yield* driverOf(viewer.userId)
        const at = yield* now
        if (status === "online") {
          const kycStatus = yield* kyc.statusOf(viewer.userId)
          if (kycStatus !== "approved") return yield* new CannotGoOnline({ reason: "kyc_not_approved", kycStatus })
          const position = yield* positions.positionOf(viewer.userId)
          if (Option.isNone(position) || at.getTime() - position.value.recordedAt.getTime() > policy.freshLocationMs) {
            return yield* new CannotGoOnline({ reason: "location_stale" })
          }
          // At the cap he could take no cash order: he hands the cash in first (remittance).
          const cashHeldXof = (yield* ledger.cashHeldBy([viewer.userId])).get(viewer.userId) ?? 0
          if (cashHeldXof >= policy.cashInHandCapXof) return yield* new CannotGoOnline({ reason: "cash_cap_reached", cashHeldXof, capXof: policy.cashInHandCapXof })
        }
        if (driver.status === status) return yield* profileOf(driver)
        return yield* profileOf(Option.getOrElse(yield* drivers.setStatus(viewer.userId, status, at), () => driver))
      }),

      /**
       * A batch of points from the phone (one, or up to 50 sent late): the acceptable ones kept, the
       * newest becoming the live position. Sent while offline too: going online needs a fresh one.
       */
      updateLocation: Effect.fn("Drivers.updateLocation")(function*(viewer: DriverViewer, points: ReadonlyArray<LocationPoint>) {
        yield* driverOf(viewer.userId)
        const state = yield* positions.stateOf(viewer.userId)
        const last = Option.getOrNull(state.position)
        const accepted = acceptLocationPoints(points, last?.recordedAt ?? null, yield* Clock.currentTimeMillis, policy)
        const newest = accepted.kept.at(-1)
        if (newest === undefined) return { ...accepted, position: last } satisfies LocationUpdate
        const position: LivePosition = {
          driverId: viewer.userId,
          location: { lat: newest.lat, lng: newest.lng },
          accuracyM: newest.accuracyM,
          headingDeg: newest.headingDeg,
          speedMps: newest.speedMps,
          recordedAt: newest.recordedAt
        }
        yield* positions.record(position)
        // Holding a delivery: its trail keeps a point every 25 m or 30 s, for disputes.
        if (state.trail !== null) {
          const trail = state.trail
          const sampled = sampleTrail(trail.lastKept, accepted.kept.map((point) => ({ location: { lat: point.lat, lng: point.lng }, accuracyM: point.accuracyM, recordedAt: point.recordedAt })), policy)
          const lastSampled = sampled.at(-1)
          if (lastSampled !== undefined) {
            yield* deliveries.appendTrail(sampled.map((point) => ({ deliveryId: trail.deliveryId, driverId: viewer.userId, ...point })))
            yield* positions.setTrail(viewer.userId, { deliveryId: trail.deliveryId, lastKept: { location: lastSampled.location, recordedAt: lastSampled.recordedAt } })
          }
        }
        return { ...accepted, position } satisfies LocationUpdate
      }),

      /** The worker's sweep: online drivers silent too long set offline, each told by SMS. */
      setSilentOffline: yield* makeSetSilentDriversOffline,

      /** For the operators (the CLI): the drivers by user id, the online ones only when asked, with their positions. */
      list: Effect.fn("Drivers.list")(function*(query: DriverListQuery) {
        const found = yield* drivers.list(query)
        const withPositions = yield* Effect.forEach(found, (driver) => Effect.map(positions.positionOf(driver.userId), (position) => ({ driver, position: Option.getOrNull(position) })), { concurrency: 8 })
        return withPositions
      })
    }
  })
}) {
  static readonly layer = Layer.effect(Drivers, Drivers.make)
}
