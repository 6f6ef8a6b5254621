import { createWriteStream } from "node:fs"
import type { Command } from "commander"
import { Console, Effect, Layer, Option, References, Schema } from "effect"
import { PayoutsLive } from "@nelo/adapters/contexts/EarningsLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { csvRow } from "@nelo/adapters/presentation/csvField"
import type { Payout } from "@nelo/domain/earnings/Payout"
import { Payouts, type PayoutRunReport } from "@nelo/domain/earnings/Payouts"
import { francs } from "@nelo/domain/shared/francs"
import { runCommand } from "../runCommand.ts"
import { adminOption, refuse, resolveAdmin, unwrapUnavailable } from "./ordersCommands.ts"
import { decodeIfGiven, decodeOption } from "./promotionsCommands.ts"

// Payouts need Postgres only (no Redis): the payouts on the real adapters (their gateways as the
// PAYOUT variables configure them) and the users an --admin names. Built quietly, as OrdersLayer is:
// the gateways' start-up warning ("no payout gateway configured") is for the worker's log, not for an
// admin's terminal (`payouts run` says it in its own sentence).
const PayoutsLayer = Layer.mergeAll(PayoutsLive, UserRepositoryPostgres).pipe(
  Layer.provide(PostgresLayer),
  Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error"))
)

