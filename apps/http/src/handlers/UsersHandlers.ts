import { Effect } from "effect"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { HttpApiBuilder } from "effect/http-api"
import { setPin } from "@nelo/domain/auth/pin"
import { addAddress, changeAddress, listAddresses, removeAddress } from "@nelo/domain/users/addresses"
import { changeAvatar } from "@nelo/domain/users/changeAvatar"
import { kycOverview, submitKycDocument } from "@nelo/domain/users/kycReview"
import { makeProfiles } from "@nelo/domain/users/profile"
import { CurrentUser } from "../shared/Authentication.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { answerWith } from "./answerWith.ts"
import { authProblem } from "./authProblem.ts"
import { readUpload } from "./readUpload.ts"
import { addressView, kycDocumentView, kycView, userView } from "./views.ts"

export const UsersHandlers = HttpApiBuilder.group(NeloApi, "users", Effect.fn(function*(handlers) {
  const answer = yield* answerWith
  const profiles = yield* makeProfiles
  const storage = yield* ObjectStorage
  const publicUrlOf = (key: string) => storage.publicUrl(key)
  return handlers.handleAll({
    me: ({ request }) =>
      Effect.gen(function*() {
        return userView(yield* profiles.get((yield* CurrentUser).userId), publicUrlOf)
        // profiles holds its ports already: no per-request wiring on the most frequent call.
      }).pipe(Effect.catch(authProblem(request))),
    updateMe: ({ payload, request }) =>
      Effect.gen(function*() {
        return userView(yield* profiles.update((yield* CurrentUser).userId, payload), publicUrlOf)
      }).pipe(Effect.catch(authProblem(request))),
    changeAvatar: ({ payload, request }) =>
      Effect.gen(function*() {
        return yield* changeAvatar((yield* CurrentUser).userId, yield* readUpload(payload.file))
      }).pipe(answer(request)),
    submitKycDocument: ({ payload, request }) =>
      Effect.gen(function*() {
        return kycDocumentView(yield* submitKycDocument((yield* CurrentUser).userId, payload.type, yield* readUpload(payload.file)))
      }).pipe(answer(request)),
    kyc: ({ request }) =>
      Effect.gen(function*() {
        return kycView(yield* kycOverview((yield* CurrentUser).userId))
      }).pipe(answer(request)),
    setPin: ({ payload, request }) =>
      Effect.gen(function*() {
        yield* setPin((yield* CurrentUser).userId, payload)
      }).pipe(answer(request)),
    addresses: ({ request }) =>
      Effect.gen(function*() {
        return (yield* listAddresses((yield* CurrentUser).userId)).map(addressView)
      }).pipe(answer(request)),
    addAddress: ({ payload, request }) =>
      Effect.gen(function*() {
        return addressView(yield* addAddress((yield* CurrentUser).userId, payload))
      }).pipe(answer(request)),
    changeAddress: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return addressView(yield* changeAddress((yield* CurrentUser).userId, params.id, payload))
      }).pipe(answer(request)),
    removeAddress: ({ params, request }) =>
      Effect.gen(function*() {
        yield* removeAddress((yield* CurrentUser).userId, params.id)
      }).pipe(answer(request))
  })
}))
