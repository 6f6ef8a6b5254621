import { Cause, Effect } from "effect"
import { FindMyWay, HttpBody, type HttpServerRequest, HttpServerResponse, ProblemDetails } from "effect/http"
import { HttpApi, type HttpApiGroup } from "effect/http-api"

// What the framework answers on its own is a plain text or an empty body: a wrong Content-Type
// (415 "Unsupported content-type: ..."), an unknown route (404), an unreadable or too large body
// (400/413), a built-in error's empty response. Here each becomes the same problem+json as ours.

const problemBody = (status: number, code: string, title: string, message: string) =>
  HttpBody.jsonUnsafe({ type: `urn:nelo:problem:${code}`, status, title, code, message }, ProblemDetails.contentType)

type Problem = readonly [code: string, title: string, message: string]

const byStatus: Record<number, Problem> = {
  400: ["bad_request", "Bad request", "La requête est invalide."],
  401: ["unauthorized", "Unauthorized", "Authentification requise."],
  403: ["forbidden", "Forbidden", "Accès refusé."],
  404: ["not_found", "Not found", "Cette adresse n'existe pas dans l'API NELO."],
  405: ["method_not_allowed", "Method not allowed", "Cette méthode n'est pas acceptée pour cette adresse."],
  406: ["not_acceptable", "Not acceptable", "Aucun format de réponse acceptable n'est disponible."],
  408: ["request_timeout", "Request timeout", "La requête a pris trop de temps."],
  409: ["conflict", "Conflict", "La requête est en conflit avec l'état actuel."],
  410: ["gone", "Gone", "Cette ressource n'existe plus."],
  412: ["precondition_failed", "Precondition failed", "Une précondition de la requête n'est pas remplie."],
  413: ["payload_too_large", "Payload too large", "Le corps de la requête est trop volumineux."],
  415: ["unsupported_media_type", "Unsupported media type", "Ce type de contenu n'est pas accepté."],
  416: ["range_not_satisfiable", "Range not satisfiable", "La plage demandée n'est pas disponible."],
  422: ["unprocessable", "Unprocessable", "La requête ne peut pas être traitée."],
  426: ["upgrade_required", "Upgrade required", "Cette adresse exige un changement de protocole."],
  429: ["too_many_requests", "Too many requests", "Trop de requêtes. Réessayez dans un instant."],
  500: ["internal_error", "Internal error", "Une erreur interne est survenue. Réessayez dans un instant."],
  501: ["not_implemented", "Not implemented", "Cette fonction n'est pas disponible."],
  502: ["bad_gateway", "Bad gateway", "Un service tiers a mal répondu. Réessayez dans un instant."],
  503: ["service_unavailable", "Service unavailable", "Service momentanément indisponible. Réessayez dans un instant."],
  504: ["gateway_timeout", "Gateway timeout", "Un service tiers n'a pas répondu à temps. Réessayez dans un instant."]
}

const malformedRequest: Problem = ["malformed_request", "Malformed request", "Le corps de la requête est illisible."]
const fileTooLarge: Problem = ["file_too_large", "Payload too large", "Envoi trop lourd : 5 Mo au plus par fichier."]
const clientError: Problem = ["client_error", "Client error", "La requête ne peut pas être traitée."]
const serverError: Problem = ["server_error", "Server error", "Une erreur interne est survenue. Réessayez dans un instant."]

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const

/** The API's endpoints by method and path: the content types each accepts, and the methods each path answers. */
const indexApi = <Id extends string, Groups extends HttpApiGroup.Constraint>(api: HttpApi.HttpApi<Id, Groups>) => {
  const router = FindMyWay.make<ReadonlyArray<string>>()
  HttpApi.reflect(api, {
    onGroup() {},
    onEndpoint({ endpoint }) {
      try {
        router.on(endpoint.method, endpoint.path as FindMyWay.PathInput, [...endpoint.payload.keys()])
      } catch {
        // A path this simple index cannot register: its errors stay generic (404, generic 415).
      }
    }
  })
  return {
    accepted: (method: string, url: string) => router.find(method, url)?.handler,
    allowed: (url: string) => {
      const found = methods.filter((method) => router.find(method, url) !== undefined)
      // The router answers HEAD with the GET route.
      return found[0] === "GET" ? ["GET", "HEAD", ...found.slice(1)] : found
    }
  }
}

