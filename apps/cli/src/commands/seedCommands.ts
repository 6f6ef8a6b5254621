import type { Command } from "commander"
import { Clock, Console, Effect, Layer, Schema } from "effect"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { CatalogueImportPostgres } from "@nelo/adapters/postgres/CatalogueImportPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { demoCatalogue, demoLimits, demoOwnerCount, demoOwner, providersPerDemoOwner } from "@nelo/adapters/seeds/demoCatalogue"
import { seedDemoCatalogue } from "@nelo/domain/catalogue/seedDemoCatalogue"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { UpsertOutcome } from "@nelo/domain/geo/ZoneRepository"
import { runCommand } from "../runCommand.ts"

const outcomeWords: Record<UpsertOutcome, string> = { created: "créée", updated: "mise à jour", unchanged: "inchangée" }

/** 12500 → "12 500", as numbers are written in French (an ordinary space, for any terminal). */
const grouped = (value: number) => String(value).replace(/\B(?=(?:\d{3})+$)/gu, " ")

/** A bad argument of `seed demo`: one French sentence, nothing done. */
class DemoArgumentInvalid extends Schema.TaggedError<DemoArgumentInvalid>()("DemoArgumentInvalid", { message: Schema.String }) {}

/** Digits only (no sign, decimals, exponent or hex), then an integer within the bounds. */
const WholeNumber = (bounds: { readonly minimum: number; readonly maximum: number }) =>
  Schema.String.pipe(
    Schema.check(Schema.isPattern(/^\d{1,10}$/u)),
    Schema.decodeTo(Schema.FiniteFromString.pipe(Schema.check(Schema.isInt(), Schema.isBetween(bounds))))
  )

const DemoArguments = Schema.Struct({
  providers: WholeNumber(demoLimits.providers),
  productsPerProvider: WholeNumber(demoLimits.productsPerProvider),
  seed: WholeNumber(demoLimits.seed)
})

const demoArgumentSentences: Record<keyof typeof DemoArguments.fields, (value: string) => string> = {
  providers: (value) => `--providers attend un nombre entier de fournisseurs entre 1 et ${grouped(demoLimits.providers.maximum)}, pas « ${value} ».`,
  productsPerProvider: (value) => `--products-per-provider attend un nombre entier de produits entre 0 et ${demoLimits.productsPerProvider.maximum}, pas « ${value} ».`,
  seed: (value) => `--seed attend un nombre entier entre 0 et ${grouped(demoLimits.seed.maximum)}, pas « ${value} ».`
}

/** The options as commander passes them (strings), decoded; a bad one is named in French. */
const decodeDemoArguments = (options: { readonly providers: string; readonly productsPerProvider: string; readonly seed: string }) =>
  Effect.gen(function*() {
    for (const key of ["providers", "productsPerProvider", "seed"] as const) {
      if (Schema.decodeUnknownOption(DemoArguments.fields[key])(options[key])._tag === "None") {
        return yield* new DemoArgumentInvalid({ message: demoArgumentSentences[key](options[key]) })
      }
    }
    return Schema.decodeUnknownSync(DemoArguments)(options)
  })

const DemoLayer = Layer.mergeAll(CatalogueImportPostgres, ZoneRepositoryPostgres, UserRepositoryPostgres, IdGeneratorUuidV7, AuthCryptoNode).pipe(
  Layer.provide(PostgresLayer)
)

const seconds = (ms: number) => (ms / 1000).toFixed(1).replace(".", ",")

