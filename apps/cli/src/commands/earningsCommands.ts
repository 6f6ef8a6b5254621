import type { Command } from "commander"
import { Console, Effect, Layer, Option, Schema } from "effect"
import { EarningsLive } from "@nelo/adapters/contexts/EarningsLive"
import { OrderRepositoryPostgres } from "@nelo/adapters/postgres/OrderRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { RateParty } from "@nelo/domain/earnings/CommissionRate"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { BasisPoints } from "@nelo/domain/shared/Xof"
import type { User } from "@nelo/domain/users/User"
import { describeUser, resolveUser } from "../resolveUser.ts"
import { runCommand } from "../runCommand.ts"
import { adminOption, refuse, resolveAdmin, unwrapUnavailable } from "./ordersCommands.ts"
import { decodeIfGiven, decodeOption, IsoInstant, ProviderUuid, WholeNumber } from "./promotionsCommands.ts"

// Settlement and commission rates need Postgres only (no Redis): the earnings context on the real
// adapters, the users an --admin or a --driver names, the providers and the orders it prints.
const EarningsLayer = Layer.mergeAll(EarningsLive, UserRepositoryPostgres, ProviderRepositoryPostgres, OrderRepositoryPostgres).pipe(Layer.provide(PostgresLayer))

const defaultBatchSize = 500

const sentences = {
  batchSize: (typed: string) => `--batch-size attend un nombre entier de commandes par page, entre 1 et 10 000, pas « ${typed} ».`,
  bp: (typed: string) => `--bp attend un taux en points de base, un nombre entier entre 0 et 10 000 (1 200 = 12 %), pas « ${typed} ».`,
  date: (typed: string) =>
    `--from attend une date ISO 8601 qui existe, par exemple 2026-12-10 (dès minuit, heure d'Abidjan, UTC) ou 2026-12-10T08:00, pas « ${typed} ».`,
  provider: (typed: string) => `--provider attend l'identifiant (UUID) d'un commerce, pas « ${typed} ».`
}

const BatchSize = WholeNumber(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 10_000 }))))

/** 1,250 basis points → "12,5 %". */
const percentWords = (basisPoints: number) => `${String(basisPoints / 100).replace(".", ",")} %`

/** Abidjan's time is UTC all year: "2026-12-10 08:00". */
const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ")

/** Exactly one of --provider (its id) or --driver (his phone or id): the party, and its name for the sentences. */
const resolveParty = (options: { readonly provider?: string; readonly driver?: string }) =>
  Effect.gen(function*() {
    if ((options.provider === undefined) === (options.driver === undefined)) return yield* refuse("Dites de qui est la commission : --provider ID ou --driver TÉLÉPHONE, l'un des deux.")
    if (options.provider !== undefined) {
      const id = yield* decodeOption(ProviderUuid, options.provider, sentences.provider)
      const provider = yield* (yield* ProviderRepository).findById(id)
      if (Option.isNone(provider)) return yield* refuse(`--provider : aucun commerce n'a l'identifiant ${id}.`)
      return { party: { kind: "provider", id } satisfies RateParty, name: `du commerce ${provider.value.name} (id ${id})` }
    }
    const driver: User = yield* resolveUser(options.driver!, "--driver")
    return { party: { kind: "driver", id: driver.id } satisfies RateParty, name: `du livreur ${describeUser(driver)}` }
  })

