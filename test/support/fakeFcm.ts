import { generateKeyPairSync } from "node:crypto"
import type { ServerResponse } from "node:http"
import { Effect } from "effect"
import { jwtVerify } from "jose"
import { fakeHttpServer, type RecordedRequest, sendJson } from "./fakeHttpServer.ts"

/** A service account of the test's own: the adapter gets the private key, the fake the public one. */
export const makeServiceAccount = (projectId = "nelo-test") => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  return {
    projectId,
    clientEmail: `nelo-push@${projectId}.iam.gserviceaccount.com`,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey
  }
}
export type ServiceAccount = ReturnType<typeof makeServiceAccount>

/** What a device would show: the part of an accepted message that reached it. */
export interface ReceivedPush {
  readonly token: string
  readonly notification: { readonly title?: string; readonly body?: string }
  readonly data: Readonly<Record<string, string>>
  readonly android: unknown
}

/** Refusals the fake can be told to answer the next sends with, each with Google's documented body. */
export type FcmFailure = "UNAVAILABLE" | "INTERNAL" | "QUOTA_EXCEEDED" | "INVALID_DATA" | "THIRD_PARTY_AUTH_ERROR" | "SENDER_ID_MISMATCH"

const fcmError = (code: number, status: string, message: string, errorCode?: string, fieldViolation?: string) => ({
  error: {
    code,
    message,
    status,
    details: [
      ...(errorCode ? [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }] : []),
      ...(fieldViolation ? [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: fieldViolation, description: message }] }] : [])
    ]
  }
})

