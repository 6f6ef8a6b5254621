import { type Command, InvalidArgumentError } from "commander"
import { Console, Effect, Layer, Schema } from "effect"
import { UsersLive } from "@nelo/adapters/contexts/AuthLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { FullName, Role } from "@nelo/domain/users/User"
import { Users } from "@nelo/domain/users/Users"
import { runCommand } from "../runCommand.ts"

const UsersLayer = UsersLive.pipe(Layer.provide(PostgresLayer))

const Roles = Schema.Array(Role).pipe(Schema.check(Schema.isMinLength(1)))

/** commander calls this on the argument: a bad value stops with one sentence before anything runs. */
const rolesArgument = (value: string) => {
  const decoded = Schema.decodeUnknownOption(Roles)(value.split(",").map((role) => role.trim()))
  if (decoded._tag === "None") throw new InvalidArgumentError("attendu une liste de rôles parmi client, provider, driver, admin, séparés par des virgules")
  return decoded.value
}

const nameArgument = (value: string) => {
  if (Schema.decodeUnknownOption(FullName)(value)._tag === "None") throw new InvalidArgumentError("attendu un nom de 2 à 100 caractères")
  return value
}

export const registerUsersCommands = (program: Command) => {
  const users = program.command("users").description("Comptes utilisateurs et rôles.")

  users.command("create-admin")
    .description("Donne le rôle admin au compte de ce numéro, ou crée ce compte (connexion par code SMS). Sans effet s'il est déjà admin.")
    .requiredOption("--phone <phone>", "numéro ivoirien, par exemple 07 01 02 03 04")
    .option("--name <fullName>", "nom complet, si le compte est créé", nameArgument, "Administrateur NELO")
    .action((options: { phone: string; name: string }) =>
      runCommand(Effect.gen(function*() {
        const { user, outcome } = yield* (yield* Users).administer.grantAdmin(options.phone, options.name)
        const said = { created: "compte créé avec le rôle admin", promoted: "rôle admin ajouté", unchanged: "déjà admin, rien à faire" }[outcome]
        yield* Console.log(`${user.phone} (${user.fullName}, id ${user.id}) : ${said}. Rôles : ${user.roles.join(", ")}.`)
      }).pipe(Effect.provide(UsersLayer))))

  users.command("roles")
    .description("Affiche les rôles du compte de ce numéro ; avec --set, les remplace.")
    .requiredOption("--phone <phone>", "numéro du compte")
    .option("--set <roles>", "nouveaux rôles, par exemple client,driver", rolesArgument)
    .action((options: { phone: string; set?: ReadonlyArray<Role> }) =>
      runCommand(Effect.gen(function*() {
        const { administer } = yield* Users
        const user = options.set ? yield* administer.assignRoles(options.phone, options.set) : yield* administer.findByPhone(options.phone)
        yield* Console.log(`${user.phone} (${user.fullName}) : ${user.roles.join(", ")}${options.set ? " (les jetons en cours gardent les anciens rôles au plus 15 minutes)" : ""}`)
      }).pipe(Effect.provide(UsersLayer))))
}
