import { Schema } from "effect"
import type { SignedIn } from "@nelo/domain/auth/openSession"
import type { Session } from "@nelo/domain/auth/Session"
import { FiniteBetween, Id, Instant, Text } from "../shared/bounded.ts"
import { type PublicUrlOf, userView, UserView } from "../users/views.ts"

const Token = Text(4096)

export const SignedInView = Schema.Struct({
  accessToken: Token,
  accessTokenExpiresAt: Instant,
  refreshToken: Token,
  refreshTokenExpiresAt: Instant,
  user: UserView
})

export const SessionView = Schema.Struct({
  id: Id,
  deviceLabel: Text(200),
  createdAt: Instant,
  lastUsedAt: Instant,
  expiresAt: Instant,
  current: Schema.Boolean
})

/** Seconds, possibly fractional (a deployment may set delays in milliseconds). */
const Seconds = FiniteBetween(0, 86_400)

export const OtpSentView = Schema.Struct({ expiresInSeconds: Seconds, resendAfterSeconds: Seconds })

export const VerifiedView = Schema.Struct({ verificationToken: Token, expiresAt: Instant })

export const signedInView = (publicUrlOf: PublicUrlOf) => (signedIn: SignedIn): typeof SignedInView.Type => ({
  accessToken: signedIn.accessToken,
  accessTokenExpiresAt: signedIn.accessTokenExpiresAt.toISOString(),
  refreshToken: signedIn.refreshToken,
  refreshTokenExpiresAt: signedIn.refreshTokenExpiresAt.toISOString(),
  user: userView(signedIn.user, publicUrlOf)
})

export const sessionView = (session: Session, currentSessionId: string): typeof SessionView.Type => ({
  id: session.id,
  deviceLabel: session.deviceLabel,
  createdAt: session.createdAt.toISOString(),
  lastUsedAt: session.lastUsedAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  current: session.id === currentSessionId
})
