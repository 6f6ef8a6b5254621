import { Effect, Option, Result, Schema, SchemaTransformation } from "effect"
import { parsePhone, Phone } from "@nelo/domain/shared/Phone"
import { type User, UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"

/**
 * A command refused for what the administrator typed: one French sentence, which runCommand prints
 * as is (its `message`). Nothing was written.
 */
export class CommandRefused extends Schema.TaggedError<CommandRefused>()("CommandRefused", { message: Schema.String }) {}

/** A user's id as the database writes it. */
const UserUuid = UserId.pipe(Schema.check(Schema.isUUID()))

/** A phone as people type it (07 01 02 03 04, +225…), read by the domain's parsePhone, then checked as a Phone. */
const TypedPhone = Schema.String.pipe(Schema.decodeTo(Phone, SchemaTransformation.transform({
  decode: (typed) => Result.getOrElse(parsePhone(typed), () => typed),
  encode: (phone) => phone
})))

// Neither an id nor a phone: these only guess which was meant, to say what is wrong with it.
const looksLikeUuid = (input: string) => /^[0-9a-f]{4,}-[0-9a-f-]*$/iu.test(input)
const looksLikePhone = (input: string) => /^[+\d][\d\s.-]*$/u.test(input)

export const describeUser = (user: User) => `${user.fullName} (${user.phone}, id ${user.id})`

/**
 * The account an administrator names by its phone or its id. `option` is the option it was given
 * with, named in the sentences (none for a command's argument).
 */
export const resolveUser = (input: string, option?: string) =>
  Effect.gen(function*() {
    const typed = input.trim()
    const refuseAs = (sentence: string) =>
      Effect.fail(new CommandRefused({ message: option === undefined ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}` : `${option} : ${sentence}` }))
    const users = yield* UserRepository
    const id = Schema.decodeUnknownOption(UserUuid)(typed)
    if (Option.isSome(id)) {
      const user = yield* users.findById(id.value)
      return Option.isSome(user) ? user.value : yield* refuseAs(`aucun compte n'a l'identifiant ${id.value}.`)
    }
    const phone = Schema.decodeUnknownOption(TypedPhone)(typed)
    if (Option.isSome(phone)) {
      const user = yield* users.findByPhone(phone.value)
      return Option.isSome(user) ? user.value : yield* refuseAs(`aucun compte pour le numéro ${phone.value}.`)
    }
    if (looksLikeUuid(typed)) return yield* refuseAs(`« ${typed} » n'est pas un identifiant de compte valide (un UUID, par exemple 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b).`)
    if (looksLikePhone(typed)) return yield* refuseAs(`« ${typed} » n'est pas un numéro ivoirien : écrivez-le comme 07 01 02 03 04 ou +225 07 01 02 03 04.`)
    return yield* refuseAs(`attendu le numéro de téléphone (07 01 02 03 04) ou l'identifiant (UUID) d'un compte, pas « ${typed} ».`)
  })
