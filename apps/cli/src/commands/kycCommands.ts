import { type Command, InvalidArgumentError } from "commander"
import { Console, Effect, Layer, Schema } from "effect"
import { UsersLive } from "@nelo/adapters/contexts/AuthLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { kycLinkSeconds } from "@nelo/domain/users/kycReview"
import { Users } from "@nelo/domain/users/Users"
import { runCommand } from "../runCommand.ts"

const KycLayer = UsersLive.pipe(Layer.provide(PostgresLayer))

const Reason = Schema.String.pipe(Schema.check(Schema.isTrimmed(), Schema.isMinLength(3), Schema.isMaxLength(500)))
const reasonArgument = (value: string) => {
  const trimmed = value.trim()
  if (Schema.decodeUnknownOption(Reason)(trimmed)._tag === "None") throw new InvalidArgumentError("attendu une raison de 3 à 500 caractères, que l'utilisateur lira")
  return trimmed
}

const statusWords = { none: "aucun document", pending: "en attente", approved: "approuvé", rejected: "refusé" } as const

export const registerKycCommands = (program: Command) => {
  const kyc = program.command("kyc").description("Vérification d'identité (KYC) : documents envoyés et décisions.")

  kyc.command("list")
    .description("Les utilisateurs en attente de vérification, le plus ancien envoi d'abord.")
    .action(() =>
      runCommand(Effect.gen(function*() {
        const pending = yield* (yield* Users).kyc.pending
        if (pending.length === 0) return yield* Console.log("Aucun KYC en attente.")
        for (const state of pending) {
          const first = state.documents[0]
          yield* Console.log(`${state.userId}  ${state.documents.length} document(s) (${state.documents.map((document) => document.type).join(", ")})  depuis ${first?.uploadedAt.toISOString() ?? "?"}`)
        }
        yield* Console.log(`${pending.length} KYC en attente.`)
      }).pipe(Effect.provide(KycLayer))))

  kyc.command("show")
    .description(`Le statut KYC d'un compte et ses documents, chacun avec un lien valable ${kycLinkSeconds / 60} minutes.`)
    .requiredOption("--phone <phone>", "numéro du compte")
    .action((options: { phone: string }) =>
      runCommand(Effect.gen(function*() {
        const users = yield* Users
        const user = yield* users.administer.findByPhone(options.phone)
        const state = yield* users.kyc.overview(user.id)
        yield* Console.log(`${user.phone} (${user.fullName}, id ${user.id}) : ${statusWords[state.status]}${state.rejectionReason ? ` — raison : ${state.rejectionReason}` : ""}`)
        for (const document of state.documents) {
          yield* Console.log(`  ${document.type}  ${document.contentType}  ${Math.ceil(document.sizeBytes / 1024)} Ko  ${document.uploadedAt.toISOString()}\n    ${document.url}`)
        }
      }).pipe(Effect.provide(KycLayer))))

  kyc.command("approve")
    .description("Approuve le KYC en attente de ce compte.")
    .requiredOption("--phone <phone>", "numéro du compte")
    .action((options: { phone: string }) =>
      runCommand(Effect.gen(function*() {
        const users = yield* Users
        const user = yield* users.administer.findByPhone(options.phone)
        yield* users.kyc.review(user.id, { approve: true })
        yield* Console.log(`KYC de ${user.phone} approuvé.`)
      }).pipe(Effect.provide(KycLayer))))

  kyc.command("reject")
    .description("Refuse le KYC en attente de ce compte, avec une raison que l'utilisateur verra.")
    .requiredOption("--phone <phone>", "numéro du compte")
    .requiredOption("--reason <reason>", "pourquoi, en français (par exemple « photo floue, renvoyez le recto »)", reasonArgument)
    .action((options: { phone: string; reason: string }) =>
      runCommand(Effect.gen(function*() {
        const users = yield* Users
        const user = yield* users.administer.findByPhone(options.phone)
        yield* users.kyc.review(user.id, { approve: false, reason: options.reason })
        yield* Console.log(`KYC de ${user.phone} refusé : ${options.reason}`)
      }).pipe(Effect.provide(KycLayer))))
}
