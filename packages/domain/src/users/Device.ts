import { Schema } from "effect"

export const DevicePlatform = Schema.Literals(["android", "ios", "web"])
export type DevicePlatform = typeof DevicePlatform.Type

/** A push registration token as Firebase Cloud Messaging hands it to the app (opaque, URL-safe-ish). */
export const PushToken = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_:.\-]{20,4096}$/u, { expected: "un jeton d'enregistrement FCM" })))

/** A phone that receives this user's push notifications. */
export interface Device {
  readonly id: string
  readonly userId: string
  readonly token: string
  readonly platform: DevicePlatform
  readonly createdAt: Date
  /** When the app last registered it: the stalest go first when a user has too many. */
  readonly lastSeenAt: Date
}

/** Phones a person uses at once, in practice a few; older registrations beyond it are dropped. */
export const maximumDevicesPerUser = 10
