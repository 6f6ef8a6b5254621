import type { Command } from "commander"
import { Console, Effect, Layer, Schema, SchemaTransformation } from "effect"
import { DriverCashLive } from "@nelo/adapters/contexts/EarningsLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ageWords } from "@nelo/domain/earnings/cashAlert"
import { RemittanceNote, RemittanceReference, RemittanceVia } from "@nelo/domain/earnings/cashRemittance"
import { DriverCash, type CashReport } from "@nelo/domain/earnings/DriverCash"
import { driverCashMessages } from "@nelo/domain/earnings/driverCashMessages"
import { francs } from "@nelo/domain/shared/francs"
import { messageFrom } from "@nelo/domain/shared/ErrorMessages"
import type { User } from "@nelo/domain/users/User"
import { describeUser, resolveUser } from "../resolveUser.ts"
import { runCommand } from "../runCommand.ts"
import { adminOption, OrdersCommandRefused, resolveAdmin, unwrapUnavailable } from "./ordersCommands.ts"
import { decodeIfGiven, decodeOption, WholeNumber } from "./promotionsCommands.ts"

// The drivers' cash needs Postgres only: the drivers' cash context on the real adapters, and the
// users a --driver or an --admin names.
const CashLayer = Layer.mergeAll(DriverCashLive, UserRepositoryPostgres).pipe(Layer.provide(PostgresLayer))

const sentences = {
  amount: (typed: string) => `--amount attend un montant en francs, un nombre entier supérieur à 0 (25000), pas « ${typed} ».`,
  reference: (typed: string) =>
    `--reference attend la référence de la remise (numéro du reçu, identifiant de la transaction Wave) : 1 à 64 lettres, chiffres ou _ . : / -, sans espace, pas « ${typed} ».`,
  via: (typed: string) => `--via attend office (remise au bureau) ou wave (envoi par Wave), pas « ${typed} ».`,
  note: () => "--note attend un texte de 500 caractères au plus, sans caractères de contrôle.",
  olderThan: (typed: string) => `--older-than attend une durée en heures ou en jours (48h, 2j), pas « ${typed} ».`
}

const Amount = WholeNumber(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }))))

/** 48h, 2j or 2d: a duration in hours or days, as milliseconds. */
const Age = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{1,5}\s?[hjd]$/iu)),
  Schema.decodeTo(Schema.Int, SchemaTransformation.transform<number, string>({
    decode: (typed) => Number(typed.replace(/\D/gu, "")) * (/h$/iu.test(typed) ? 3_600_000 : 86_400_000),
    encode: (ms) => `${Math.floor(ms / 3_600_000)}h`
  }))
)

const viaWords = { office: "au bureau", wave: "par Wave" } as const

/** Abidjan's time is UTC all year: "2026-12-10 08:00". */
const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ")

/** The domain's refusals of a remittance, each as its one French sentence (the API's own). */
const asSentence = (driver: User | null) => (error: unknown): unknown => {
  const tag = (error as { readonly _tag?: unknown } | null)?._tag
  if (tag === "DriverNotRegistered" && driver !== null) return new OrdersCommandRefused({ message: `--driver : ${describeUser(driver)} n'est pas inscrit comme livreur.` })
  const sentence = messageFrom([driverCashMessages], error)
  return sentence === undefined ? unwrapUnavailable(error) : new OrdersCommandRefused({ message: sentence })
}

