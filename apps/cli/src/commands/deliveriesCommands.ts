import type { Command } from "commander"
import { Console, Effect, Layer, Option, References } from "effect"
import { DeliveriesLive } from "@nelo/adapters/contexts/DeliveriesLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import type { DeliveryStatus } from "@nelo/domain/deliveries/Delivery"
import type { OfferStatus } from "@nelo/domain/deliveries/Offer"
import { statusLabel } from "@nelo/domain/orders/messages"
import { Orders } from "@nelo/domain/orders/Orders"
import { francs } from "@nelo/domain/shared/francs"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { runCommand } from "../runCommand.ts"
import { adminOption, decodeReference, OrdersLayer, refuse, resolveAdmin, unwrapUnavailable } from "./ordersCommands.ts"

// Built quietly, as OrdersLayer is: the gateways' start-up warning is for the API's log, not for an admin's terminal.
const DeliveriesLayer = Layer.merge(OrdersLayer, DeliveriesLive.pipe(Layer.provide([PostgresLayer, RedisClientLayer]), Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error"))))

const deliveryStatusWords: Readonly<Record<DeliveryStatus, string>> = {
  searching: "recherche d'un livreur",
  unassigned: "SANS LIVREUR (aucun trouvé)",
  assigned: "livreur en route vers le commerce",
  picked_up: "récupérée par le livreur",
  delivering: "en livraison",
  delivered: "livrée",
  failed: "échouée",
  cancelled: "annulée"
}

const offerStatusWords: Readonly<Record<OfferStatus, string>> = {
  open: "ouverte",
  accepted: "acceptée",
  rejected: "refusée",
  expired: "sans réponse",
  withdrawn: "retirée",
  released: "acceptée puis rendue"
}

const paymentMethodWords = { wallet: "portefeuille NELO", wave: "Wave", cinetpay: "CinetPay", cash: "espèces" } as const

const time = (date: Date | null) => date === null ? "-" : date.toISOString().replace("T", " ").slice(0, 19)

export const registerDeliveriesCommands = (program: Command) => {
  const deliveries = program.command("deliveries").description("Les courses : qui livre quoi, les offres envoyées, la remise.")

  deliveries.command("show")
    .description("La course d'une commande, par la référence de la commande : statut, livreur, offres envoyées (à qui, score, réponse), étapes, espèces et code.")
    .argument("<reference>", "la référence de la commande, par exemple ORD-7K3M9Q2T")
    .requiredOption(adminOption, "l'administrateur qui consulte (son numéro ou son id)")
    .action((typed: string, options: { admin: string }) =>
      runCommand(Effect.gen(function*() {
        const reference = yield* decodeReference(typed)
        const admin = yield* resolveAdmin(options.admin)
        const order = yield* (yield* Orders).getByReference({ userId: admin.id, roles: admin.roles }, reference).pipe(
          Effect.catchTag("OrderNotFound", () => refuse(`Aucune commande n'a la référence ${reference}.`))
        )
        const found = yield* (yield* Deliveries).detailsOfOrder({ userId: admin.id, roles: admin.roles }, order.id)
        if (Option.isNone(found)) {
          yield* Console.log(`${reference} : commande ${statusLabel[order.status]}, pas encore de course (elle est créée quand le commerce confirme la commande).`)
          return
        }
        const { delivery, offers, trail } = found.value
        const users = yield* UserRepository
        const people = new Map((yield* users.findByIds([...new Set(offers.map((offer) => offer.driverId).concat(delivery.driverId ?? []))] as Array<UserId>)).map((user) => [user.id as string, user]))
        const who = (userId: string | null) => {
          if (userId === null) return "aucun"
          const person = people.get(userId)
          return person === undefined ? userId : `${person.fullName} (${person.phone})`
        }
        const lines = [
          `${reference} : commande ${statusLabel[order.status]}, course ${deliveryStatusWords[delivery.status]}`,
          `Course ${delivery.id}`,
          `Livreur : ${who(delivery.driverId)}`,
          `Retrait : ${order.pickup.name} (${order.pickup.landmark}) → ${order.destination.zone.name}, ${order.destination.label} (${order.destination.landmark}), ${(order.distanceM / 1000).toFixed(1)} km`,
          `Paiement : ${order.paymentMethod === "cash" ? `espèces, ${francs(order.totals.totalXof)} à encaisser${delivery.cashCollectedXof === null ? "" : `, ${francs(delivery.cashCollectedXof)} encaissés`}` : `${paymentMethodWords[order.paymentMethod]}, ${francs(order.totals.totalXof)}`}`,
          `Offres à partir de ${time(delivery.dispatchAt)} ; ${delivery.progress.batchCount} vague(s) d'offres${delivery.unassignedSince === null ? "" : ` ; sans livreur depuis ${time(delivery.unassignedSince)}`}`,
          `Étapes : attribuée ${time(delivery.assignedAt)}, récupérée ${time(delivery.pickedUpAt)}, livrée ${time(delivery.deliveredAt)}`,
          `Codes faux : ${delivery.wrongCodeAttempts}${delivery.completionLockedAt === null ? "" : ` (REMISE BLOQUÉE depuis ${time(delivery.completionLockedAt)}) ; le code du client est ${order.deliveryCode}`}`,
          ...(delivery.failure === null ? [] : [`Échec : ${delivery.failure.reason}${delivery.failure.note === null ? "" : ` (${delivery.failure.note})`}`]),
          trail.length === 0
            ? "Trace : aucun point."
            : `Trace : ${trail.length} point(s) de ${time(trail[0]!.recordedAt)} à ${time(trail.at(-1)!.recordedAt)}, dernier à ${trail.at(-1)!.location.lat.toFixed(5)},${trail.at(-1)!.location.lng.toFixed(5)}`,
          offers.length === 0 ? "Aucune offre envoyée." : "Offres :",
          ...offers.map((offer) =>
            `  vague ${offer.batch}  ${time(offer.createdAt)}  ${who(offer.driverId)}  à ${(offer.distanceToPickupM / 1000).toFixed(1)} km  score ${offer.score.toFixed(3)}  ${offerStatusWords[offer.status]}${offer.answeredAt === null ? "" : ` ${time(offer.answeredAt)}`}${offer.rejectReason === null ? "" : ` (« ${offer.rejectReason} »)`}`
          )
        ]
        for (const line of lines) yield* Console.log(line)
      }).pipe(
        Effect.mapError(unwrapUnavailable),
        Effect.provide(DeliveriesLayer)
      )))
}
