import { Effect } from "effect"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { HttpApiBuilder } from "effect/http-api"
import { setUserRoles } from "@nelo/domain/users/setUserRoles"
import { CurrentUser } from "../shared/Authentication.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { answerWith } from "./answerWith.ts"
import { userView } from "./views.ts"

export const AdminHandlers = HttpApiBuilder.group(NeloApi, "admin", Effect.fn(function*(handlers) {
  const answer = yield* answerWith
  const storage = yield* ObjectStorage
  const publicUrlOf = (key: string) => storage.publicUrl(key)
  return handlers.handleAll({
    setRoles: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return userView(yield* setUserRoles(yield* CurrentUser, params.id, payload.roles), publicUrlOf)
      }).pipe(answer(request))
  })
}))
