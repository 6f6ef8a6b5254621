import { Effect } from "effect"
import { HttpApiMiddleware } from "effect/http-api"
import { frenchIssueMessages } from "@nelo/adapters/presentation/frenchIssueMessages"
import { internalError, InvalidRequest, MalformedJson } from "./problems.ts"
import { RequestValidation } from "./RequestValidation.ts"

const slotNames: Record<string, string> = {
  Payload: "body",
  UrlParams: "query",
  Params: "path",
  Headers: "headers"
}

export const RequestValidationLive = HttpApiMiddleware.layerSchemaErrorTransform(RequestValidation, (error) => {
  // Body and ResponseHeaders are the server's own response failing its schema: our bug, not the client's.
  if (error.kind === "Body" || error.kind === "ResponseHeaders") {
    return Effect.logError("response failed its own schema").pipe(Effect.annotateLogs({ kind: error.kind, cause: String(error.cause) }), 
      Effect.andThen(Effect.fail(internalError()))
    )
  }
  const slot = slotNames[error.kind] ?? error.kind.toLowerCase()
  const errors = frenchIssueMessages(error.cause.issue).map((issue) => ({ ...issue, path: [slot, ...issue.path] }))
  // The body is not JSON at all: a different mistake from a field with a wrong value.
  if (error.kind === "Payload" && errors.length === 1 && errors[0]!.path.length === 1 && /JSON/u.test(errors[0]!.message)) {
    return Effect.fail(new MalformedJson({
      code: "malformed_json",
      message: "Le corps de la requête n'est pas un JSON valide.",
      errors
    }))
  }
  const first = errors[0]
  const where = first && first.path.length > 1 ? ` (champ ${first.path.slice(1).join(".")})` : ""
  return Effect.fail(new InvalidRequest({
    code: "invalid_request",
    message: `La requête est invalide${where} : ${first?.message ?? "données incorrectes."}`,
    errors
  }))
})
