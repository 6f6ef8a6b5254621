import { Context, Effect, Layer } from "effect"
import { makeAddresses } from "./addresses.ts"
import { makeAdministerUsers } from "./administerUsers.ts"
import { makeChangeAvatar } from "./changeAvatar.ts"
import { makeDevices } from "./devices.ts"
import { makeKyc } from "./kycReview.ts"
import { makeProfiles } from "./profile.ts"
import { makeSetUserRoles } from "./setUserRoles.ts"

/**
 * The users context's use cases, built once with their ports: profiles, avatars, identity documents,
 * addresses, push devices, roles, and the admin CLI's account commands. Each one is in the file named after it.
 */
export class Users extends Context.Service<Users>()("nelo/users/Users", {
  make: Effect.gen(function*() {
    return {
      profiles: yield* makeProfiles,
      changeAvatar: yield* makeChangeAvatar,
      kyc: yield* makeKyc,
      addresses: yield* makeAddresses,
      devices: yield* makeDevices,
      setRoles: yield* makeSetUserRoles,
      administer: yield* makeAdministerUsers
    }
  })
}) {
  static readonly layer = Layer.effect(Users, Users.make)
}