export const registerEarningsCommands = (program: Command) => {
  const earnings = program.command("earnings").description("Les gains : règlement des commandes livrées, taux de commission par commerce et par livreur.")

  earnings.command("settle-delivered")
    .description(
      "Règle chaque commande livrée qui ne l'est pas encore (livrée avant le règlement automatique, ou dont l'événement s'est perdu) : " +
        "séquestre → gains du commerce et du livreur, commissions à la plateforme. Relancé, il ne règle rien deux fois."
    )
    .option("--batch-size <n>", `commandes lues par page (${defaultBatchSize} par défaut)`)
    .action((options: { batchSize?: string }) =>
      runCommand(Effect.gen(function*() {
        const batchSize = (yield* decodeIfGiven(BatchSize, options.batchSize, sentences.batchSize)) ?? defaultBatchSize
        const report = yield* (yield* Earnings).settleDelivered(batchSize)
        const orders = yield* OrderRepository
        for (const refusal of report.refused) {
          const order = yield* orders.findById(refusal.orderId)
          const reference = Option.match(order, { onNone: () => refusal.orderId, onSome: (found) => found.reference })
          yield* Console.log(`NON RÉGLÉE : ${reference} (${refusal.reason === "no_driver" ? "livrée sans livreur enregistré" : "séquestre du commerce insuffisant"}) : à vérifier.`)
        }
        yield* Console.log(
          `${report.settled} commande(s) réglée(s) maintenant ; ${report.alreadySettled} l'étai(en)t déjà` +
            `${report.nothingToSettle > 0 ? ` ; ${report.nothingToSettle} sans rien à régler` : ""}` +
            `${report.refused.length > 0 ? ` ; ${report.refused.length} non réglée(s)` : ""} (${report.examined} commande(s) livrée(s) lue(s)).`
        )
        if (report.refused.length > 0) return yield* refuse(`${report.refused.length} commande(s) livrée(s) n'ont pas pu être réglées : voir ci-dessus.`)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(EarningsLayer))))

  earnings.command("set-rate")
    .description(
      "Fixe la commission d'un commerce (sur ses articles) ou d'un livreur (sur les frais de livraison), en points de base, à partir d'une date. " +
        "Chaque commande est réglée au taux en vigueur quand elle a été passée : un changement ne touche jamais les commandes déjà passées."
    )
    .option("--provider <id>", "le commerce (son identifiant)")
    .option("--driver <user>", "le livreur (son numéro ou son id)")
    .requiredOption("--bp <n>", "le taux en points de base, de 0 à 10 000 (1 200 = 12 %)")
    .option("--from <date>", "à partir de quand (ISO 8601, heure d'Abidjan) ; sans elle, tout de suite ; jamais dans le passé")
    .requiredOption(adminOption, "l'administrateur qui fixe le taux (son numéro ou son id)")
    .action((options: { provider?: string; driver?: string; bp: string; from?: string; admin: string }) =>
      runCommand(Effect.gen(function*() {
        const { name, party } = yield* resolveParty(options)
        const rate = yield* decodeOption(WholeNumber(BasisPoints), options.bp, sentences.bp)
        const from = yield* decodeIfGiven(IsoInstant, options.from, sentences.date)
        const admin = yield* resolveAdmin(options.admin)
        const set = yield* (yield* Earnings).setRate({ userId: admin.id, roles: admin.roles }, party, rate, from)
        yield* Console.log(
          `Commission ${name} : ${percentWords(set.basisPoints)} (${set.basisPoints} points de base) à partir du ${when(set.effectiveFrom)} (heure d'Abidjan). ` +
            "Les commandes passées avant gardent le taux d'alors."
        )
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(EarningsLayer))))

  earnings.command("rates")
    .description("Les taux de commission d'un commerce ou d'un livreur : le taux par défaut et chaque taux particulier, dans l'ordre où ils s'appliquent.")
    .option("--provider <id>", "le commerce (son identifiant)")
    .option("--driver <user>", "le livreur (son numéro ou son id)")
    .requiredOption(adminOption, "l'administrateur qui consulte (son numéro ou son id)")
    .action((options: { provider?: string; driver?: string; admin: string }) =>
      runCommand(Effect.gen(function*() {
        const { name, party } = yield* resolveParty(options)
        const admin = yield* resolveAdmin(options.admin)
        const rates = yield* (yield* Earnings).ratesOf({ userId: admin.id, roles: admin.roles }, party)
        yield* Console.log(`Commission ${name} : ${percentWords(rates.defaultBasisPoints)} par défaut (EARNINGS_${party.kind === "provider" ? "PROVIDER" : "DRIVER"}_COMMISSION_BP).`)
        if (rates.overrides.length === 0) yield* Console.log("Aucun taux particulier.")
        for (const rate of rates.overrides) {
          yield* Console.log(`  à partir du ${when(rate.effectiveFrom)} : ${percentWords(rate.basisPoints)} (${rate.basisPoints} pb), fixé le ${when(rate.createdAt)} par ${rate.setBy}`)
        }
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(EarningsLayer))))
}
