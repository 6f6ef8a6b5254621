import { Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { Auth } from "@nelo/domain/auth/Auth"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { NeloApi } from "../NeloApi.ts"
import { clientIp, TrustedProxyHops } from "../middleware/clientIp.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { sessionView, signedInView } from "./views.ts"

// What the session manager shows for a device: the app's User-Agent, bounded.
const deviceLabelOf = (request: HttpServerRequest.HttpServerRequest) =>
  (request.headers["user-agent"] ?? "Appareil inconnu").slice(0, 200)

export const AuthHandlers = HttpApiBuilder.group(NeloApi, "auth", Effect.fn(function*(handlers) {
  const auth = yield* Auth
  const trustedProxyHops = yield* TrustedProxyHops
  const storage = yield* ObjectStorage
  const toSignedInView = signedInView((key) => storage.publicUrl(key))
  const otpSent = {
    expiresInSeconds: auth.policy.otpTtlMs / 1000,
    resendAfterSeconds: auth.policy.otpResendCooldownMs / 1000
  }
  return handlers.handleAll({
    sendOtp: ({ payload, request }) =>
      Effect.as(auth.sendOtp({ phone: payload.phone, purpose: payload.purpose, clientIp: clientIp(request, trustedProxyHops) }), otpSent),
    verifyOtp: ({ payload }) =>
      Effect.map(auth.verifyOtp(payload), (verified) => ({ verificationToken: verified.verificationToken, expiresAt: verified.expiresAt.toISOString() })),
    register: ({ payload, request }) => Effect.map(auth.register({ ...payload, deviceLabel: deviceLabelOf(request) }), toSignedInView),
    login: ({ payload, request }) =>
      Effect.gen(function*() {
        const deviceLabel = deviceLabelOf(request)
        return toSignedInView("password" in payload
          ? yield* auth.loginWithPassword({ phone: payload.phone, password: payload.password, deviceLabel, clientIp: clientIp(request, trustedProxyHops) })
          : yield* auth.loginWithVerification({ verificationToken: payload.verificationToken, deviceLabel }))
      }),
    refresh: ({ payload }) => Effect.map(auth.refreshSession(payload.refreshToken), toSignedInView),
    logout: () => CurrentUser.use(auth.logout),
    sessions: () =>
      CurrentUser.use((current) => Effect.map(auth.listSessions(current.userId), (sessions) => sessions.map((session) => sessionView(session, current.sessionId)))),
    revokeSession: ({ params }) => CurrentUser.use((current) => auth.revokeSession(current.userId, params.id))
  })
}))