export const registerSeedCommands = (program: Command) => {
  const seed = program.command("seed").description("Données de départ.")

  seed.command("tiassale")
    .description("Écrit la ville de Tiassalé et ses zones de livraison (quartiers, N'Douci, Morokro, Gbolouville, Taabo, Pacobo). Idempotent : relancer ne change rien. Les polygones sont approximatifs.")
    .action(() =>
      runCommand(Effect.gen(function*() {
        const total = tiassale.zones.length
        const summary = yield* seedCity(tiassale, (zone, outcome, index) =>
          Console.log(`[${index + 1}/${total}] ${zone.name} : ${outcomeWords[outcome]}`))
        yield* Console.log(
          `${tiassale.name} : ville ${outcomeWords[summary.city]}; zones : ${summary.zones.created} créée(s), ` +
            `${summary.zones.updated} mise(s) à jour, ${summary.zones.unchanged} inchangée(s).`
        )
        yield* Console.log("Attention : les polygones des zones sont approximatifs, à vérifier et redessiner sur le terrain.")
      }).pipe(Effect.provide(ZoneRepositoryPostgres), Effect.provide(PostgresLayer))))

  seed.command("demo")
    .description(
      "Écrit un catalogue de démonstration autour de Tiassalé : maquis, garbadromes, allocos, restaurants, boutiques, " +
        "superettes et dépôts de gaz (60/25/15 %), avec menus, horaires et bouteilles aux prix réglementés, et leurs comptes " +
        `propriétaires (un pour ${providersPerDemoOwner} fournisseurs, numéros +225 07 00 xx xx xx). Écrit d'abord les zones de Tiassalé ` +
        "(comme « seed tiassale »). Idempotent pour une graine : relancer n'ajoute que ce qui manque ; une autre --seed donne d'autres fournisseurs."
    )
    .option("--providers <nombre>", `nombre de fournisseurs, de 1 à ${grouped(demoLimits.providers.maximum)}`, "1000")
    .option("--products-per-provider <nombre>", "produits par restaurant ou épicerie, de 0 à 200 (les dépôts de gaz ont leurs 4 à 10 bouteilles)", "20")
    .option("--seed <nombre>", "graine du jeu de données (même graine, mêmes fournisseurs)", "1")
    .action((options: { providers: string; productsPerProvider: string; seed: string }) =>
      runCommand(Effect.gen(function*() {
        // Arguments first: a bad one stops here, before any connection to the database.
        const args = yield* decodeDemoArguments(options)
        yield* Effect.gen(function*() {
          const started = yield* Clock.currentTimeMillis
          const zones = yield* seedCity(tiassale)
          yield* Console.log(
            `Zones de ${tiassale.name} : ${zones.zones.created} créée(s), ${zones.zones.updated} mise(s) à jour, ${zones.zones.unchanged} déjà en place.`
          )
          const owners = demoOwnerCount(args.providers)
          const ownerPhones = owners === 1 ? demoOwner(args.seed, 0).phone : `${demoOwner(args.seed, 0).phone} à ${demoOwner(args.seed, owners - 1).phone}`
          yield* Console.log(
            `Graine ${args.seed} : ${grouped(args.providers)} fournisseur(s), ${args.productsPerProvider} produit(s) par restaurant ou épicerie, ` +
              `${grouped(owners)} compte(s) propriétaire(s) (${ownerPhones}).`
          )
          const summary = yield* seedDemoCatalogue(demoCatalogue, args, (progress) =>
            Console.log(
              `Fournisseurs : ${grouped(progress.done)} / ${grouped(progress.total)} (${grouped(progress.created)} créés, ` +
                `${grouped(progress.skipped)} déjà là ; ${grouped(progress.products)} produits, ${grouped(progress.gasProducts)} lignes de gaz)`
            ))
          const elapsed = (yield* Clock.currentTimeMillis) - started
          yield* Console.log(
            `Terminé en ${seconds(elapsed)} s : ${grouped(summary.providersCreated)} fournisseurs créés, ${grouped(summary.providersSkipped)} déjà présents ; ` +
              `${grouped(summary.categoriesCreated)} catégories, ${grouped(summary.productsCreated)} produits et ${grouped(summary.gasProductsCreated)} lignes de gaz (marque et taille) écrits ; ` +
              `comptes propriétaires : ${summary.owners.created} créé(s), ${summary.owners.existing} existant(s).`
          )
          yield* Console.log(
            `La base compte maintenant ${grouped(summary.counts.providers)} fournisseurs, ${grouped(summary.counts.categories)} catégories, ` +
              `${grouped(summary.counts.products)} produits et ${grouped(summary.counts.gasProducts)} lignes de gaz.`
          )
        }).pipe(
          // The store's error carries the database's: describeCliFailure words it (unreachable, missing database, ...).
          Effect.catchTag("CatalogueStoreUnavailable", (error) => Effect.fail(error.cause)),
          Effect.provide(DemoLayer)
        )
      })))
}
