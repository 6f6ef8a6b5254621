import type { Command } from "commander"
import { Console, Effect } from "effect"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { UpsertOutcome } from "@nelo/domain/geo/ZoneRepository"
import { runCommand } from "../runCommand.ts"

const outcomeWords: Record<UpsertOutcome, string> = { created: "créée", updated: "mise à jour", unchanged: "inchangée" }

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
}