const IsoDay = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u)), Schema.check(Schema.makeFilter((day: string) => {
  const parsed = new Date(`${day}T00:00:00.000Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day
})))
const Uuid = Schema.String.pipe(Schema.check(Schema.isUUID()))
const Via = Schema.Literals(["wave", "cinetpay", "office"])
const Reference = Schema.String.pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(200)))

const sentences = {
  day: (option: string) => (typed: string) => `${option} attend un jour qui existe au format AAAA-MM-JJ (heure d'Abidjan), par exemple 2026-12-07, pas « ${typed} ».`,
  batch: (typed: string) => `Le lot attend l'identifiant (UUID) qu'a donné « nelo-admin payouts export », pas « ${typed} ».`,
  payee: (typed: string) => `--payee attend l'identifiant (UUID) d'un commerce ou d'un livreur du lot, pas « ${typed} ».`,
  via: (typed: string) => `--via attend wave, cinetpay ou office (payé en espèces au bureau), pas « ${typed} ».`,
  reference: (typed: string) => `--reference attend un texte de 1 à 200 caractères, pas « ${typed} ».`,
  reason: (typed: string) => `--reason attend un texte de 1 à 200 caractères (pourquoi le versement n'a pas pu être fait), pas « ${typed} ».`
}

const csvColumns = ["beneficiaire", "type", "telephone", "montant_xof", "reference", "commandes", "beneficiaire_id", "statut"]

const payeeWords = (payout: Payout) => payout.payee.kind === "provider" ? "commerce" : "livreur"

/** Every payout of a report as CSV rows, with a progress bar on stderr (the CSV may be on stdout). */
const writeCsv = (report: PayoutRunReport, out: string | undefined) =>
  Effect.tryPromise({
    try: () =>
      new Promise<void>((resolve, reject) => {
        const target = out === undefined ? process.stdout : createWriteStream(out, { encoding: "utf8" })
        target.on("error", reject)
        const total = report.payouts.length
        const progress = (done: number) => {
          if (!process.stderr.isTTY && done !== total) return
          const width = 30
          const filled = total === 0 ? width : Math.round((done / total) * width)
          process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`)
        }
        target.write(csvRow(csvColumns))
        report.payouts.forEach((payout, index) => {
          target.write(csvRow([payout.holderName, payeeWords(payout), payout.mobile, payout.amountXof, payout.id, payout.orderCount, payout.payee.id, payout.status]))
          if (index % 100 === 99) progress(index + 1)
        })
        progress(total)
        if (target === process.stdout) resolve()
        else target.end(() => resolve())
      }),
    catch: (cause) => new Error(`le fichier n'a pas pu être écrit : ${String(cause)}`)
  })

const summary = (report: PayoutRunReport) =>
  `${report.payouts.length} versement(s), ${francs(report.totalXof)} au total` +
  (report.withoutNumber > 0 ? ` ; ${report.withoutNumber} bénéficiaire(s) sans numéro de paiement confirmé (leurs gains attendent)` : "") +
  (report.held > 0 ? ` ; ${report.held} dont le numéro vient de changer (versement suspendu 24 h)` : "") +
  (report.alreadyOpen > 0 ? ` ; ${report.alreadyOpen} avec un versement déjà en cours` : "") +
  (report.nettedXof > 0 ? ` ; ${francs(report.nettedXof)} de gains de livreurs compensés sur les espèces qu'ils détiennent` : "")

const payeeIdsOf = (payees: ReadonlyArray<string> | undefined) =>
  payees === undefined || payees.length === 0 ? Effect.succeed(null) : Effect.forEach(payees, (payee) => decodeOption(Uuid, payee, sentences.payee))

const collect = (value: string, previous: ReadonlyArray<string> = []) => [...previous, value]

export const registerPayoutsCommands = (program: Command) => {
  const payouts = program.command("payouts").description("Les versements des gains aux commerces et aux livreurs : par Wave (CinetPay en secours), ou à la main à partir d'un export.")

  payouts.command("run")
    .description("Lance un versement maintenant (sans attendre PAYOUTS_SCHEDULE) : chaque bénéficiaire au-dessus du minimum, avec un numéro confirmé, reçoit un versement que le worker envoie.")
    .requiredOption(adminOption, "l'administrateur qui lance (son numéro ou son id)")
    .action((options: { admin: string }) =>
      runCommand(Effect.gen(function*() {
        const admin = yield* resolveAdmin(options.admin)
        const report = yield* (yield* Payouts).startRun(`admin ${admin.id}`)
        if (Option.isNone(report)) {
          return yield* refuse("Aucune passerelle de versement n'est configurée (WAVE_PAYOUT_API_KEY, CINETPAY_TRANSFER_PASSWORD) : exportez un lot avec « nelo-admin payouts export » et payez-le à la main.")
        }
        yield* Console.log(`Versement ${report.value.run.id} : ${summary(report.value)}. Le worker les envoie maintenant ; suivez-les avec « nelo-admin payouts show ${report.value.run.id} ».`)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(PayoutsLayer))))

  payouts.command("export")
    .description(
      "Exporte en CSV ce qui est dû à chaque bénéficiaire à la fin d'une période passée (nom, téléphone, montant, référence, nombre de commandes), " +
        "et le met de côté pour être payé à la main. La même période exportée de nouveau rend le même lot."
    )
    .requiredOption("--from <day>", "le premier jour (AAAA-MM-JJ, heure d'Abidjan)")
    .requiredOption("--to <day>", "le dernier jour, compris (AAAA-MM-JJ), au plus tard hier")
    .option("--out <file>", "le fichier CSV à écrire ; sans lui, le CSV va sur la sortie standard")
    .requiredOption(adminOption, "l'administrateur qui exporte (son numéro ou son id)")
    .action((options: { from: string; to: string; out?: string; admin: string }) =>
      runCommand(Effect.gen(function*() {
        const from = yield* decodeOption(IsoDay, options.from, sentences.day("--from"))
        const to = yield* decodeOption(IsoDay, options.to, sentences.day("--to"))
        const admin = yield* resolveAdmin(options.admin)
        const { existed, report } = yield* (yield* Payouts).exportBatch({ userId: admin.id, roles: admin.roles }, { from, to })
        yield* writeCsv(report, options.out)
        const said = `Lot ${report.run.id} (${from} → ${to})${existed ? ", déjà exporté : le même lot" : ""} : ${summary(report)}.` +
          (options.out === undefined ? "" : ` Écrit dans ${options.out}.`) +
          ` Une fois payé : « nelo-admin payouts mark-paid ${report.run.id} --reference ... ».`
        yield* Effect.sync(() => process.stderr.write(`${said}\n`))
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(PayoutsLayer))))

  payouts.command("mark-paid")
    .description("Marque payés les versements d'un lot exporté (tous, ou ceux de --payee) : l'argent quitte les « versements en cours » du grand livre.")
    .argument("<batch>", "le lot (son identifiant, donné par l'export)")
    .option("--reference <text>", "la référence du paiement (Wave, reçu)")
    .option("--via <how>", "wave (défaut), cinetpay, ou office (payé en espèces au bureau)")
    .option("--payee <id>", "seulement ce bénéficiaire (répétable)", collect)
    .requiredOption(adminOption, "l'administrateur qui a payé (son numéro ou son id)")
    .action((batch: string, options: { reference?: string; via?: string; payee?: ReadonlyArray<string>; admin: string }) =>
      runCommand(Effect.gen(function*() {
        const runId = yield* decodeOption(Uuid, batch, sentences.batch)
        const reference = (yield* decodeIfGiven(Reference, options.reference, sentences.reference)) ?? null
        const via = (yield* decodeIfGiven(Via, options.via, sentences.via)) ?? "wave"
        const payeeIds = yield* payeeIdsOf(options.payee)
        const admin = yield* resolveAdmin(options.admin)
        const marked = yield* (yield* Payouts).markPaid({ userId: admin.id, roles: admin.roles }, runId, { reference, via, payeeIds })
        if (marked.length === 0) return yield* refuse("--payee : aucun versement en attente de ce lot n'est à ce bénéficiaire.")
        yield* Console.log(`${marked.length} versement(s) marqué(s) payé(s), ${francs(marked.reduce((sum, payout) => sum + payout.amountXof, 0))} au total. Les bénéficiaires sont prévenus par SMS.`)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(PayoutsLayer))))

  payouts.command("mark-failed")
    .description("Marque échoués les versements d'un lot exporté (tous, ou ceux de --payee) : leur argent revient sur les gains des bénéficiaires.")
    .argument("<batch>", "le lot (son identifiant, donné par l'export)")
    .requiredOption("--reason <text>", "pourquoi (numéro injoignable, refusé...)")
    .option("--payee <id>", "seulement ce bénéficiaire (répétable)", collect)
    .requiredOption(adminOption, "l'administrateur (son numéro ou son id)")
    .action((batch: string, options: { reason: string; payee?: ReadonlyArray<string>; admin: string }) =>
      runCommand(Effect.gen(function*() {
        const runId = yield* decodeOption(Uuid, batch, sentences.batch)
        const reason = yield* decodeOption(Reference, options.reason, sentences.reason)
        const payeeIds = yield* payeeIdsOf(options.payee)
        const admin = yield* resolveAdmin(options.admin)
        const marked = yield* (yield* Payouts).markFailed({ userId: admin.id, roles: admin.roles }, runId, { reason, payeeIds })
        if (marked.length === 0) return yield* refuse("--payee : aucun versement en attente de ce lot n'est à ce bénéficiaire.")
        yield* Console.log(`${marked.length} versement(s) marqué(s) échoué(s) : ${francs(marked.reduce((sum, payout) => sum + payout.amountXof, 0))} reviennent sur les gains.`)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(PayoutsLayer))))

  payouts.command("show")
    .description("Les versements d'un lot ou d'un versement automatique, et où chacun en est.")
    .argument("<batch>", "le lot (son identifiant)")
    .requiredOption(adminOption, "l'administrateur qui consulte (son numéro ou son id)")
    .action((batch: string, options: { admin: string }) =>
      runCommand(Effect.gen(function*() {
        const runId = yield* decodeOption(Uuid, batch, sentences.batch)
        const admin = yield* resolveAdmin(options.admin)
        const { payouts: made, run } = yield* (yield* Payouts).runOf({ userId: admin.id, roles: admin.roles }, runId)
        yield* Console.log(`${run.method === "manual" ? `Lot manuel ${run.periodFrom} → ${run.periodTo}` : "Versement par passerelle"} ${run.id}, lancé le ${run.createdAt.toISOString().slice(0, 16).replace("T", " ")} par ${run.startedBy} : ${made.length} versement(s).`)
        for (const payout of made) {
          yield* Console.log(`  ${payout.status.padEnd(10)} ${francs(payout.amountXof).padStart(12)}  ${payout.mobile}  ${payout.holderName} (${payeeWords(payout)})${payout.gateway ? `  via ${payout.gateway}` : ""}${payout.detail ? `  : ${payout.detail}` : ""}`)
        }
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(PayoutsLayer))))
}
