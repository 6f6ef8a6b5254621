import type { Session } from "@nelo/domain/auth/Session"
import type { SignedIn } from "@nelo/domain/auth/openSession"
import type { Address } from "@nelo/domain/users/Address"
import type { User } from "@nelo/domain/users/User"

export const userView = (user: User) => ({
  id: user.id,
  phone: user.phone,
  fullName: user.fullName,
  email: user.email,
  language: user.language,
  roles: user.roles,
  referralCode: user.referralCode,
  hasPassword: user.hasPassword,
  hasPin: user.hasPin,
  createdAt: user.createdAt.toISOString()
})

export const signedInView = (signedIn: SignedIn) => ({
  accessToken: signedIn.accessToken,
  accessTokenExpiresAt: signedIn.accessTokenExpiresAt.toISOString(),
  refreshToken: signedIn.refreshToken,
  refreshTokenExpiresAt: signedIn.refreshTokenExpiresAt.toISOString(),
  user: userView(signedIn.user)
})

export const sessionView = (session: Session, currentSessionId: string) => ({
  id: session.id,
  deviceLabel: session.deviceLabel,
  createdAt: session.createdAt.toISOString(),
  lastUsedAt: session.lastUsedAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  current: session.id === currentSessionId
})

export const addressView = (address: Address) => ({
  id: address.id,
  label: address.label,
  location: address.location,
  landmark: address.landmark,
  isDefault: address.isDefault,
  zone: address.zone,
  createdAt: address.createdAt.toISOString(),
  updatedAt: address.updatedAt.toISOString()
})
