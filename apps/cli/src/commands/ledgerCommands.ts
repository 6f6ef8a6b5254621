import type { Command } from "commander"
import { Console, Effect, Layer, Schema } from "effect"
import { StatementsLive } from "@nelo/adapters/contexts/EarningsLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { Statements } from "@nelo/domain/earnings/Statements"
import type { AccountKind } from "@nelo/domain/wallet/Account"
import { runCommand } from "../runCommand.ts"

// The statements' reads on the real adapters: Postgres only.
const LedgerLayer = StatementsLive.pipe(Layer.provide(PostgresLayer))

/** A ledger command refused: one French sentence, which runCommand prints as is (its `message`). */
class LedgerCommandRefused extends Schema.TaggedError<LedgerCommandRefused>()("LedgerCommandRefused", { message: Schema.String }) {}

const refuse = (message: string) => Effect.fail(new LedgerCommandRefused({ message }))

const kindWords: Record<AccountKind, string> = {
  customer_wallet: "portefeuilles des clients",
  provider_earnings: "gains des commerces",
  driver_earnings: "gains des livreurs",
  driver_cash_in_hand: "espèces détenues par les livreurs",
  platform_revenue: "revenus de la plateforme",
  gateway_clearing: "comptes de passage des passerelles",
  orders_escrow: "séquestre des commandes",
  payouts_in_flight: "versements en cours",
  office_cash: "caisse du bureau"
}

/** 12500 → "12 500 F CFA" (an ordinary space, for any terminal), signed. */
const signedFrancs = (amountXof: number) => `${amountXof < 0 ? "-" : ""}${String(Math.abs(amountXof)).replace(/\B(?=(?:\d{3})+$)/gu, " ")} F CFA`

/** An instant with its zone (2026-12-07T12:00:00Z), as the API accepts it. */
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/u

const parseAt = (text: string | undefined) => {
  if (text === undefined) return Effect.succeed(undefined)
  const at = new Date(text)
  return instantPattern.test(text) && !Number.isNaN(at.getTime())
    ? Effect.succeed(at)
    : refuse(`--at : « ${text} » n'est pas une date et heure ISO 8601 avec fuseau (par exemple 2026-12-07T12:00:00Z).`)
}

export const registerLedgerCommands = (program: Command) => {
  const ledger = program.command("ledger").description("Grand livre : balance des comptes.")

  ledger.command("trial-balance")
    .description("La balance de chaque type de compte à un instant (maintenant par défaut) : la somme des écritures jusqu'à cet instant inclus. Le total doit être 0 ; code de sortie 1 sinon.")
    .option("--at <instant>", "l'instant de la balance, ISO 8601 avec fuseau (2026-12-07T12:00:00Z)")
    .action((options: { readonly at?: string }) =>
      runCommand(Effect.gen(function*() {
        const at = yield* parseAt(options.at)
        const balance = yield* (yield* Statements).trialBalance({ at })
        const width = Math.max(...balance.kinds.map((kind) => kindWords[kind.kind].length))
        yield* Console.log(`Balance du grand livre au ${balance.at.toISOString()} (heure d'Abidjan = UTC)`)
        for (const kind of balance.kinds) {
          yield* Console.log(`  ${kindWords[kind.kind].padEnd(width)}  ${signedFrancs(kind.balanceXof).padStart(22)}  (${kind.accounts} compte(s), ${kind.kind})`)
        }
        yield* Console.log(`  ${"total".padEnd(width)}  ${signedFrancs(balance.totalXof).padStart(22)}`)
        if (balance.totalXof !== 0) return yield* refuse(`La balance ne s'annule pas : le total est ${signedFrancs(balance.totalXof)} au lieu de 0 (lancez « nelo-admin wallet audit »).`)
        yield* Console.log("Le total est 0 : la balance est équilibrée.")
      }).pipe(Effect.mapError((error) => (error._tag === "LedgerUnavailable" ? error.cause : error)), Effect.provide(LedgerLayer))))
}
