import { randomInt, randomUUID } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PayoutAccountRepositoryPostgres } from "@nelo/adapters/postgres/PayoutAccountRepositoryPostgres"
import type { Payee } from "@nelo/domain/earnings/Payout"
import { PayoutAccountRepository } from "@nelo/domain/earnings/PayoutAccountRepository"
import type { Phone } from "@nelo/domain/shared/Phone"
import { xof } from "@nelo/domain/shared/Xof"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import { makeAuditLedger } from "@nelo/domain/wallet/auditLedger"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { anAdmin, assertRefused, stderrOf } from "../../support/cliResults.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { cli, type ProcessResult } from "../../support/runProcess.ts"

// `nelo-admin payouts ...` in the real process, against a database of this file's own. The payees'
// earnings are posted straight to the ledger (platform revenue → earnings, dated in the periods
// exported) and their payout numbers confirmed through the repository: the export pays each what
// its earnings held at the period's end, once per period; mark-paid and mark-failed close a batch.

const run = (args: ReadonlyArray<string>) => BedEnv.use((env) => Effect.promise(() => cli(args, env)))

/** No payout gateway, whatever the test process's environment holds. */
const noGateway = { WAVE_PAYOUT_API_KEY: undefined, WAVE_BASE_URL: undefined, CINETPAY_TRANSFER_PASSWORD: undefined, CINETPAY_API_KEY: undefined }
const runWithoutGateway = (args: ReadonlyArray<string>) => BedEnv.use((env) => Effect.promise(() => cli(args, { ...env, ...noGateway })))

const earningsAccountOf = (payee: Payee) => Ledger.use((ledger) => payee.kind === "provider" ? ledger.providerEarningsOf(payee.id) : ledger.driverEarningsOf(payee.id))
const balanceOf = (accountId: string) => Ledger.use((ledger) => Effect.map(ledger.stateOf(accountId), (state) => state.balanceXof))
const earningsOf = (payee: Payee) => Effect.flatMap(earningsAccountOf(payee), (account) => balanceOf(account.id))
const inFlight = Ledger.use((ledger) => Effect.flatMap(ledger.payoutsInFlight, (account) => balanceOf(account.id)))
const waveClearing = Ledger.use((ledger) => Effect.flatMap(ledger.clearingOf("wave"), (account) => balanceOf(account.id)))

/** Commission earned by a payee at `createdAt`: platform revenue → its earnings. */
const earn = (payee: Payee, amountXof: number, createdAt: string) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const earnings = yield* earningsAccountOf(payee)
    yield* ledger.post<never>({
      transaction: {
        id: randomUUID(),
        type: "commission",
        idempotencyKey: `test-payouts-cli-${randomUUID()}`,
        postings: [{ accountId: (yield* ledger.platformRevenue).id, amountXof: xof(0 - amountXof) }, { accountId: earnings.id, amountXof: xof(amountXof) }],
        cause: { kind: "system", id: "payouts-cli-test" },
        reversesId: null,
        note: null,
        reference: null,
        createdAt: new Date(createdAt)
      }
    }).pipe(Effect.orDie)
  })

let numbers = 0
/** A confirmed payout number (no hold), as the code's confirmation leaves it. */
const withNumber = (payee: Payee, holderName: string) =>
  Effect.gen(function*() {
    const accounts = yield* PayoutAccountRepository
    const mobile = `+22501${String(40_000_000 + randomInt(0, 1_000_000) * 10 + numbers++ % 10).padStart(8, "0")}` as Phone
    const at = new Date(Date.now() - 3 * 86_400_000)
    yield* accounts.setPending(payee, { mobile, holderName, at })
    assert.isTrue(yield* accounts.confirm(payee, { mobile, at, heldUntil: null, changedBy: "payouts-cli-test" }))
    return mobile
  })

const payeeOf = (kind: Payee["kind"]): Payee => ({ kind, id: randomUUID() })

interface CsvRow {
  readonly beneficiaire: string
  readonly type: string
  readonly telephone: string
  readonly montant_xof: string
  readonly reference: string
  readonly commandes: string
  readonly beneficiaire_id: string
  readonly statut: string
}

/** The CSV's rows (no field here holds a comma or a quote), by column name. */
const csvOf = (file: string) => {
  const text = readFileSync(file, "utf8")
  assert.isTrue(text.endsWith("\r\n"), "CRLF rows")
  const [header, ...lines] = text.split("\r\n").filter((line) => line !== "")
  const columns = header!.split(",")
  assert.deepStrictEqual(columns, ["beneficiaire", "type", "telephone", "montant_xof", "reference", "commandes", "beneficiaire_id", "statut"])
  return lines.map((line) => Object.fromEntries(line.split(",").map((field, index) => [columns[index]!, field])) as unknown as CsvRow)
}

