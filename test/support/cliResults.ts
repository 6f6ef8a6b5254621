import { randomInt } from "node:crypto"
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import type { Phone } from "@nelo/domain/shared/Phone"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import type { ProcessResult } from "./runProcess.ts"

// What a test reads of a spawned `nelo-admin`: a success is exit 0 and a quiet stderr; a refusal is
// a non-zero exit, nothing on stdout and one sentence on stderr.

/** The command's stderr, line by line. */
export const stderrOf = (result: ProcessResult) => result.stderr.split("\n").filter((line) => line !== "")

/** A success: exit 0, nothing else on stderr; its lines. */
export const succeeded = (result: ProcessResult, what: string) => {
  assert.strictEqual(result.code, 0, `${what}: ${result.stdout}${result.stderr}`)
  assert.deepStrictEqual(stderrOf(result), [], what)
  return result.stdout.split("\n").filter((line) => line !== "")
}

/** A refusal: a non-zero exit, nothing on stdout, one sentence on stderr. */
export const assertRefused = (result: ProcessResult, sentence: RegExp, what: string) => {
  assert.notStrictEqual(result.code, 0, `${what}: ${result.stdout}${result.stderr}`)
  assert.strictEqual(result.stdout, "", what)
  const lines = stderrOf(result)
  assert.lengthOf(lines, 1, `${what}: ${result.stderr}`)
  assert.match(lines[0]!, sentence, what)
}

/** An admin account, as `users create-admin` makes one (needs the users' ports). */
export const anAdmin = Effect.gen(function*() {
  const phone = `+22507${String(randomInt(0, 100_000_000)).padStart(8, "0")}` as Phone
  return yield* (yield* makeCreateUser)({ phone, fullName: "Adjoua Admin", language: "fr", roles: ["client", "admin"], referredBy: null, passwordHash: null, createdAt: new Date() })
})
