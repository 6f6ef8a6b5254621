import { Effect } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { makeNewReferralCode } from "./newReferralCode.ts"
import type { UserId } from "./User.ts"
import { type NewUser, UserRepository } from "./UserRepository.ts"

/** Draws of a referral code before giving up (each collision is a one-in-10^12 event). */
const referralCodeDraws = 5

/**
 * Creates an account with a fresh id and a fresh referral code, drawing the code again on the rare
 * collision: how every account comes to exist (sign-up, an admin made from the CLI, a demo owner).
 */
export const makeCreateUser = Effect.gen(function*() {
  const users = yield* UserRepository
  const ids = yield* IdGenerator
  const newReferralCode = yield* makeNewReferralCode
  return (user: Omit<NewUser, "id" | "referralCode">) =>
    Effect.flatMap(ids.uuid, (id) =>
      Effect.flatMap(newReferralCode, (referralCode) => users.create({ ...user, id: id as UserId, referralCode })).pipe(
        Effect.retry({ while: (error) => error._tag === "ReferralCodeTaken", times: referralCodeDraws - 1 })
      ))
})