/** An export's success: exit 0, nothing on stdout (the CSV is in the file), its one summary line on stderr. */
const exported = (result: ProcessResult, what: string) => {
  assert.strictEqual(result.code, 0, `${what}: ${result.stdout}${result.stderr}`)
  assert.strictEqual(result.stdout, "", what)
  const lines = stderrOf(result).filter((line) => !line.startsWith("\r[") && !line.startsWith("["))
  const said = lines.at(-1)!
  const batch = /^Lot ([0-9a-f-]{36}) /u.exec(said)
  assert.isNotNull(batch, `${what}: ${result.stderr}`)
  return { batchId: batch![1]!, said }
}

const okLines = (result: ProcessResult, what: string) => {
  assert.strictEqual(result.code, 0, `${what}: ${result.stdout}${result.stderr}`)
  assert.deepStrictEqual(stderrOf(result), [], what)
  return result.stdout.split("\n").filter((line) => line !== "")
}

const runsCount = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ runs: number; payouts: number }>`SELECT (SELECT count(*)::int FROM earnings.payout_runs) AS runs, (SELECT count(*)::int FROM earnings.payouts) AS payouts`
  return row!
})

const directory = mkdtempSync(join(tmpdir(), "nelo-payouts-cli-"))

layer(Layer.provideMerge(PayoutAccountRepositoryPostgres, domainBed("payouts_cli")), { excludeTestServices: true, timeout: "180 seconds" })("nelo-admin payouts", (it) => {
  it.effect("export writes what the ledger owed at the period's end, the same batch again; mark-paid empties in-flight, mark-failed gives the money back", () =>
    Effect.gen(function*() {
      const admin = yield* anAdmin
      const p1 = payeeOf("provider")
      const d1 = payeeOf("driver")
      const p2 = payeeOf("provider")
      const d2 = payeeOf("driver")
      const p3 = payeeOf("provider")
      const mobiles = {
        p1: yield* withNumber(p1, "Maquis Un"),
        d1: yield* withNumber(d1, "Yao Livreur"),
        p2: yield* withNumber(p2, "Boutique Deux"),
        p3: yield* withNumber(p3, "Maquis Trois")
      }
      // March 2025: P1 3,000 + 500, D1 1,200, P2 800 (under the 1,000 F minimum), D2 2,000 (no number).
      yield* earn(p1, 3_000, "2025-03-10T09:00:00.000Z")
      yield* earn(p1, 500, "2025-03-31T23:59:59.000Z")
      yield* earn(d1, 1_200, "2025-03-05T12:00:00.000Z")
      yield* earn(p2, 800, "2025-03-15T12:00:00.000Z")
      yield* earn(d2, 2_000, "2025-03-16T12:00:00.000Z")
      // After March: P1 700 (1 April 00:00, the next period's), P2 900; P3 5,000 in June (neither period's).
      yield* earn(p1, 700, "2025-04-01T00:00:00.000Z")
      yield* earn(p2, 900, "2025-04-05T12:00:00.000Z")
      yield* earn(p3, 5_000, "2025-06-01T12:00:00.000Z")
      const clearingBefore = yield* waveClearing
      assert.strictEqual(yield* inFlight, 0)

      const march = join(directory, "march.csv")
      const first = exported(yield* run(["payouts", "export", "--from", "2025-03-01", "--to", "2025-03-31", "--out", march, "--admin", admin.phone]), "the March export")
      assert.match(first.said, /^Lot [0-9a-f-]{36} \(2025-03-01 → 2025-03-31\) : 2 versement\(s\), .* au total ; 1 bénéficiaire\(s\) sans numéro de paiement confirmé/u)
      const rows = csvOf(march)
      const byPayee = new Map(rows.map((row) => [row.beneficiaire_id, row]))
      assert.deepStrictEqual([...byPayee.keys()].sort(), [p1.id, d1.id].sort())
      assert.deepStrictEqual(
        { ...byPayee.get(p1.id)!, reference: "" },
        { beneficiaire: "Maquis Un", type: "commerce", telephone: `'${mobiles.p1}`, montant_xof: "3500", reference: "", commandes: byPayee.get(p1.id)!.commandes, beneficiaire_id: p1.id, statut: "exported" }
      )
      assert.deepStrictEqual(
        { ...byPayee.get(d1.id)!, reference: "" },
        { beneficiaire: "Yao Livreur", type: "livreur", telephone: `'${mobiles.d1}`, montant_xof: "1200", reference: "", commandes: byPayee.get(d1.id)!.commandes, beneficiaire_id: d1.id, statut: "exported" }
      )
      // The rows are the ledger: what moved to payouts in flight, and what left each earnings account.
      const total = rows.reduce((sum, row) => sum + Number(row.montant_xof), 0)
      assert.strictEqual(total, 4_700)
      assert.strictEqual(yield* inFlight, total)
      assert.deepStrictEqual(
        [yield* earningsOf(p1), yield* earningsOf(d1), yield* earningsOf(p2), yield* earningsOf(d2), yield* earningsOf(p3)],
        [700, 0, 1_700, 2_000, 5_000]
      )

      // The same period again: the same batch, the same rows; nothing moves.
      const marchAgain = join(directory, "march-again.csv")
      const second = exported(yield* run(["payouts", "export", "--from", "2025-03-01", "--to", "2025-03-31", "--out", marchAgain, "--admin", admin.id]), "the March export again")
      assert.strictEqual(second.batchId, first.batchId)
      assert.match(second.said, /déjà exporté : le même lot/u)
      assert.deepStrictEqual(csvOf(marchAgain), rows)
      assert.strictEqual(yield* inFlight, total)

      // Paid by hand: in-flight is empty, the money went out through Wave's clearing.
      const paid = okLines(yield* run(["payouts", "mark-paid", first.batchId, "--reference", "WAVE-MANUEL-0325", "--admin", admin.phone]), "mark-paid")
      assert.lengthOf(paid, 1)
      assert.match(paid[0]!, /^2 versement\(s\) marqué\(s\) payé\(s\), 4.700 F CFA au total\. Les bénéficiaires sont prévenus par SMS\.$/u)
      assert.strictEqual(yield* inFlight, 0)
      assert.strictEqual((yield* waveClearing) - clearingBefore, total)
      const shown = okLines(yield* run(["payouts", "show", first.batchId, "--admin", admin.phone]), "show")
      assert.match(shown[0]!, new RegExp(`^Lot manuel 2025-03-01 → 2025-03-31 ${first.batchId}, .* : 2 versement\\(s\\)\\.$`, "u"))
      assert.isTrue(shown.slice(1).every((line) => line.trimStart().startsWith("paid")), shown.join("\n"))

      // April: P1's 700 F is under the minimum; P2 is owed 1,700 F. Not paid: back to P2's earnings.
      const april = join(directory, "april.csv")
      const aprilBatch = exported(yield* run(["payouts", "export", "--from", "2025-04-01", "--to", "2025-04-30", "--out", april, "--admin", admin.phone]), "the April export")
      assert.notStrictEqual(aprilBatch.batchId, first.batchId)
      assert.deepStrictEqual(csvOf(april).map((row) => [row.beneficiaire_id, row.montant_xof]), [[p2.id, "1700"]])
      assert.strictEqual(yield* inFlight, 1_700)
      assert.strictEqual(yield* earningsOf(p2), 0)
      const failed = okLines(yield* run(["payouts", "mark-failed", aprilBatch.batchId, "--reason", "numéro injoignable", "--admin", admin.phone]), "mark-failed")
      assert.lengthOf(failed, 1)
      assert.match(failed[0]!, /^1 versement\(s\) marqué\(s\) échoué\(s\) : 1.700 F CFA reviennent sur les gains\.$/u)
      assert.strictEqual(yield* inFlight, 0)
      assert.deepStrictEqual([yield* earningsOf(p1), yield* earningsOf(p2), yield* earningsOf(d2), yield* earningsOf(p3)], [700, 1_700, 2_000, 5_000])
      assert.strictEqual((yield* waveClearing) - clearingBefore, total)
      // A closed batch is not closed twice.
      assertRefused(yield* run(["payouts", "mark-paid", aprilBatch.batchId, "--admin", admin.phone]), /^nelo-admin: Tous les versements de ce lot sont déjà marqués payés ou échoués : il n'y a plus rien à marquer\.$/u, "mark-paid of a failed batch")
      assert.deepStrictEqual((yield* yield* makeAuditLedger).differences, [])
    }), 180_000)

  it.effect("refused, each in one French sentence, writing nothing: a bad date, --from after --to, a period not over, a bad or unknown batch, an --admin without the role, a run without gateway", () =>
    Effect.gen(function*() {
      const admin = yield* anAdmin
      const notAdmin = yield* (yield* makeCreateUser)({ phone: `+22505${String(randomInt(0, 100_000_000)).padStart(8, "0")}` as Phone, fullName: "Aya Kouassi", language: "fr", roles: ["client"], referredBy: null, passwordHash: null, createdAt: new Date() })
      const payee = payeeOf("provider")
      yield* withNumber(payee, "Maquis Refus")
      yield* earn(payee, 2_500, "2025-08-10T12:00:00.000Z")
      yield* earn(payee, 500, new Date().toISOString())
      const before = yield* runsCount
      const today = new Date().toISOString().slice(0, 10)
      const out = (name: string) => join(directory, `${name}.csv`)
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>, RegExp, string | null]> = [
        ["a day that does not exist", ["payouts", "export", "--from", "2025-02-30", "--to", "2025-03-10", "--out", out("bad-date"), "--admin", admin.phone], /^nelo-admin: --from attend un jour qui existe au format AAAA-MM-JJ \(heure d'Abidjan\), par exemple 2026-12-07, pas « 2025-02-30 »\.$/u, out("bad-date")],
        ["not a date", ["payouts", "export", "--from", "2025-08-01", "--to", "31/08/2025", "--out", out("bad-to"), "--admin", admin.phone], /^nelo-admin: --to attend un jour qui existe au format AAAA-MM-JJ .*pas « 31\/08\/2025 »\.$/u, out("bad-to")],
        ["--from after --to", ["payouts", "export", "--from", "2025-08-31", "--to", "2025-08-01", "--out", out("reversed"), "--admin", admin.phone], /^nelo-admin: La période commence après sa fin : donnez --from avant --to\.$/u, out("reversed")],
        ["a period not over", ["payouts", "export", "--from", today, "--to", today, "--out", out("today"), "--admin", admin.phone], /^nelo-admin: La période n'est pas terminée : un lot ne couvre que des jours passés \(jusqu'à hier au plus tard\), .*\.$/u, out("today")],
        ["a non-admin --admin", ["payouts", "export", "--from", "2025-08-01", "--to", "2025-08-31", "--out", out("not-admin"), "--admin", notAdmin.phone], /^nelo-admin: --admin : Aya Kouassi \(\+2250\d{9}, id [0-9a-f-]{36}\) n'a pas le rôle admin/u, out("not-admin")],
        ["a bad batch id", ["payouts", "mark-paid", "lot-42", "--reference", "X", "--admin", admin.phone], /^nelo-admin: Le lot attend l'identifiant \(UUID\) qu'a donné « nelo-admin payouts export », pas « lot-42 »\.$/u, null],
        ["a bad batch id to mark-failed", ["payouts", "mark-failed", "lot-42", "--reason", "X", "--admin", admin.phone], /^nelo-admin: Le lot attend l'identifiant \(UUID\) .*pas « lot-42 »\.$/u, null],
        ["an unknown batch", ["payouts", "mark-paid", randomUUID(), "--reference", "X", "--admin", admin.phone], /^nelo-admin: Aucun lot de versements n'a cet identifiant\.$/u, null],
        ["an unknown batch to mark-failed", ["payouts", "mark-failed", randomUUID(), "--reason", "X", "--admin", admin.phone], /^nelo-admin: Aucun lot de versements n'a cet identifiant\.$/u, null],
        ["a non-admin marking paid", ["payouts", "mark-paid", randomUUID(), "--admin", notAdmin.phone], /^nelo-admin: --admin : Aya Kouassi .*n'a pas le rôle admin/u, null]
      ]
      const [withoutGateway, ...results] = yield* Effect.all([runWithoutGateway(["payouts", "run", "--admin", admin.phone]), ...cases.map(([, args]) => run(args))], { concurrency: 4 })
      cases.forEach(([what, , sentence, file], index) => {
        assertRefused(results[index]!, sentence, what)
        if (file !== null) assert.isFalse(existsSync(file), `${what}: no file written`)
      })
      assertRefused(
        withoutGateway!,
        /^nelo-admin: Aucune passerelle de versement n'est configurée \(WAVE_PAYOUT_API_KEY, CINETPAY_TRANSFER_PASSWORD\) : exportez un lot avec « nelo-admin payouts export » et payez-le à la main\.$/u,
        "a run without gateway"
      )
      assert.deepStrictEqual(yield* runsCount, before, "no run nor payout written")
      assert.strictEqual(yield* earningsOf(payee), 3_000)
    }), 180_000)
})