const failures: Record<FcmFailure, readonly [number, unknown]> = {
  UNAVAILABLE: [503, fcmError(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE")],
  INTERNAL: [500, fcmError(500, "INTERNAL", "Internal error encountered.", "INTERNAL")],
  QUOTA_EXCEEDED: [429, fcmError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Send requests'.", "QUOTA_EXCEEDED")],
  INVALID_DATA: [400, fcmError(400, "INVALID_ARGUMENT", "Invalid value at 'message.data[0].value' (TYPE_STRING), 12", undefined, "message.data[0].value")],
  THIRD_PARTY_AUTH_ERROR: [401, fcmError(401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service", "THIRD_PARTY_AUTH_ERROR")],
  SENDER_ID_MISMATCH: [403, fcmError(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH")]
}

const unregistered = fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
const invalidToken = fcmError(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT")
const unauthenticated = {
  error: {
    code: 401,
    message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
    status: "UNAUTHENTICATED"
  }
}

const messagingScope = "https://www.googleapis.com/auth/firebase.messaging"
const jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

/**
 * Google's OAuth2 token endpoint and FCM HTTP v1, as documented, on a local port.
 *
 * POST /token takes the JWT bearer grant: the assertion must be signed RS256 by the service
 * account's key (checked with its public key), name the account (iss), carry the FCM scope, be
 * addressed to this endpoint (aud) and live an hour at most (exp - iat ≤ 3600, not expired);
 * otherwise 400 invalid_grant / invalid_scope as Google answers. It then issues an access token.
 *
 * POST /v1/projects/{project}/messages:send checks the bearer token (401 otherwise), the project
 * (403 for another), the message (a token, string data values), then answers 200 with the
 * message's name, or the documented refusal for a token marked unregistered (404 UNREGISTERED)
 * or malformed (400 INVALID_ARGUMENT), or the failures the test queued.
 */
export const fakeFcm = (account: Pick<ServiceAccount, "projectId" | "clientEmail" | "publicKey">, options: { readonly expiresInSeconds?: number } = {}) =>
  Effect.gen(function*() {
    const accessTokens = new Set<string>()
    const unregisteredTokens = new Set<string>()
    const invalidTokens = new Set<string>()
    const queued: Array<FcmFailure | "STALL"> = []
    const received: Array<ReceivedPush> = []
    let issued = 0
    let baseUrl = ""

    const token = async (request: RecordedRequest, response: ServerResponse) => {
      if (request.headers["content-type"] !== "application/x-www-form-urlencoded") return sendJson(response, 400, { error: "invalid_request" })
      const form = new URLSearchParams(request.body)
      if (form.get("grant_type") !== jwtBearer) return sendJson(response, 400, { error: "unsupported_grant_type", error_description: `Invalid grant_type: ${form.get("grant_type")}` })
      let claims
      try {
        const verified = await jwtVerify(form.get("assertion") ?? "", account.publicKey, { algorithms: ["RS256"] })
        claims = verified.payload
      } catch {
        return sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid JWT Signature." })
      }
      if (claims.iss !== account.clientEmail) return sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid grant: account not found" })
      if (claims.aud !== `${baseUrl}/token`) return sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid JWT: Failed audience check." })
      const now = Math.floor(Date.now() / 1000)
      if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp - claims.iat > 3600 || claims.exp <= now || claims.iat > now + 60) {
        return sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim." })
      }
      if (typeof claims.scope !== "string" || !claims.scope.split(" ").includes(messagingScope)) {
        return sendJson(response, 400, { error: "invalid_scope", error_description: "Invalid OAuth scope or ID token audience provided." })
      }
      const accessToken = `ya29.fake-access-token-${++issued}`
      accessTokens.add(accessToken)
      sendJson(response, 200, { access_token: accessToken, expires_in: options.expiresInSeconds ?? 3599, token_type: "Bearer" })
    }

    const send = (request: RecordedRequest, response: ServerResponse) => {
      const bearer = request.headers.authorization?.replace(/^Bearer /u, "") ?? ""
      if (!accessTokens.has(bearer)) return sendJson(response, 401, unauthenticated)
      const next = queued.shift()
      if (next === "STALL") return // never answers: the caller's timeout must end it
      if (next !== undefined) return sendJson(response, failures[next][0], failures[next][1])
      let message: { token?: unknown; notification?: { title?: string; body?: string }; data?: Record<string, unknown>; android?: unknown }
      try {
        message = (JSON.parse(request.body) as { message: typeof message }).message
      } catch {
        return sendJson(response, 400, fcmError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.", undefined, "message"))
      }
      if (typeof message?.token !== "string" || message.token.length === 0) return sendJson(response, 400, fcmError(400, "INVALID_ARGUMENT", "Recipient of the message is not set.", "INVALID_ARGUMENT"))
      const data = message.data ?? {}
      const nonString = Object.values(data).findIndex((value) => typeof value !== "string")
      if (nonString >= 0) return sendJson(response, 400, fcmError(400, "INVALID_ARGUMENT", `Invalid value at 'message.data[${nonString}].value' (TYPE_STRING)`, undefined, `message.data[${nonString}].value`))
      if (unregisteredTokens.has(message.token)) return sendJson(response, 404, unregistered)
      if (invalidTokens.has(message.token)) return sendJson(response, 400, invalidToken)
      received.push({ token: message.token, notification: message.notification ?? {}, data: data as Record<string, string>, android: message.android })
      sendJson(response, 200, { name: `projects/${account.projectId}/messages/0:${received.length}` })
    }

    const server = yield* fakeHttpServer((request, response) => {
      if (request.method === "POST" && request.url === "/token") return void token(request, response)
      const project = /^\/v1\/projects\/([^/]+)\/messages:send$/u.exec(request.url)?.[1]
      if (request.method === "POST" && project === account.projectId) return send(request, response)
      if (request.method === "POST" && project !== undefined) {
        return sendJson(response, 403, fcmError(403, "PERMISSION_DENIED", `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}' (or it may not exist).`))
      }
      // Google's front end answers an unknown path with an HTML page, not an API error.
      response.writeHead(404, { "content-type": "text/html; charset=UTF-8" })
      response.end(`<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p>The requested URL <code>${request.url}</code> was not found on this server.</p></html>`)
    })
    baseUrl = server.baseUrl

    return {
      baseUrl,
      requests: server.requests,
      /** The env of an FCM adapter talking to this fake with this account. */
      env: (privateKeyPem: string): Record<string, string> => ({
        FCM_PROJECT_ID: account.projectId,
        FCM_CLIENT_EMAIL: account.clientEmail,
        FCM_PRIVATE_KEY: privateKeyPem,
        FCM_TOKEN_URL: `${baseUrl}/token`,
        FCM_API_URL: baseUrl,
        PUSH_REQUEST_TIMEOUT_MS: "1000"
      }),
      received: () => [...received],
      tokenRequests: () => server.requests.filter((request) => request.url === "/token"),
      sendRequests: () => server.requests.filter((request) => request.url.endsWith("/messages:send")),
      /** The app was uninstalled: FCM answers 404 UNREGISTERED from now on. */
      markUnregistered: (token: string) => void unregisteredTokens.add(token),
      /** Not a registration token at all: 400 INVALID_ARGUMENT. */
      markInvalid: (token: string) => void invalidTokens.add(token),
      /** The next sends (after the bearer check) get these refusals, or no answer at all. */
      failNext: (...next: ReadonlyArray<FcmFailure | "STALL">) => void queued.push(...next),
      /** Access tokens revoked early: the next send with one gets 401. */
      revokeAccessTokens: () => accessTokens.clear()
    }
  })

export type FakeFcm = Effect.Success<ReturnType<typeof fakeFcm>>
