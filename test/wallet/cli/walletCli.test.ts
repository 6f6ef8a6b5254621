import { hostname, userInfo } from "node:os"
import { randomInt } from "node:crypto"
import { assert, describe, it, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { Phone } from "@nelo/domain/shared/Phone"
import { makeNewReferralCode } from "@nelo/domain/users/newReferralCode"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { fundWallet } from "../../support/fundWallet.ts"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { cli, type ProcessResult } from "../../support/runProcess.ts"
import { withEnv } from "../../support/withEnv.ts"


// The wallet commands in the real process, against the run's database; the audit of a corrupted
// ledger against a database of its own.

const ledgerLayer = LedgerPostgres.pipe(Layer.provideMerge(OutboxStorePostgres))
const testLayer = Layer.mergeAll(ledgerLayer, UserRepositoryPostgres, AuthCryptoNode, IdGeneratorUuidV7).pipe(Layer.provideMerge(PostgresLayer))

/** An Orange number nobody else in the run uses, as people type it: "07 12 34 56 78". */
const randomTypedPhone = () => {
  const digits = `07${String(randomInt(0, 100_000_000)).padStart(8, "0")}`
  return digits.replace(/(\d{2})(?=\d)/gu, "$1 ")
}

/** A client account, created as sign-up does (no password, a referral code). */
const clientAccount = (fullName: string) =>
  Effect.gen(function*() {
    const typedPhone = randomTypedPhone()
    const user = yield* (yield* UserRepository).create({
      id: (yield* (yield* IdGenerator).uuid) as UserId,
      phone: `+225${typedPhone.replace(/\s/gu, "")}` as Phone,
      fullName,
      language: "fr",
      roles: ["client"],
      referralCode: yield* yield* makeNewReferralCode,
      referredBy: null,
      passwordHash: null,
      createdAt: new Date()
    })
    return { ...user, typedPhone }
  })

// Each spawned CLI takes about a second, several when the machine is busy: a test running a dozen
// of them gets well beyond the default 30 seconds.
const processHeavyTimeoutMs = 120_000

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => Effect.promise(() => cli(["wallet", ...args], env))

/** A refusal: exit 1, nothing on stdout, one sentence on stderr. */
const assertRefused = (result: ProcessResult, sentence: RegExp, what: string) => {
  assert.strictEqual(result.code, 1, `${what}: ${result.stdout}${result.stderr}`)
  assert.strictEqual(result.stdout, "", what)
  assert.strictEqual(result.stderr.trim().split("\n").length, 1, `${what}: ${result.stderr}`)
  assert.match(result.stderr.trim(), sentence, what)
}

/** The admin, made as an operator makes one: `users create-admin`. */
const adminAccount = Effect.gen(function*() {
  const typedPhone = randomTypedPhone()
  const created = yield* Effect.promise(() => cli(["users", "create-admin", "--phone", typedPhone, "--name", "Adjoua Admin"]))
  assert.strictEqual(created.code, 0, created.stderr)
  const id = /id ([0-9a-f-]{36})/u.exec(created.stdout)?.[1]
  assert.isDefined(id, created.stdout)
  return { id: id!, typedPhone }
})

layer(testLayer, { excludeTestServices: true, timeout: "120 seconds" })("nelo-admin wallet", (it) => {
  it.effect("show prints the balance, status, limits and last transactions, by phone or by id", () =>
    Effect.gen(function*() {
      const aya = yield* clientAccount("Aya Koné")
      yield* fundWallet(aya.id, 12_500)

      const byPhone = yield* run(["show", aya.typedPhone])
      assert.strictEqual(byPhone.code, 0, byPhone.stderr)
      assert.match(byPhone.stdout, new RegExp(`^Aya Koné \\(\\${aya.phone}, id ${aya.id}\\)$`, "mu"))
      assert.match(byPhone.stdout, /^Solde : 12 500 F CFA$/mu)
      assert.match(byPhone.stdout, /^Statut : actif$/mu)
      assert.match(byPhone.stdout, /^Envoyé aujourd'hui : 0 F CFA sur 100 000 F CFA \(reste 100 000 F CFA\)$/mu)
      assert.match(byPhone.stdout, /^Envoyé ce mois-ci : 0 F CFA sur 500 000 F CFA \(reste 500 000 F CFA\)$/mu)
      assert.match(byPhone.stdout, /^Dernières transactions \(1\) :$/mu)
      assert.match(byPhone.stdout, /^ {2}\d{4}-\d{2}-\d{2}T[\d:.]+Z {2}recharge {2}\+12 500 F CFA {2}effectuée$/mu)

      const byId = yield* run(["show", aya.id])
      assert.strictEqual(byId.code, 0, byId.stderr)
      assert.strictEqual(byId.stdout, byPhone.stdout)

      // A person who never topped up has an empty, active wallet, not an error.
      const awa = yield* clientAccount("Awa Traoré")
      const empty = yield* run(["show", awa.typedPhone])
      assert.strictEqual(empty.code, 0, empty.stderr)
      assert.match(empty.stdout, /^Solde : 0 F CFA$/mu)
      assert.match(empty.stdout, /^Aucune transaction\.$/mu)
    }), processHeavyTimeoutMs)

  it.effect("freeze, then show says frozen with the reason; freezing twice is refused; unfreeze; the history keeps the admin", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const koffi = yield* clientAccount("Koffi Yao")
      yield* fundWallet(koffi.id, 5_000)

      const frozen = yield* run(["freeze", koffi.typedPhone, "--reason", "  Opérations suspectes signalées par Wave  ", "--admin", admin.typedPhone])
      assert.strictEqual(frozen.code, 0, frozen.stderr)
      assert.match(frozen.stdout, /^Portefeuille de Koffi Yao \(.*\) gelé par Adjoua Admin : Opérations suspectes signalées par Wave$/mu)

      const shown = yield* run(["show", koffi.id])
      // The system account that ran the command is kept with the reason: the terminal proves nobody's identity.
      const systemAccount = `(nelo-admin, compte système ${userInfo().username}@${hostname()})`
      assert.include(shown.stdout, `Statut : gelé — motif : Opérations suspectes signalées par Wave ${systemAccount}\n`)
      assert.match(shown.stdout, /^Solde : 5 000 F CFA$/mu)

      assertRefused(
        yield* run(["freeze", koffi.typedPhone, "--reason", "encore", "--admin", admin.id]),
        /^nelo-admin: Ce portefeuille est déjà gelé : rien à faire\.$/u,
        "freezing twice"
      )

      const unfrozen = yield* run(["unfreeze", koffi.id, "--reason", "Vérifié avec le client par téléphone", "--admin", admin.id])
      assert.strictEqual(unfrozen.code, 0, unfrozen.stderr)
      assert.match(unfrozen.stdout, /dégelé par Adjoua Admin : Vérifié avec le client par téléphone$/mu)
      assert.match((yield* run(["show", koffi.typedPhone])).stdout, /^Statut : actif$/mu)
      assertRefused(
        yield* run(["unfreeze", koffi.id, "--reason", "encore", "--admin", admin.id]),
        /^nelo-admin: Ce portefeuille n'est pas gelé : rien à dégeler\.$/u,
        "unfreezing an active wallet"
      )

      const sql = yield* SqlClient.SqlClient
      const history = yield* sql<{ action: string; reason: string; byKind: string; byId: string }>`
        SELECT f.action, f.reason, f.by_kind, f.by_id FROM wallet.freezes f JOIN wallet.accounts a ON a.id = f.account_id
        WHERE a.owner_id = ${koffi.id} AND a.kind = 'customer_wallet' ORDER BY f.at`
      assert.deepStrictEqual(history, [
        { action: "freeze", reason: `Opérations suspectes signalées par Wave ${systemAccount}`, byKind: "admin", byId: admin.id },
        { action: "unfreeze", reason: `Vérifié avec le client par téléphone ${systemAccount}`, byKind: "admin", byId: admin.id }
      ])
    }), processHeavyTimeoutMs)

  it.effect("bad input: exit 1 and one French sentence, nothing frozen", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const fanta = yield* clientAccount("Fanta Diabaté")
      const other = yield* clientAccount("Seydou Bamba")
      const unknownPhone = randomTypedPhone()
      const refusals: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
        [["show", unknownPhone], /^nelo-admin: Aucun compte pour le numéro \+22507\d{8}\.$/u],
        [["show", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"], /^nelo-admin: Aucun compte n'a l'identifiant 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\.$/u],
        [["show", "0190a1b2-c3d4-7e5f-8a9b"], /^nelo-admin: « 0190a1b2-c3d4-7e5f-8a9b » n'est pas un identifiant de compte valide/u],
        [["show", "07 99"], /^nelo-admin: « 07 99 » n'est pas un numéro ivoirien : écrivez-le comme 07 01 02 03 04/u],
        [["show", "Fanta"], /^nelo-admin: Attendu le numéro de téléphone \(07 01 02 03 04\) ou l'identifiant \(UUID\) d'un compte, pas « Fanta »\.$/u],
        [["freeze", fanta.typedPhone, "--reason", "", "--admin", admin.id], /^nelo-admin: --reason : le motif est obligatoire, de 3 à 500 caractères/u],
        [["freeze", fanta.typedPhone, "--reason", "   ", "--admin", admin.id], /^nelo-admin: --reason : le motif est obligatoire/u],
        [["freeze", fanta.typedPhone, "--reason", "x".repeat(501), "--admin", admin.id], /^nelo-admin: --reason : le motif est obligatoire, de 3 à 500 caractères/u],
        [["freeze", unknownPhone, "--reason", "Fraude", "--admin", admin.id], /^nelo-admin: Aucun compte pour le numéro/u],
        [["freeze", fanta.typedPhone, "--reason", "Fraude", "--admin", other.typedPhone], /^nelo-admin: --admin : Seydou Bamba \(.*\) n'a pas le rôle admin/u],
        [["freeze", fanta.typedPhone, "--reason", "Fraude", "--admin", "pas-un-id"], /^nelo-admin: --admin : attendu le numéro/u],
      ]
      // Independent processes: three at a time.
      yield* Effect.forEach(refusals, ([args, sentence]) => Effect.map(run(args), (result) => assertRefused(result, sentence, args.join(" "))), { concurrency: 3 })

      // A missing option is commander's refusal, worded as every command's: the sentence, then where the help is.
      for (const [args, option] of [[["freeze", fanta.typedPhone, "--reason", "Fraude"], "--admin <user>"], [["unfreeze", fanta.typedPhone, "--admin", admin.id], "--reason <reason>"]] as const) {
        const result = yield* run(args)
        assert.strictEqual(result.code, 1, args.join(" "))
        assert.strictEqual(result.stderr.split("\n")[0], `nelo-admin: required option '${option}' not specified`)
      }

      const sql = yield* SqlClient.SqlClient
      const [freezes] = yield* sql<{ count: number }>`
        SELECT count(*)::int AS count FROM wallet.freezes f JOIN wallet.accounts a ON a.id = f.account_id WHERE a.owner_id = ${fanta.id}`
      assert.strictEqual(freezes!.count, 0)
    }), processHeavyTimeoutMs)
})

// Outside the suite above on purpose: layers built inside it (isolatedDatabase's migration
// included) would reuse its memoised pool, connected to the shared database.
describe("nelo-admin wallet audit", () => {
  it.live("audit exits 0 on a consistent ledger, and 1 naming the account whose balance was corrupted", () =>
    Effect.scoped(Effect.gen(function*() {
      // A database of its own: the shared one must never hold a corrupted balance.
      const url = yield* isolatedDatabase("wallet_audit")
      const isolated = yield* Layer.build(Layer.mergeAll(ledgerLayer, IdGeneratorUuidV7).pipe(
        Layer.provideMerge(PostgresLayer), Layer.provide(withEnv({ DATABASE_URL: url }))
      ))
      const sql = Context.get(isolated, SqlClient.SqlClient)
      const [connected] = yield* sql<{ database: string }>`SELECT current_database() AS database`
      assert.strictEqual(connected!.database, new URL(url).pathname.slice(1), "never corrupt a database other than this test's")
      const wallet = yield* fundWallet("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", 3_000).pipe(Effect.provide(isolated))
      yield* fundWallet("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", 2_000).pipe(Effect.provide(isolated))

      const consistent = yield* run(["audit"], { DATABASE_URL: url })
      assert.strictEqual(consistent.code, 0, consistent.stderr)
      assert.strictEqual(consistent.stderr, "")
      assert.match(consistent.stdout, /^Comptes vérifiés : 3$/mu, "two wallets and Wave's clearing account")
      assert.match(consistent.stdout, /^Transactions vérifiées : 2$/mu)
      assert.match(consistent.stdout, /^Somme des soldes : 0 F CFA$/mu)
      assert.match(consistent.stdout, /^Aucune différence : le grand livre est cohérent\.$/mu)

      yield* sql`UPDATE wallet.accounts SET balance_xof = balance_xof + 1 WHERE id = ${wallet.id}`
      const corrupted = yield* run(["audit"], { DATABASE_URL: url })
      assert.strictEqual(corrupted.code, 1, corrupted.stdout)
      assert.match(corrupted.stdout, /^Somme des soldes : 1 F CFA$/mu)
      assert.include(corrupted.stderr, `solde différent de la somme de ses écritures : ${wallet.id}`)
      assert.include(corrupted.stderr, "les soldes ne s'annulent pas")
      assert.match(corrupted.stderr.trim().split("\n").at(-1)!, /^nelo-admin: 2 différence\(s\) dans le grand livre : voir ci-dessus\.$/u)
    })), processHeavyTimeoutMs)
})
