import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import type { ApiResponse } from "../../support/apiClient.ts"
import { client, expectProblem } from "../../support/authClient.ts"
import { answered } from "../../support/neloClient.ts"
import { adminOf, fundedPerson, moneyOf, newKey, personWithPin, type Testbed, walletTestbed } from "../../support/walletClient.ts"

// Every wallet endpoint with input, fed what a buggy app or a hostile caller would send. Each is a
// 400 problem+json (invalid_request, or malformed_json for a body that is not JSON), in French,
// naming the field; and after each batch, nobody's money, history, top-ups or freezes changed, and
// no checkout was opened at the gateways.

class Bed extends Context.Service<Bed, Testbed>()("test/walletHostileInput/Bed") {}
const BedLayer = Layer.effect(Bed, walletTestbed())

type Request = ReturnType<typeof client>["request"]

interface Refusal {
  readonly name: string
  readonly method: "GET" | "POST"
  readonly path: string
  readonly body?: unknown
  readonly rawBody?: string
  readonly code?: "invalid_request" | "malformed_json"
  /** The field as the problem's `errors` name it: ["body", "amount"], ["query", "limit"], ["path", "userId"]. */
  readonly field?: ReadonlyArray<string | number>
}

const expectRefusal = (response: ApiResponse, refusal: Refusal) => {
  const context = `${refusal.name} — ${refusal.method} ${refusal.path} ${refusal.rawBody ?? JSON.stringify(refusal.body) ?? ""} → ${response.status} ${JSON.stringify(response.body)}`
  assert.strictEqual(response.status, 400, context)
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json", context)
  assert.strictEqual(response.body.code, refusal.code ?? "invalid_request", context)
  assert.isString(response.body.message, context)
  // French, and saying what is wrong.
  assert.match(response.body.message, refusal.code === "malformed_json" ? /n'est pas un JSON valide/u : /^La requête est invalide/u, context)
  assert.isArray(response.body.errors, context)
  assert.isNotEmpty(response.body.errors, context)
  for (const error of response.body.errors) {
    assert.isArray(error.path, context)
    assert.isString(error.message, context)
    assert.notMatch(error.message, /^(Expected|Missing|Invalid)\b/u, `${context}: an English message`)
  }
  if (refusal.field !== undefined) {
    const paths = response.body.errors.map((error: { path: unknown }) => JSON.stringify(error.path))
    assert.include(paths, JSON.stringify(refusal.field), context)
    // The sentence names the field too, so the app can show it as is.
    if (refusal.field.length > 1) assert.include(response.body.message, `champ ${refusal.field.slice(1).join(".")}`, context)
  }
}

/**
 * Sends each refusal in turn, checks its answer, then that `observe` reads exactly what it read
 * before the first: a refusal that changed something is named.
 */
const refuseAll = <E, R>(request: Request, token: string, refusals: ReadonlyArray<Refusal>, observe: Effect.Effect<unknown, E, R>) =>
  Effect.gen(function*() {
    const before = yield* observe
    for (const refusal of refusals) {
      const response = yield* request(refusal.method, refusal.path, {
        token,
        ...(refusal.body === undefined ? {} : { body: refusal.body }),
        ...(refusal.rawBody === undefined ? {} : { rawBody: refusal.rawBody })
      })
      expectRefusal(response, refusal)
      assert.deepStrictEqual(yield* observe, before, `${refusal.name}: something changed`)
    }
  })

const invalid = (name: string, method: Refusal["method"], path: string, body: unknown, field?: ReadonlyArray<string | number>): Refusal => ({
  name,
  method,
  path,
  ...(body === undefined ? {} : { body }),
  ...(field === undefined ? {} : { field })
})

const malformed = (name: string, path: string, rawBody: string): Refusal => ({ name, method: "POST", path, rawBody, code: "malformed_json" })

/** Wrong amounts, each under `field`: floats, zero, negatives, huge, strings, nothing. */
const badAmounts = (name: string, path: string, valid: Record<string, unknown>): ReadonlyArray<Refusal> => [
  ...([
    ["a float", 1000.5],
    ["a tiny float", 0.01],
    ["zero", 0],
    ["negative", -1000],
    ["negative zero-ish", -0.5],
    ["above the ceiling", 100_000_001],
    ["huge", 1e20],
    ["beyond safe integers", Number.MAX_SAFE_INTEGER + 2],
    ["a string", "1000"],
    ["a string with currency", "1000 F"],
    ["null", null],
    ["a boolean", true],
    ["an array", [1000]],
    ["an object", { value: 1000 }]
  ] as const).map(([label, amount]) => invalid(`${name}: amount ${label}`, "POST", path, { ...valid, amount }, ["body", "amount"])),
  invalid(`${name}: amount missing`, "POST", path, Object.fromEntries(Object.entries(valid).filter(([key]) => key !== "amount")), ["body", "amount"]),
  { name: `${name}: amount 1e400 (Infinity once parsed)`, method: "POST", path, rawBody: JSON.stringify(valid).replace(/"amount":\d+/u, "\"amount\":1e400"), field: ["body", "amount"] },
  { name: `${name}: amount with 30 digits`, method: "POST", path, rawBody: JSON.stringify(valid).replace(/"amount":\d+/u, "\"amount\":123456789012345678901234567890"), field: ["body", "amount"] }
]

const badKeys = (name: string, path: string, valid: Record<string, unknown>): ReadonlyArray<Refusal> =>
  ([
    ["too short", "abc1234"],
    ["empty", ""],
    ["with spaces", "cle avec espaces 12"],
    ["with a newline", "0190a1b2\nc3d4e5f6"],
    ["accented", "clé-dépôt-2026"],
    ["too long", "k".repeat(101)],
    ["with a slash", "../../etc/passwd"],
    ["a number", 12345678],
    ["null", null]
  ] as const).map(([label, idempotencyKey]) => invalid(`${name}: idempotency key ${label}`, "POST", path, { ...valid, idempotencyKey }, ["body", "idempotencyKey"]))

/** Everyone's money and the gateways' checkouts, as they are now. */
const state = (bed: Testbed, userIds: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const money = yield* Effect.forEach(userIds, moneyOf)
    return { money, waveSessions: bed.wave.sessions.size, cinetpayTransactions: bed.cinetpay.transactions.size }
  })

