import { Context, Effect, Layer } from "effect"
import { makeAuthenticator } from "./authenticate.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { makeLogin } from "./login.ts"
import { makeSetPin, makeVerifyPin } from "./pin.ts"
import { makeRefreshSession } from "./refreshSession.ts"
import { makeRegister } from "./register.ts"
import { makeSendOtp } from "./sendOtp.ts"
import { makeSignOut } from "./signOut.ts"
import { makeVerifyOtp } from "./verifyOtp.ts"

/**
 * The auth context's use cases, built once with their ports (codes, tokens, sessions, the PIN
 * check): what the apps call. Each one is in the file named after it.
 */
export class Auth extends Context.Service<Auth>()("nelo/auth/Auth", {
  make: Effect.gen(function*() {
    const login = yield* makeLogin
    const signOut = yield* makeSignOut
    return {
      /** The numbers the apps show (a code's lifetime, when to offer a new one). */
      policy: yield* AuthPolicy,
      sendOtp: yield* makeSendOtp,
      verifyOtp: yield* makeVerifyOtp,
      register: yield* makeRegister,
      loginWithPassword: login.withPassword,
      loginWithVerification: login.withVerification,
      refreshSession: yield* makeRefreshSession,
      logout: signOut.logout,
      revokeSession: signOut.revokeSession,
      listSessions: signOut.listSessions,
      setPin: yield* makeSetPin,
      verifyPin: yield* makeVerifyPin,
      authenticate: yield* makeAuthenticator
    }
  })
}) {
  static readonly layer = Layer.effect(Auth, Auth.make)
}