const isOurs = (response: HttpServerResponse.HttpServerResponse) => {
  const contentType = (response.body as { readonly contentType?: string | undefined }).contentType ?? response.headers["content-type"]
  return contentType !== undefined &&
    (contentType.startsWith(ProblemDetails.contentType) || contentType.startsWith("application/json"))
}

const unsupportedMediaMessage = (accepted: ReadonlyArray<string> | undefined) =>
  accepted === undefined || accepted.length === 0
    ? byStatus[415]![2]
    : `Le corps doit être envoyé en ${accepted.join(" ou ")}.`

const problemResponse = (status: number, [code, title, message]: Problem, headers?: Record<string, string>) =>
  HttpServerResponse.setBody(HttpServerResponse.empty({ status, headers }), problemBody(status, code, title, message))

type Tagged = { readonly _tag?: string; readonly reason?: { readonly _tag?: string; readonly reason?: string } } | undefined

/**
 * What the framework answers on its own, as NELO problems: every error response it writes itself
 * (status >= 400, neither problem+json nor JSON) rewritten with the same status and headers; an
 * unknown route 404 not_found, a known path with another method 405 method_not_allowed (with
 * `Allow`), both told apart from the API's own endpoints; an unreadable or too large body.
 * `answer` costs one status comparison on a successful response; `recover` gives the response
 * for a failure it knows, or undefined.
 */
export const frameworkProblems = <Id extends string, Groups extends HttpApiGroup.Constraint>(api: HttpApi.HttpApi<Id, Groups>) => {
  const index = indexApi(api)

  const rewrite = (response: HttpServerResponse.HttpServerResponse, request: HttpServerRequest.HttpServerRequest) => {
    const status = response.status
    const [code, title, fallback] = byStatus[status] ?? (status >= 500 ? serverError : clientError)
    const message = status === 415 ? unsupportedMediaMessage(index.accepted(request.method, request.url)) : fallback
    // Same status, headers and cookies (connection: close on a 413, CORS, ...); only the body changes.
    return HttpServerResponse.setBody(response, problemBody(status, code, title, message))
  }

  const routeNotFound = (request: HttpServerRequest.HttpServerRequest) => {
    const allowed = index.allowed(request.url)
    return allowed.length === 0
      ? problemResponse(404, byStatus[404]!)
      : problemResponse(405, byStatus[405]!, { allow: allowed.join(", ") })
  }

  return {
    answer: (response: HttpServerResponse.HttpServerResponse, request: HttpServerRequest.HttpServerRequest) =>
      response.status < 400 || isOurs(response) ? response : rewrite(response, request),
    recover: (cause: Cause.Cause<unknown>, request: HttpServerRequest.HttpServerRequest): HttpServerResponse.HttpServerResponse | undefined => {
      const failure = Cause.findErrorOption(cause)
      const error = (failure._tag === "Some" ? failure.value : Cause.squash(cause)) as Tagged
      if (error?._tag === "HttpServerError" && error.reason?._tag === "RouteNotFound") return routeNotFound(request)
      // A body that could not be read (payload decoders read it as a defect) or past a size limit.
      if (error?._tag === "HttpServerError" && error.reason?._tag === "RequestParseError") {
        return error.reason.reason === "BodyTooLarge"
          ? problemResponse(413, byStatus[413]!, { connection: "close" })
          : problemResponse(400, malformedRequest)
      }
      // Uploads past the multipart parser's limits (a file, a field, the part count, the body)
      // surface as defects of the payload decoding, not failures.
      const multipart = Cause.squash(cause) as Tagged
      if (multipart?._tag === "MultipartError" && multipart.reason?._tag === "Parse") return problemResponse(400, malformedRequest)
      if (multipart?._tag === "MultipartError" && multipart.reason?._tag !== "InternalError") return problemResponse(413, fileTooLarge)
      return undefined
    },
    /** What an unexpected failure answers (the caller logs it). */
    internalError: () => problemResponse(500, byStatus[500]!)
  }
}
