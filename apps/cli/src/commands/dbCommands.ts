import type { Command } from "commander"
import { Console, Effect } from "effect"
import { ensureDatabase } from "@nelo/adapters/postgres/ensureDatabase"
import { migrate, migrationStatus } from "@nelo/adapters/postgres/migrate"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { runCommand } from "../runCommand.ts"

export const registerDbCommands = (program: Command) => {
  const db = program.command("db").description("Base de données : migrations et état du schéma.")

  db.command("migrate")
    .description("Crée la base si elle n'existe pas, active PostGIS et applique les migrations en attente. Sans effet si tout est déjà appliqué; sûr à lancer depuis deux processus à la fois.")
    .action(() =>
      runCommand(Effect.gen(function*() {
        if (yield* ensureDatabase) yield* Console.log("Base de données créée.")
        const applied = yield* migrate.pipe(Effect.provide(PostgresLayer))
        if (applied.length === 0) return yield* Console.log("Migrations : rien à appliquer, le schéma est à jour.")
        for (const [id, name] of applied) yield* Console.log(`Migration appliquée : ${String(id).padStart(4, "0")}_${name}`)
        yield* Console.log(`Migrations : ${applied.length} appliquée(s).`)
      })))

  db.command("status")
    .description("Liste les migrations connues, avec la date d'application ou « en attente ».")
    .action(() =>
      runCommand(Effect.gen(function*() {
        const migrations = yield* migrationStatus.pipe(Effect.provide(PostgresLayer))
        for (const migration of migrations) {
          const state = migration.appliedAt ? `appliquée le ${migration.appliedAt.toISOString()}` : "en attente"
          yield* Console.log(`${String(migration.id).padStart(4, "0")}_${migration.name}  ${state}`)
        }
        const pending = migrations.filter((migration) => !migration.appliedAt).length
        yield* Console.log(pending === 0 ? "Le schéma est à jour." : `${pending} migration(s) en attente : lancez « nelo-admin db migrate ».`)
      })))
}
