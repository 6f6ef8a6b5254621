import type { UserId } from "../users/User.ts"

/** One signed-in device. Its refresh token rotates at every use; revoking it signs the device out. */
export interface Session {
  readonly id: string
  readonly userId: UserId
  readonly deviceLabel: string
  readonly createdAt: Date
  readonly lastUsedAt: Date
  readonly expiresAt: Date
}
