import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Auth } from "@nelo/domain/auth/Auth"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { Users } from "@nelo/domain/users/Users"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { readUpload } from "../shared/readUpload.ts"
import { addressView, kycDocumentView, kycView, userView, deviceView } from "./views.ts"

export const UsersHandlers = HttpApiBuilder.group(NeloApi, "users", Effect.fn(function*(handlers) {
  const users = yield* Users
  const auth = yield* Auth
  const storage = yield* ObjectStorage
  const publicUrlOf = (key: string) => storage.publicUrl(key)
  return handlers.handleAll({
    me: () => CurrentUser.use((current) => Effect.map(users.profiles.get(current.userId), (user) => userView(user, publicUrlOf))),
    updateMe: ({ payload }) => CurrentUser.use((current) => Effect.map(users.profiles.update(current.userId, payload), (user) => userView(user, publicUrlOf))),
    changeAvatar: ({ payload }) => CurrentUser.use((current) => Effect.flatMap(readUpload(payload.file), (bytes) => users.changeAvatar(current.userId, bytes))),
    submitKycDocument: ({ payload }) =>
      CurrentUser.use((current) =>
        readUpload(payload.file).pipe(Effect.flatMap((bytes) => users.kyc.submitDocument(current.userId, payload.type, bytes)), Effect.map(kycDocumentView))),
    kyc: () => CurrentUser.use((current) => Effect.map(users.kyc.overview(current.userId), kycView)),
    setPin: ({ payload }) => CurrentUser.use((current) => auth.setPin(current.userId, payload)),
    addresses: () => CurrentUser.use((current) => Effect.map(users.addresses.list(current.userId), (addresses) => addresses.map(addressView))),
    addAddress: ({ payload }) => CurrentUser.use((current) => Effect.map(users.addresses.add(current.userId, payload), addressView)),
    changeAddress: ({ params, payload }) => CurrentUser.use((current) => Effect.map(users.addresses.change(current.userId, params.id, payload), addressView)),
    removeAddress: ({ params }) => CurrentUser.use((current) => users.addresses.remove(current.userId, params.id)),
    registerDevice: ({ payload }) => CurrentUser.use((current) => Effect.map(users.devices.register(current.userId, payload), deviceView)),
    devices: () => CurrentUser.use((current) => Effect.map(users.devices.list(current.userId), (devices) => devices.map(deviceView))),
    removeDevice: ({ params }) => CurrentUser.use((current) => users.devices.remove(current.userId, params.id))
  })
}))

export const UsersAdminHandlers = HttpApiBuilder.group(NeloApi, "admin", Effect.fn(function*(handlers) {
  const users = yield* Users
  const storage = yield* ObjectStorage
  const publicUrlOf = (key: string) => storage.publicUrl(key)
  return handlers.handleAll({
    setRoles: ({ params, payload }) =>
      CurrentUser.use((current) => Effect.map(users.setRoles(current, params.id, payload.roles), (user) => userView(user, publicUrlOf)))
  })
}))
