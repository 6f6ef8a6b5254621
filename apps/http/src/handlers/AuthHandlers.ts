import { Effect } from "effect"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { HttpServerRequest } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"
import { loginWithPassword, loginWithVerification } from "@nelo/domain/auth/login"
import { refreshSession } from "@nelo/domain/auth/refreshSession"
import { register } from "@nelo/domain/auth/register"
import { sendOtp } from "@nelo/domain/auth/sendOtp"
import { listSessions, logout, revokeSession } from "@nelo/domain/auth/signOut"
import { verifyOtp } from "@nelo/domain/auth/verifyOtp"
import { CurrentUser } from "../shared/Authentication.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { clientIp, TrustedProxyHops } from "../middleware/clientIp.ts"
import { answerWith } from "./answerWith.ts"
import { sessionView, signedInView } from "./views.ts"

// What the session manager shows for a device: the app's User-Agent, bounded.
const deviceLabelOf = (request: HttpServerRequest.HttpServerRequest) =>
  (request.headers["user-agent"] ?? "Appareil inconnu").slice(0, 200)

export const AuthHandlers = HttpApiBuilder.group(NeloApi, "auth", Effect.fn(function*(handlers) {
  const trustedProxyHops = yield* TrustedProxyHops
  const answer = yield* answerWith
  const storage = yield* ObjectStorage
  const publicUrlOf = (key: string) => storage.publicUrl(key)
  return handlers.handleAll({
    sendOtp: ({ payload, request }) =>
      Effect.gen(function*() {
        const policy = yield* AuthPolicy
        yield* sendOtp({ phone: payload.phone, purpose: payload.purpose, clientIp: clientIp(request, trustedProxyHops) })
        return { expiresInSeconds: policy.otpTtlMs / 1000, resendAfterSeconds: policy.otpResendCooldownMs / 1000 }
      }).pipe(answer(request)),
    verifyOtp: ({ payload, request }) =>
      verifyOtp(payload).pipe(
        Effect.map((verified) => ({ verificationToken: verified.verificationToken, expiresAt: verified.expiresAt.toISOString() })),
        answer(request)
      ),
    register: ({ payload, request }) =>
      register({ ...payload, deviceLabel: deviceLabelOf(request) }).pipe(Effect.map(signedInView(publicUrlOf)), answer(request)),
    login: ({ payload, request }) =>
      Effect.gen(function*() {
        const deviceLabel = deviceLabelOf(request)
        return "password" in payload
          ? yield* loginWithPassword({ phone: payload.phone, password: payload.password, deviceLabel, clientIp: clientIp(request, trustedProxyHops) })
          : yield* loginWithVerification({ verificationToken: payload.verificationToken, deviceLabel })
      }).pipe(Effect.map(signedInView(publicUrlOf)), answer(request)),
    refresh: ({ payload, request }) =>
      refreshSession(payload.refreshToken).pipe(Effect.map(signedInView(publicUrlOf)), answer(request)),
    logout: ({ request }) =>
      Effect.gen(function*() {
        yield* logout(yield* CurrentUser)
      }).pipe(answer(request)),
    sessions: ({ request }) =>
      Effect.gen(function*() {
        const current = yield* CurrentUser
        const sessions = yield* listSessions(current.userId)
        return sessions.map((session) => sessionView(session, current.sessionId))
      }).pipe(answer(request)),
    revokeSession: ({ params, request }) =>
      Effect.gen(function*() {
        const current = yield* CurrentUser
        yield* revokeSession(current.userId, params.id)
      }).pipe(answer(request))
  })
}))