/** The report as a table an admin reads in a terminal, one driver a line, the longest held first. */
export const reportLines = (report: CashReport, olderThanMs: number | null): ReadonlyArray<string> => {
  if (report.drivers.length === 0) {
    return [olderThanMs === null ? "Aucun livreur ne détient d'espèces pour NELO." : `Aucun livreur ne détient d'espèces depuis ${ageWords(olderThanMs)} ou plus.`]
  }
  const header = ["Livreur", "Téléphone", "Espèces", "Depuis", "Plafond", "Gains", "Manque"]
  const rows = report.drivers.map((line) => [
    line.fullName,
    line.phone ?? "?",
    francs(line.cashHeldXof),
    line.ageMs === null ? "?" : ageWords(line.ageMs),
    line.overCap ? "ATTEINT" : "non",
    francs(line.earningsXof),
    francs(line.shortfallXof)
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const format = (cells: ReadonlyArray<string>) => cells.map((cell, column) => column >= 2 && column !== 3 && column !== 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)).join("  ").trimEnd()
  return [
    `${report.drivers.length} livreur(s) détiennent ${francs(report.totalHeldXof)} pour NELO (plafond ${francs(report.capXof)} chacun ; alerte au-delà de ${ageWords(report.maximumAgeMs)}). ` +
    "« Depuis » : la plus ancienne collecte pas encore remise ; « Manque » : ce que ses gains ne couvriraient pas.",
    format(header),
    format(widths.map((width) => "-".repeat(width))),
    ...rows.map(format)
  ]
}

export const registerCashCommands = (program: Command) => {
  const cash = program.command("cash").description("Les espèces des livreurs : remises au bureau ou par Wave, qui détient combien et depuis quand.")

  cash.command("remit")
    .description(
      "Enregistre des espèces qu'un livreur a remises à NELO (au bureau, ou par Wave) : ses espèces en main baissent d'autant, ce qui le débloque sous le plafond. " +
        "Jamais plus que ce qu'il détient ; la même remise saisie deux fois (même référence, même montant) n'est écrite qu'une fois."
    )
    .requiredOption("--driver <user>", "le livreur (son numéro ou son id)")
    .requiredOption("--amount <francs>", "le montant remis, en francs (25000)")
    .requiredOption("--reference <ref>", "la référence de la remise : numéro du reçu, identifiant de la transaction Wave")
    .option("--via <how>", "office (au bureau, par défaut) ou wave (envoyé par Wave)")
    .option("--note <text>", "une note (qui l'a apporté, les billets)")
    .requiredOption(adminOption, "l'administrateur qui enregistre la remise (son numéro ou son id)")
    .action((options: { driver: string; amount: string; reference: string; via?: string; note?: string; admin: string }) =>
      runCommand(Effect.gen(function*() {
        const amountXof = yield* decodeOption(Amount, options.amount, sentences.amount)
        const reference = yield* decodeOption(RemittanceReference, options.reference, sentences.reference)
        const via = (yield* decodeIfGiven(RemittanceVia, options.via, sentences.via)) ?? "office"
        const note = options.note === undefined ? null : yield* decodeOption(RemittanceNote, options.note, sentences.note)
        const driver = yield* resolveUser(options.driver, "--driver")
        const admin = yield* resolveAdmin(options.admin)
        const remittance = yield* (yield* DriverCash).remit({ driverId: driver.id, amountXof, reference, via, note }, { userId: admin.id, roles: admin.roles }).pipe(
          Effect.mapError(asSentence(driver))
        )
        yield* Console.log(
          remittance.replayed
            ? `Cette remise était déjà enregistrée (référence ${remittance.reference}, ${francs(remittance.amountXof)} ${viaWords[remittance.via]}, le ${when(remittance.createdAt)}) : rien de plus n'est écrit.`
            : `Remise enregistrée : ${francs(remittance.amountXof)} ${viaWords[remittance.via]} de ${describeUser(driver)}, référence ${remittance.reference}.`
        )
        yield* Console.log(`Il détient encore ${francs(remittance.cashHeldXof)} pour NELO.`)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(CashLayer))))

  cash.command("report")
    .description(
      "Chaque livreur qui détient des espèces pour NELO : combien, depuis quand (la plus ancienne collecte pas encore remise, les remises payant les plus anciennes d'abord), " +
        "le plafond, ses gains et le manque (ce que ses gains ne couvriraient pas)."
    )
    .option("--older-than <age>", "seulement ceux qui détiennent des espèces depuis au moins cette durée (48h, 2j)")
    .action((options: { olderThan?: string }) =>
      runCommand(Effect.gen(function*() {
        const olderThanMs = yield* decodeIfGiven(Age, options.olderThan, sentences.olderThan)
        const report = yield* (yield* DriverCash).report({ olderThanMs })
        for (const line of reportLines(report, olderThanMs)) yield* Console.log(line)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(CashLayer))))
}
