import { Schema } from "effect"
import { KycStatus } from "../users/Kyc.ts"

/** The drivers' store (Postgres) or the live positions (Redis) could not be reached: nothing was changed. */
export class DeliveriesUnavailable extends Schema.TaggedError<DeliveriesUnavailable>()("DeliveriesUnavailable", {
  cause: Schema.Defect()
}) {}

/** The caller is not a driver (yet): they register first. */
export class DriverNotRegistered extends Schema.TaggedError<DriverNotRegistered>()("DriverNotRegistered", {}) {}

/** Registered already: a second registration changes nothing. */
export class DriverAlreadyRegistered extends Schema.TaggedError<DriverAlreadyRegistered>()("DriverAlreadyRegistered", {}) {}

/** The home zone named does not exist. */
export class DriverZoneNotFound extends Schema.TaggedError<DriverZoneNotFound>()("DriverZoneNotFound", {}) {}

/**
 * Why a driver may not go online now: each reason says what to do. (The cash-in-hand cap joins them
 * with the driver's cash account, when deliveries are completed with cash.)
 */
export class CannotGoOnline extends Schema.TaggedError<CannotGoOnline>()("CannotGoOnline", {
  reason: Schema.Literals(["kyc_not_approved", "location_stale"]),
  kycStatus: Schema.optionalKey(KycStatus)
}) {}
