import type { Command } from "commander"
import { Console, Effect, Layer, Option, References, Schema } from "effect"
import { OrdersLive } from "@nelo/adapters/contexts/OrdersLive"
import { WalletLive } from "@nelo/adapters/contexts/WalletLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { statusLabel } from "@nelo/domain/orders/messages"
import type { ActorKind, Order, OrderChange, OrderLine, PaymentMethod, PaymentStatus } from "@nelo/domain/orders/Order"
import { orderReferencePattern } from "@nelo/domain/orders/orderReference"
import { Orders } from "@nelo/domain/orders/Orders"
import { francs } from "@nelo/domain/shared/francs"
import { type AdminRoleRequired, requireAdmin } from "@nelo/domain/users/setUserRoles"
import { type User, UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import type { LedgerTransaction } from "@nelo/domain/wallet/LedgerTransaction"
import { describeUser, resolveUser } from "../resolveUser.ts"
import { runCommand } from "../runCommand.ts"

/**
 * The orders context as the API runs it (its WrongPinObserver is the wallet's), with the users the
 * commands name and the providers a promotion names; Redis for the catalogue's cache and the PIN
 * counters the context's layer holds.
 */
export const OrdersLayer = Layer.mergeAll(
  // The context holds the gateways (it opens checkouts): built here without their start-up warning
  // about missing credentials, which is for the API's log, not for an admin reading an order.
  OrdersLive.pipe(Layer.provide(WalletLive), Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error"))),
  UserRepositoryPostgres,
  ProviderRepositoryPostgres
).pipe(
  Layer.provide([PostgresLayer, RedisClientLayer])
)

/**
 * An orders or promotions command refused: one French sentence, which runCommand prints as is (its
 * `message`). Nothing was written.
 */
export class OrdersCommandRefused extends Schema.TaggedError<OrdersCommandRefused>()("OrdersCommandRefused", { message: Schema.String }) {}

export const refuse = (message: string) => Effect.fail(new OrdersCommandRefused({ message }))


/** The domain's refusal of a user without the admin role, as the sentence naming --admin. */
const notAnAdmin = (admin: User) =>
  new OrdersCommandRefused({ message: `--admin : ${describeUser(admin)} n'a pas le rôle admin (« nelo-admin users create-admin » le donne).` })

/**
 * The administrator who acts, named with --admin: their account, refused at once without the admin
 * role (the domain's rule, requireAdmin).
 */
export const resolveAdmin = (input: string) =>
  Effect.gen(function*() {
    const admin = yield* resolveUser(input, "--admin")
    const adminOnly: Effect.Effect<void, AdminRoleRequired> = requireAdmin(admin)
    yield* adminOnly.pipe(Effect.mapError(() => notAnAdmin(admin)))
    return admin
  })

/** A store that could not be reached: handed on as its cause (the database's error), which runCommand describes. */
export const unwrapUnavailable = (error: unknown): unknown => {
  const tag = (error as { readonly _tag?: unknown } | null)?._tag
  const unavailable = tag === "OrdersUnavailable" || tag === "LedgerUnavailable" || tag === "AuthStoreUnavailable" || tag === "CatalogueStoreUnavailable"
  return unavailable ? (error as { readonly cause?: unknown }).cause ?? error : error
}

export const adminOption = "--admin <user>"

const paymentMethodWords: Record<PaymentMethod, string> = { wallet: "portefeuille NELO", wave: "Wave", cinetpay: "CinetPay", cash: "espèces" }

const paymentStatusWords: Record<PaymentStatus, string> = {
  awaiting: "en attente de la confirmation du paiement",
  paid: "payée",
  on_delivery: "à payer à la livraison",
  refunding: "remboursement en cours sur la passerelle de paiement",
  refunded: "remboursée",
  unpaid: "jamais payée (expirée)"
}

const actorWords: Record<ActorKind, string> = { customer: "client", provider: "commerce", driver: "livreur", admin: "administrateur", system: "système" }

const responsibleWords = { customer: "du client", provider: "du commerce", driver: "du livreur", platform: "de la plateforme", system: "du système" } as const

const changeWords = (change: OrderChange) => {
  switch (change.change) {
    case "created":
      return `créée (${statusLabel[change.to]})`
    case "paid":
      return "paiement reçu"
    default:
      return change.from === null ? statusLabel[change.to] : `${statusLabel[change.from]} → ${statusLabel[change.to]}`
  }
}

/** 12.5 → "12,5", as the French write decimals. */
const decimal = (value: number) => String(value).replace(".", ",")

const lineText = (line: OrderLine) => {
  const price = `× ${line.quantity} à ${francs(line.unitPriceXof)} = ${francs(line.lineTotalXof)}`
  if (line.kind === "product") {
    const options = line.options.length === 0 ? "" : ` (${line.options.map((option) => `${option.groupName} : ${option.name}`).join(" ; ")})`
    return `${line.name}${options} ${price}`
  }
  const sale = line.sale === "refill" ? "recharge" : "bouteille neuve (consigne comprise)"
  const empties = line.emptyBottlesToCollect > 0
    ? ` — ${line.emptyBottlesToCollect} bouteille${line.emptyBottlesToCollect > 1 ? "s" : ""} vide${line.emptyBottlesToCollect > 1 ? "s" : ""} à récupérer`
    : ""
  return `${line.brand} ${decimal(line.bottleSizeKg)} kg, ${sale} ${price}${empties}`
}

const actorText = (change: OrderChange) =>
  change.actor.kind === "customer" || change.actor.kind === "provider" || change.actor.kind === "driver"
    ? actorWords[change.actor.kind]
    : `${actorWords[change.actor.kind]} (${change.actor.id})`

/** What a ledger transaction moved: the sum of its credits (its postings sum to zero). */
const movedXof = (transaction: LedgerTransaction) => transaction.postings.reduce((sum, posting) => sum + Math.max(0, posting.amountXof), 0)

const orderLines = (order: Order, customer: Option.Option<User>, timeline: ReadonlyArray<OrderChange>, money: { readonly payment: LedgerTransaction | null; readonly refund: LedgerTransaction | null }) => {
  const { totals, destination } = order
  const lines = [
    `Commande ${order.reference} (id ${order.id}) : ${statusLabel[order.status]}`,
    `Passée le ${order.createdAt.toISOString()}, mise à jour le ${order.updatedAt.toISOString()}`,
    `Client : ${Option.isSome(customer) ? describeUser(customer.value) : `compte introuvable (id ${order.customerId})`}`,
    `Commerce : ${order.pickup.name} (id ${order.providerId})${order.pickup.landmark === "" ? "" : `, retrait : ${order.pickup.landmark}`}`,
    `Livraison à : ${destination.label}${destination.landmark === "" ? "" : ` — ${destination.landmark}`} (zone ${destination.zone.name}), à ${decimal(Math.round(order.distanceM / 100) / 10)} km`
  ]
  if (order.note !== null) lines.push(`Note du client : ${order.note}`)
  if (order.preparationMinutes !== null) lines.push(`Préparation annoncée : ${order.preparationMinutes} min`)
  lines.push(`Articles (${order.lines.length}) :`, ...order.lines.map((line) => `  ${lineText(line)}`))
  lines.push(`Sous-total : ${francs(totals.subtotalXof)}`, `Frais de livraison : ${francs(totals.deliveryFeeXof)}`)
  if (totals.discountXof > 0 || order.promotion !== null) {
    const promotion = order.promotion === null
      ? ""
      : ` (${order.promotion.code === null ? "promotion automatique" : `code ${order.promotion.code}`}, financée par ${order.promotion.fundedBy === "platform" ? "la plateforme" : "le commerce"})`
    lines.push(`Réduction : -${francs(totals.discountXof)}${promotion}`)
  }
  lines.push(`Total : ${francs(totals.totalXof)}`)
  lines.push(`Paiement : ${paymentMethodWords[order.paymentMethod]}, ${paymentStatusWords[order.paymentStatus]}`)
  if (order.cancellation !== null) {
    lines.push(`Annulation : par ${actorWords[order.cancellation.by.kind]}, à la charge ${responsibleWords[order.cancellation.responsible]} — motif : ${order.cancellation.reason}`)
  }
  lines.push(`Historique (${timeline.length}) :`)
  for (const change of timeline) {
    lines.push(`  ${change.at.toISOString()}  ${changeWords(change)}  par ${actorText(change)}${change.reason === null ? "" : `  — motif : ${change.reason}`}`)
  }
  if (money.payment === null && money.refund === null) {
    lines.push(`Grand livre : aucun mouvement${order.paymentMethod === "cash" ? " (paiement en espèces à la livraison)" : ""}`)
  } else {
    lines.push("Grand livre :")
    lines.push(money.payment === null ? "  Paiement : aucun" : `  Paiement : ${francs(movedXof(money.payment))} (transaction ${money.payment.id})`)
    lines.push(money.refund === null ? "  Remboursement : aucun" : `  Remboursement : ${francs(movedXof(money.refund))} (transaction ${money.refund.id})`)
  }
  return lines
}

/** A reference as people type it (lower case, spaces around): upper-cased, then checked as ORD- and 8 Crockford characters. */
export const decodeReference = (typed: string) => {
  const reference = typed.trim().toUpperCase()
  return orderReferencePattern.test(reference)
    ? Effect.succeed(reference)
    : refuse(`« ${typed.trim()} » n'est pas une référence de commande : attendu ORD- suivi de 8 caractères (chiffres et lettres sauf I, L, O, U), par exemple ORD-7K3M9Q2T.`)
}

export const registerOrdersCommands = (program: Command) => {
  const orders = program.command("orders").description("Commandes : consultation pour le support.")

  orders.command("show")
    .description("Une commande par sa référence : client, commerce, adresse, articles, montants, paiement, historique et mouvements du grand livre.")
    .argument("<reference>", "la référence de la commande, par exemple ORD-7K3M9Q2T")
    .requiredOption(adminOption, "l'administrateur qui consulte (son numéro ou son id)")
    .action((typed: string, options: { admin: string }) =>
      runCommand(Effect.gen(function*() {
        const reference = yield* decodeReference(typed)
        const admin = yield* resolveAdmin(options.admin)
        const service = yield* Orders
        const users = yield* UserRepository
        const viewer = { userId: admin.id, roles: admin.roles }
        const order = yield* service.getByReference(viewer, reference).pipe(
          Effect.catchTag("OrderNotFound", () => refuse(`Aucune commande n'a la référence ${reference}.`))
        )
        const [tracking, money, customer] = yield* Effect.all([
          service.tracking(viewer, order.id),
          service.moneyOf(order),
          users.findById(order.customerId as UserId)
        ], { concurrency: "unbounded" })
        for (const line of orderLines(tracking.order, customer, tracking.timeline, money)) yield* Console.log(line)
      }).pipe(
        Effect.mapError(unwrapUnavailable),
        Effect.provide(OrdersLayer)
      )))
}
