#!/usr/bin/env node
import { Command } from "commander"
import { registerCashCommands } from "./commands/cashCommands.ts"
import { registerDbCommands } from "./commands/dbCommands.ts"
import { registerDeliveriesCommands } from "./commands/deliveriesCommands.ts"
import { registerDriversCommands } from "./commands/driversCommands.ts"
import { registerEarningsCommands } from "./commands/earningsCommands.ts"
import { registerPayoutsCommands } from "./commands/payoutsCommands.ts"
import { registerKycCommands } from "./commands/kycCommands.ts"
import { registerLedgerCommands } from "./commands/ledgerCommands.ts"
import { registerOrdersCommands } from "./commands/ordersCommands.ts"
import { registerPromotionsCommands } from "./commands/promotionsCommands.ts"
import { registerSeedCommands } from "./commands/seedCommands.ts"
import { registerUsersCommands } from "./commands/usersCommands.ts"
import { registerWalletCommands } from "./commands/walletCommands.ts"

const program = new Command("nelo-admin")
  .description("Outil d'administration de NELO (base de données, données de départ). Lit DATABASE_URL et les autres variables de .env.example.")
  .showHelpAfterError("(lancez « nelo-admin --help » pour l'aide)")
  .configureOutput({ outputError: (text, write) => write(`nelo-admin: ${text.replace(/^error: /u, "")}`) })

registerDbCommands(program)
registerSeedCommands(program)
registerUsersCommands(program)
registerKycCommands(program)
registerWalletCommands(program)
registerOrdersCommands(program)
registerPromotionsCommands(program)
registerDriversCommands(program)
registerDeliveriesCommands(program)
registerEarningsCommands(program)
registerPayoutsCommands(program)
registerCashCommands(program)
registerLedgerCommands(program)

await program.parseAsync(process.argv)
