import { hostname, userInfo } from "node:os"
import type { Command } from "commander"
import { Console, Effect, Layer, Option, Schema } from "effect"
import { WalletLive } from "@nelo/adapters/contexts/WalletLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { type User } from "@nelo/domain/users/User"
import type { AuditDifference } from "@nelo/domain/wallet/auditLedger"
import type { TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import type { HistoryItem } from "@nelo/domain/wallet/walletHistory"
import { describeUser, resolveUser } from "../resolveUser.ts"
import { runCommand } from "../runCommand.ts"

// The wallet as the API and the worker run it; Redis because an unfreeze forgets the day's wrong PINs.
const WalletLayer = Layer.merge(WalletLive, UserRepositoryPostgres).pipe(Layer.provide([PostgresLayer, RedisClientLayer]))

/**
 * A wallet command refused: one French sentence, which runCommand prints as is (its `message`).
 * Nothing was written.
 */
class WalletCommandRefused extends Schema.TaggedError<WalletCommandRefused>()("WalletCommandRefused", { message: Schema.String }) {}

const refuse = (message: string) => Effect.fail(new WalletCommandRefused({ message }))


/** What the freeze history keeps and the user's support sees: trimmed, 3 to 500 characters. */
const Reason = Schema.String.pipe(Schema.check(Schema.isTrimmed(), Schema.isMinLength(3), Schema.isMaxLength(500)))

const decodeReason = (input: string) => {
  const decoded = Schema.decodeUnknownOption(Reason)(input.trim())
  return Option.isSome(decoded)
    ? Effect.succeed(decoded.value)
    : refuse("--reason : le motif est obligatoire, de 3 à 500 caractères (il est gardé dans l'historique du portefeuille).")
}

/** 12500 → "12 500 F CFA", as amounts are written in Côte d'Ivoire (an ordinary space, for any terminal). */
const francs = (amountXof: number) => `${String(Math.abs(amountXof)).replace(/\B(?=(?:\d{3})+$)/gu, " ")} F CFA`
const signedFrancs = (amountXof: number) => `${amountXof < 0 ? "-" : "+"}${francs(amountXof)}`

const typeWords: Record<TransactionType, string> = {
  topup: "recharge",
  payment: "paiement",
  refund: "remboursement",
  transfer: "transfert",
  commission: "commission",
  payout: "versement",
  cash_collection: "encaissement",
  reversal: "annulation"
}

const statusWords: Record<HistoryItem["status"], string> = {
  completed: "effectuée",
  reversed: "annulée",
  pending: "en attente",
  failed: "échouée",
  expired: "expirée",
  mismatch: "montant incohérent"
}

const ruleWords: Record<AuditDifference["rule"], string> = {
  balance_differs_from_postings: "solde différent de la somme de ses écritures",
  balances_do_not_sum_to_zero: "les soldes ne s'annulent pas",
  negative_balance: "solde négatif",
  unbalanced_transaction: "transaction déséquilibrée",
  duplicate_idempotency_key: "clé d'idempotence en double",
  broken_reversal: "annulation incohérente"
}

const historyLine = (item: HistoryItem) => {
  const counterparty = item.counterparty === null ? "" : `  ${item.counterparty.name} ${item.counterparty.phone}`
  return `  ${item.at.toISOString()}  ${typeWords[item.type]}  ${signedFrancs(item.amountXof)}  ${statusWords[item.status]}${counterparty}`
}

/**
 * The domain's refusals of a freeze or an unfreeze, as sentences. A ledger that cannot be reached
 * is handed on as its cause (the database's error), which runCommand already describes.
 */
const explainFreezeFailure = (action: "freeze" | "unfreeze", admin: User) =>
  <A, R>(effect: Effect.Effect<A, { readonly _tag: string; readonly cause?: unknown }, R>) =>
    effect.pipe(Effect.mapError((error) => {
      switch (error._tag) {
        case "WalletAlreadyInState":
          return new WalletCommandRefused({
            message: action === "freeze" ? "Ce portefeuille est déjà gelé : rien à faire." : "Ce portefeuille n'est pas gelé : rien à dégeler."
          })
        case "AdminRoleRequired":
          return new WalletCommandRefused({ message: `--admin : ${describeUser(admin)} n'a pas le rôle admin (« nelo-admin users create-admin » le donne).` })
        case "FreezeReasonRequired":
          return new WalletCommandRefused({ message: "--reason : le motif est obligatoire." })
        case "LedgerUnavailable":
          return error.cause
        default:
          return error
      }
    }))

const changeFreeze = (action: "freeze" | "unfreeze", target: string, options: { readonly reason: string; readonly admin: string }) =>
  Effect.gen(function*() {
    const reason = yield* decodeReason(options.reason)
    const user = yield* resolveUser(target)
    const admin = yield* resolveUser(options.admin, "--admin")
    const wallet = yield* Wallet
    const change = action === "freeze" ? wallet.freeze : wallet.unfreeze
    // The terminal does not prove who the named admin is: the system account that ran the command
    // goes into the kept reason too, for the audit trail.
    const { username } = userInfo()
    yield* change({ userId: admin.id, roles: admin.roles }, user.id, `${reason} (nelo-admin, compte système ${username}@${hostname()})`).pipe(explainFreezeFailure(action, admin))
    yield* Console.log(`Portefeuille de ${describeUser(user)} ${action === "freeze" ? "gelé" : "dégelé"} par ${admin.fullName} : ${reason}`)
  }).pipe(Effect.provide(WalletLayer))

const adminOption = "--admin <user>"
const adminHelp = "l'administrateur qui agit (son numéro ou son id) : l'historique des gels le garde"

export const registerWalletCommands = (program: Command) => {
  const wallet = program.command("wallet").description("Portefeuilles : consultation, gel et dégel, audit du grand livre.")

  wallet.command("show")
    .description("Le solde, le statut, les envois du jour et du mois face aux plafonds, et les 10 dernières transactions d'un compte.")
    .argument("<user>", "numéro du compte (07 01 02 03 04) ou son id")
    .action((target: string) =>
      runCommand(Effect.gen(function*() {
        const user = yield* resolveUser(target)
        const wallet = yield* Wallet
        const [overview, history] = yield* Effect.all([
          wallet.overview(user.id),
          wallet.history(user.id, { cursor: null, limit: 10, types: null })
        ], { concurrency: "unbounded" })
        yield* Console.log(describeUser(user))
        yield* Console.log(`Solde : ${francs(overview.balanceXof)}`)
        yield* Console.log(overview.status === "frozen" ? `Statut : gelé — motif : ${overview.frozenReason ?? "non précisé"}` : "Statut : actif")
        yield* Console.log(`Envoyé aujourd'hui : ${francs(overview.daily.usedXof)} sur ${francs(overview.daily.limitXof)} (reste ${francs(overview.daily.remainingXof)})`)
        yield* Console.log(`Envoyé ce mois-ci : ${francs(overview.monthly.usedXof)} sur ${francs(overview.monthly.limitXof)} (reste ${francs(overview.monthly.remainingXof)})`)
        if (history.items.length === 0) return yield* Console.log("Aucune transaction.")
        yield* Console.log(`Dernières transactions (${history.items.length}) :`)
        for (const item of history.items) yield* Console.log(historyLine(item))
      }).pipe(Effect.mapError((error) => (error._tag === "LedgerUnavailable" ? error.cause : error)), Effect.provide(WalletLayer))))

  wallet.command("freeze")
    .description("Gèle le portefeuille d'un compte : il ne peut plus envoyer ni recevoir de transferts jusqu'au dégel. Le motif est gardé.")
    .argument("<user>", "numéro du compte (07 01 02 03 04) ou son id")
    .requiredOption("--reason <reason>", "pourquoi, en français (3 à 500 caractères)")
    .requiredOption(adminOption, adminHelp)
    .action((target: string, options: { reason: string; admin: string }) => runCommand(changeFreeze("freeze", target, options)))

  wallet.command("unfreeze")
    .description("Dégèle le portefeuille d'un compte. Le motif est gardé.")
    .argument("<user>", "numéro du compte (07 01 02 03 04) ou son id")
    .requiredOption("--reason <reason>", "pourquoi, en français (3 à 500 caractères)")
    .requiredOption(adminOption, adminHelp)
    .action((target: string, options: { reason: string; admin: string }) => runCommand(changeFreeze("unfreeze", target, options)))

  wallet.command("audit")
    .description("Vérifie tout le grand livre (soldes, écritures, annulations). Code de sortie 0 si tout concorde, 1 sinon, avec une ligne par différence.")
    .action(() =>
      runCommand(Effect.gen(function*() {
        const report = yield* (yield* Wallet).audit
        yield* Console.log(`Comptes vérifiés : ${report.accounts}`)
        yield* Console.log(`Transactions vérifiées : ${report.transactions}`)
        yield* Console.log(`Somme des soldes : ${report.totalXof < 0 ? "-" : ""}${francs(report.totalXof)}`)
        if (report.differences.length === 0) return yield* Console.log("Aucune différence : le grand livre est cohérent.")
        // The differences are the failure: on stderr with the closing sentence, as every refusal of the CLI.
        for (const difference of report.differences) {
          yield* Console.error(`  ${ruleWords[difference.rule]} : ${difference.subject} (${difference.detail})`)
        }
        return yield* refuse(`${report.differences.length} différence(s) dans le grand livre : voir ci-dessus.`)
      }).pipe(Effect.mapError((error) => (error._tag === "LedgerUnavailable" ? error.cause : error)), Effect.provide(WalletLayer))))
}