layer(Layer.mergeAll(PostgresLayer, BedLayer), { excludeTestServices: true, timeout: "60 seconds" })("wallet: hostile input", (it) => {
  it.effect("history: bad type, cursor and limit are 400 naming the query field", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 1_000)
      const path = (query: string) => `/api/v1/wallet/transactions?${query}`
      yield* refuseAll(aya.request, aya.token, [
        invalid("type unknown", "GET", path("type=withdrawal"), undefined, ["query", "type"]),
        invalid("type upper case", "GET", path("type=TOPUP"), undefined, ["query", "type"]),
        invalid("type empty", "GET", path("type="), undefined, ["query", "type"]),
        invalid("cursor not a UUID", "GET", path("cursor=abc"), undefined, ["query", "cursor"]),
        invalid("cursor a number", "GET", path("cursor=12345"), undefined, ["query", "cursor"]),
        invalid("cursor SQL", "GET", path(`cursor=${encodeURIComponent("' OR 1=1 --")}`), undefined, ["query", "cursor"]),
        invalid("cursor empty", "GET", path("cursor="), undefined, ["query", "cursor"]),
        invalid("limit 0", "GET", path("limit=0"), undefined, ["query", "limit"]),
        invalid("limit 51", "GET", path("limit=51"), undefined, ["query", "limit"]),
        invalid("limit -1", "GET", path("limit=-1"), undefined, ["query", "limit"]),
        invalid("limit 1.5", "GET", path("limit=1.5"), undefined, ["query", "limit"]),
        invalid("limit a word", "GET", path("limit=ten"), undefined, ["query", "limit"]),
        invalid("limit huge", "GET", path("limit=99999999999999999999"), undefined, ["query", "limit"])
      ], state(bed, [aya.userId]))
      // The bounds themselves are fine.
      for (const query of [{ limit: 1 }, { limit: 50 }, { type: "transfer" as const }, { cursor: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" }]) {
        assert.strictEqual((yield* answered(aya.history(query))).status, 200, JSON.stringify(query))
      }
    }))

  it.effect("top-up: malformed, missing, mistyped, floats, zero, negative, huge, string amounts, unknown methods, bad keys: 400, no checkout", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 1_000)
      const before = yield* state(bed, [aya.userId])
      const path = "/api/v1/wallet/topup"
      const valid = { amount: 1_000, method: "wave" as const, idempotencyKey: newKey() }
      yield* refuseAll(aya.request, aya.token, [
        malformed("truncated JSON", path, `{"amount": 1000, "method": "wave",`),
        malformed("not JSON", path, "amount=1000&method=wave"),
        malformed("single quotes", path, `{'amount': 1000}`),
        invalid("empty object", "POST", path, {}),
        invalid("an array", "POST", path, [valid]),
        invalid("a string", "POST", path, "recharge"),
        invalid("null", "POST", path, null),
        ...badAmounts("top-up", path, valid),
        ...([["orange", "orange"], ["mtn", "mtn"], ["WAVE (case)", "WAVE"], ["empty", ""], ["a number", 1], ["null", null]] as const)
          .map(([label, method]) => invalid(`method ${label}`, "POST", path, { ...valid, method }, ["body", "method"])),
        invalid("method missing", "POST", path, { amount: 1_000, idempotencyKey: newKey() }, ["body", "method"]),
        invalid("key missing", "POST", path, { amount: 1_000, method: "wave" }, ["body", "idempotencyKey"]),
        ...badKeys("top-up", path, valid)
      ], state(bed, [aya.userId]))
      assert.deepStrictEqual(yield* state(bed, [aya.userId]), before)
      // The valid body itself works (so the refusals above were about what they changed).
      assert.strictEqual((yield* answered(aya.topup(valid))).status, 201)
    }))

  it.effect("transfer: malformed, missing, mistyped, bad amounts, PINs, keys, notes and phones: 400, nothing moves", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 5_000)
      const kofi = yield* personWithPin(bed.api)
      const before = yield* state(bed, [aya.userId, kofi.userId])
      const path = "/api/v1/wallet/transfer"
      const valid = { toPhone: kofi.phone, amount: 1_000, pin: aya.pin, idempotencyKey: newKey(), note: "Merci" }
      yield* refuseAll(aya.request, aya.token, [
        malformed("truncated JSON", path, `{"toPhone": "${kofi.phone}", "amount": 1000`),
        malformed("trailing comma", path, `{"toPhone": "${kofi.phone}", "amount": 1000,}`),
        { name: "empty body", method: "POST", path, rawBody: "", field: ["body"] },
        invalid("empty object", "POST", path, {}),
        invalid("an array", "POST", path, [valid]),
        invalid("toPhone missing", "POST", path, { ...valid, toPhone: undefined }, ["body", "toPhone"]),
        invalid("toPhone a number", "POST", path, { ...valid, toPhone: 712345678 }, ["body", "toPhone"]),
        invalid("toPhone too short", "POST", path, { ...valid, toPhone: "0712" }, ["body", "toPhone"]),
        invalid("toPhone too long", "POST", path, { ...valid, toPhone: "0".repeat(33) }, ["body", "toPhone"]),
        invalid("toPhone null", "POST", path, { ...valid, toPhone: null }, ["body", "toPhone"]),
        ...badAmounts("transfer", path, valid),
        ...([["3 digits", "123"], ["5 digits", "12345"], ["letters", "abcd"], ["digits and a letter", "12a4"], ["with a space", "12 4"], ["empty", ""],
          ["Arabic-Indic digits", "٤٨٢٦"], ["a number", 4826], ["null", null]] as const)
          .map(([label, pin]) => invalid(`PIN ${label}`, "POST", path, { ...valid, pin }, ["body", "pin"])),
        invalid("PIN missing", "POST", path, { ...valid, pin: undefined }, ["body", "pin"]),
        ...badKeys("transfer", path, valid),
        invalid("key missing", "POST", path, { ...valid, idempotencyKey: undefined }, ["body", "idempotencyKey"]),
        ...([["NUL", "merci\u0000"], ["bell", "merci\u0007"], ["escape sequence", "\u001b[31mmerci"], ["DEL", "merci\u007f"], ["141 characters", "é".repeat(141)],
          ["a number", 42], ["null", null]] as const)
          .map(([label, note]) => invalid(`note ${label}`, "POST", path, { ...valid, note }, ["body", "note"]))
      ], state(bed, [aya.userId, kofi.userId]))
      assert.deepStrictEqual(yield* state(bed, [aya.userId, kofi.userId]), before)
      // Nor did any of them count as a wrong PIN: the right one still works, and a note of 140
      // characters with a line break is fine.
      const sent = yield* answered(aya.transfer({ ...valid, note: `Merci\n${"é".repeat(134)}` }))
      assert.strictEqual(sent.status, 201, JSON.stringify(sent.body))
      assert.strictEqual((yield* moneyOf(aya.userId)).balanceXof, 4_000)
    }))

  it.effect("freeze and unfreeze: user id not a UUID, reason missing, too short, too long, with control characters: 400, nothing frozen", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 1_000)
      const admin = yield* adminOf(bed.api)
      const { request } = client(bed.api)
      const before = yield* state(bed, [aya.userId])
      const refusals: Array<Refusal> = []
      for (const action of ["freeze", "unfreeze"] as const) {
        const path = (userId: string) => `/api/v1/admin/wallets/${userId}/${action}`
        const valid = { reason: "Fraude suspectée par le support" }
        refusals.push(
          ...(["abc", "12345", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5", `${aya.userId}x`, "%27%20OR%201%3D1", "null"] as const)
            .map((userId) => invalid(`${action}: user id ${userId}`, "POST", path(userId), valid, ["path", "userId"])),
          malformed(`${action}: truncated JSON`, path(aya.userId), `{"reason": "Fraude`),
          invalid(`${action}: reason missing`, "POST", path(aya.userId), {}, ["body", "reason"]),
          invalid(`${action}: reason a number`, "POST", path(aya.userId), { reason: 42 }, ["body", "reason"]),
          invalid(`${action}: reason null`, "POST", path(aya.userId), { reason: null }, ["body", "reason"]),
          invalid(`${action}: reason too short`, "POST", path(aya.userId), { reason: "ok" }, ["body", "reason"]),
          invalid(`${action}: reason too long`, "POST", path(aya.userId), { reason: "a".repeat(501) }, ["body", "reason"]),
          invalid(`${action}: reason with NUL`, "POST", path(aya.userId), { reason: "Fraude\u0000suspectée" }, ["body", "reason"]),
          invalid(`${action}: reason with an escape sequence`, "POST", path(aya.userId), { reason: "\u001b[2JFraude" }, ["body", "reason"])
        )
      }
      yield* refuseAll(request, admin.token, refusals, state(bed, [aya.userId]))
      assert.deepStrictEqual(yield* state(bed, [aya.userId]), before)
      assert.strictEqual((yield* answered(aya.wallet())).body.status, "active")
    }))

  it.effect("a reason of blanks only is refused, and freezes nothing", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 1_000)
      const admin = yield* adminOf(bed.api)
      const { request } = client(bed.api)
      const response = yield* request("POST", `/api/v1/admin/wallets/${aya.userId}/freeze`, { token: admin.token, body: { reason: "      " } })
      expectProblem(response, 422, "reason_required")
      assert.strictEqual((yield* answered(aya.wallet())).body.status, "active")
      assert.isNull((yield* moneyOf(aya.userId)).frozenReason)
    }))
})
