import { Context, type Effect } from "effect"
import type { AuthStoreUnavailable } from "../auth/errors.ts"
import type { Device, DevicePlatform } from "./Device.ts"
import type { UserId } from "./User.ts"

/**
 * The phones push notifications go to. A token belongs to one user at a time: registered again by
 * another account (the phone changed hands, or someone else signed in on it), it moves to that
 * account. What a user does names the owner: another user's device is simply not found (only
 * `forget`, for the notifications, goes by the device alone).
 */
export class DeviceRepository extends Context.Service<DeviceRepository, {
  /**
   * Registers the token for this user (or refreshes it: same id, lastSeenAt now), then keeps the
   * user's `keep` most recently seen devices and forgets the others.
   */
  readonly register: (input: { readonly id: string; readonly userId: UserId; readonly token: string; readonly platform: DevicePlatform; readonly now: Date; readonly keep: number }) => Effect.Effect<Device, AuthStoreUnavailable>
  /** Most recently seen first. */
  readonly list: (userId: UserId) => Effect.Effect<ReadonlyArray<Device>, AuthStoreUnavailable>
  readonly remove: (userId: UserId, id: string) => Effect.Effect<boolean, AuthStoreUnavailable>
  /**
   * Forgets a device whoever owns it: for the notifications, when the push service says its token
   * is dead (the app was uninstalled), which no user asks for. False when it was already gone.
   */
  readonly forget: (id: string) => Effect.Effect<boolean, AuthStoreUnavailable>
}>()("nelo/users/DeviceRepository") {}
