import { Schema } from "effect"
import { DriverStatus } from "@nelo/domain/deliveries/Driver"
import type { DriverProfile, LocationUpdate } from "@nelo/domain/deliveries/Drivers"
import type { LivePosition } from "@nelo/domain/deliveries/LocationPoint"
import { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import { KycStatus } from "@nelo/domain/users/Kyc"
import { FiniteBetween, Id, Instant, IntBetween, Text } from "../shared/bounded.ts"
import { Point } from "../shared/bounded.ts"

const PositionView = Schema.Struct({
  location: Point,
  accuracyM: FiniteBetween(0, 100_000),
  headingDeg: Schema.NullOr(FiniteBetween(0, 360)),
  speedMps: Schema.NullOr(FiniteBetween(0, 1_000)),
  recordedAt: Instant
})

const positionView = (position: LivePosition | null): typeof PositionView.Type | null =>
  position === null ? null : {
    location: position.location,
    accuracyM: position.accuracyM,
    headingDeg: position.headingDeg,
    speedMps: position.speedMps,
    recordedAt: position.recordedAt.toISOString()
  }

/** A driver as their app shows them. */
export const DriverView = Schema.Struct({
  userId: Id,
  vehicle: Vehicle,
  plate: Schema.NullOr(Text(20)),
  zoneId: Id,
  status: DriverStatus,
  statusChangedAt: Instant,
  /** The KYC review of their identity and licence: online only once `approved`. */
  kycStatus: KycStatus,
  /** Customers' ratings: their mean (1..5, null before the first) and how many. */
  rating: Schema.Struct({ average: Schema.NullOr(FiniteBetween(1, 5)), count: IntBetween(0, 100_000_000) }),
  /** Where they were last seen (null before a first point). */
  position: Schema.NullOr(PositionView),
  createdAt: Instant
})

export const driverView = (profile: DriverProfile): typeof DriverView.Type => ({
  userId: profile.driver.userId,
  vehicle: profile.driver.vehicle,
  plate: profile.driver.plate,
  zoneId: profile.driver.zoneId,
  status: profile.driver.status,
  statusChangedAt: profile.driver.statusChangedAt.toISOString(),
  kycStatus: profile.kycStatus,
  rating: {
    average: profile.driver.ratingCount === 0 ? null : Math.round((profile.driver.ratingSum / profile.driver.ratingCount) * 100) / 100,
    count: profile.driver.ratingCount
  },
  position: positionView(profile.position),
  createdAt: profile.driver.createdAt.toISOString()
})

/** What became of a batch of points: how many were kept, which were dropped and why, and the position now. */
export const LocationUpdateView = Schema.Struct({
  kept: IntBetween(0, 50),
  dropped: Schema.Array(Schema.Struct({
    index: IntBetween(0, 49),
    reason: Schema.Literals(["older_than_last", "from_the_future", "inaccurate"])
  })).pipe(Schema.check(Schema.isMaxLength(50))),
  position: Schema.NullOr(PositionView)
})

export const locationUpdateView = (update: LocationUpdate): typeof LocationUpdateView.Type => ({
  kept: update.kept.length,
  dropped: update.dropped,
  position: positionView(update.position)
})
