import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { expectProblem } from "../../support/authClient.ts"
import { answered, problemOf } from "../../support/neloClient.ts"
import {
  balanceOf,
  cinetpayIpn,
  cinetpayPath,
  creditsOfIntent,
  deliver,
  fundedPerson,
  intentRow,
  newKey,
  personWithPin,
  postRaw,
  startWaveTopup,
  type Testbed,
  waitForBalance,
  waitForProcessed,
  webhookProcessed,
  walletTestbed,
  waveCompletedWebhook,
  wavePath
} from "../../support/walletClient.ts"

// The wallet's journeys over HTTP, against the real routes, Postgres and Redis, with Wave and
// CinetPay faked on local ports: a top-up is credited only once the gateway confirms it (webhook,
// then the gateway's API), once; a transfer moves exactly the amount, once, and both people see it.

/** One API and one pair of fake gateways for the file: each test makes its own people. */
class Bed extends Context.Service<Bed, Testbed>()("test/walletJourneys/Bed") {}
const BedLayer = Layer.effect(Bed, walletTestbed())

layer(Layer.mergeAll(PostgresLayer, BedLayer), { excludeTestServices: true, timeout: "60 seconds" })("wallet journeys over HTTP", (it) => {
  it.effect("top-up with Wave: checkout opened, nothing credited until Wave confirms, then credited once and shown completed", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)

      const started = yield* answered(aya.topup({ amount: 5_000, method: "wave", idempotencyKey: newKey() }))
      assert.strictEqual(started.status, 201, JSON.stringify(started.body))
      assert.strictEqual(started.body.method, "wave")
      assert.strictEqual(started.body.status, "pending")
      assert.strictEqual(started.body.amountXof, 5_000)
      assert.strictEqual(started.body.currency, "XOF")
      const session = bed.wave.sessionOf(started.body.id)
      assert.strictEqual(started.body.paymentUrl, session.wave_launch_url, "the app is sent to Wave's own checkout page")
      assert.strictEqual(session.amount, "5000")
      assert.strictEqual(session.restrict_payer_mobile, aya.e164, "only the person's own Wave account can pay it")
      assert.deepStrictEqual(bed.wave.problems, [])

      // Nothing paid yet: nothing credited, the top-up waits in the history.
      assert.strictEqual(yield* balanceOf(aya), 0)
      const pending = yield* answered(aya.history())
      assert.strictEqual(pending.status, 200, JSON.stringify(pending.body))
      assert.lengthOf(pending.body.items, 1)
      assert.deepInclude(pending.body.items[0], { id: started.body.id, type: "topup", amountXof: 5_000, status: "pending", counterparty: null })

      // A webhook before the payer paid: answered, confirmed with Wave, still nothing.
      const early = waveCompletedWebhook(bed, started.body.id)
      assert.strictEqual((yield* deliver(bed, wavePath, early)).status, 200)
      yield* waitForProcessed("wave", early.eventId)
      assert.strictEqual(yield* balanceOf(aya), 0)
      assert.strictEqual(yield* creditsOfIntent(started.body.id), 0)

      bed.wave.pay(started.body.id)
      const paid = waveCompletedWebhook(bed, started.body.id)
      const delivered = yield* deliver(bed, wavePath, paid)
      assert.strictEqual(delivered.status, 200, JSON.stringify(delivered.body))
      assert.deepStrictEqual(delivered.body, { received: true, duplicate: false })

      const credited = yield* waitForBalance(aya, 5_000)
      assert.strictEqual(credited.status, "active")
      yield* waitForProcessed("wave", paid.eventId)
      assert.strictEqual(yield* creditsOfIntent(started.body.id), 1)
      assert.strictEqual((yield* intentRow(started.body.id)).status, "succeeded")

      const done = yield* answered(aya.history())
      assert.lengthOf(done.body.items, 1, "the pending top-up became the credit: not listed twice")
      assert.deepInclude(done.body.items[0], { type: "topup", amountXof: 5_000, status: "completed", counterparty: null, reference: session.transaction_id })
      assert.isNull(done.body.nextCursor)

      // Delivered again (Wave retries until it gets a 2xx): a duplicate, nothing more.
      const again = yield* deliver(bed, wavePath, paid)
      assert.strictEqual(again.status, 200)
      assert.deepStrictEqual(again.body, { received: true, duplicate: true })
      // Another event about the same payment: processed, and still one credit.
      const other = waveCompletedWebhook(bed, started.body.id)
      assert.strictEqual((yield* deliver(bed, wavePath, other)).status, 200)
      yield* waitForProcessed("wave", other.eventId)
      assert.strictEqual(yield* balanceOf(aya), 5_000)
      assert.strictEqual(yield* creditsOfIntent(started.body.id), 1)
    }))

  it.effect("while top-ups are being credited, the history never shows one twice (pending and completed at once)", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      // Twenty people at once, each reading their history as fast as the app could while the
      // webhook is processed: a top-up is either pending or completed, never both.
      const seen = yield* Effect.all(Array.from({ length: 20 }, () =>
        Effect.gen(function*() {
          const person = yield* personWithPin(bed.api)
          const intent = yield* startWaveTopup(person, 1_000)
          bed.wave.pay(intent.id)
          const webhook = waveCompletedWebhook(bed, intent.id)
          assert.strictEqual((yield* deliver(bed, wavePath, webhook)).status, 200)
          const views: Array<string> = []
          for (let read = 0; read < 500; read++) {
            const history = yield* answered(person.history())
            const view = history.body.items.map((item: { id: string; status: string }) => `${item.id === intent.id ? "intent" : "credit"}:${item.status}`).join(" + ")
            if (views.at(-1) !== view) views.push(view)
            if (view === "credit:completed" && (yield* webhookProcessed("wave", webhook.eventId))) break
          }
          return views
        })), { concurrency: "unbounded" })
      const doubled = seen.filter((views) => views.some((view) => view.includes(" + ")))
      assert.deepStrictEqual(doubled, [], "histories that showed the same top-up twice")
      for (const views of seen) assert.strictEqual(views.at(-1), "credit:completed")
    }))

  it.effect("the same top-up key twice: the same checkout; with another amount: 409", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const key = newKey()
      const first = yield* answered(aya.topup({ amount: 2_000, method: "wave", idempotencyKey: key }))
      const second = yield* answered(aya.topup({ amount: 2_000, method: "wave", idempotencyKey: key }))
      assert.strictEqual(first.status, 201, JSON.stringify(first.body))
      assert.strictEqual(second.status, 201, JSON.stringify(second.body))
      assert.strictEqual(second.body.id, first.body.id)
      assert.strictEqual(second.body.paymentUrl, first.body.paymentUrl)
      assert.lengthOf([...bed.wave.sessions.values()].filter((session) => session.client_reference === first.body.id), 1)
      // The app retrying several times at once: still one top-up, one checkout.
      const racingKey = newKey()
      const racing = yield* Effect.all(Array.from({ length: 5 }, () => answered(aya.topup({ amount: 1_500, method: "wave", idempotencyKey: racingKey }))), { concurrency: "unbounded" })
      for (const response of racing) assert.strictEqual(response.status, 201, JSON.stringify(response.body))
      assert.lengthOf(new Set(racing.map((response) => response.body.id)), 1)
      assert.lengthOf(new Set(racing.map((response) => response.body.paymentUrl)), 1)
      assert.lengthOf([...bed.wave.sessions.values()].filter((session) => session.client_reference === racing[0]!.body.id), 1)
      assert.deepStrictEqual(bed.wave.problems, [])
      expectProblem(yield* problemOf(aya.topup({ amount: 3_000, method: "wave", idempotencyKey: key })), 409, "idempotency_key_reused")
      // Amounts the gateways cannot take: refused before any checkout.
      expectProblem(yield* problemOf(aya.topup({ amount: 50, method: "wave", idempotencyKey: newKey() })), 422, "topup_amount_invalid")
      expectProblem(yield* problemOf(aya.topup({ amount: 1_003, method: "wave", idempotencyKey: newKey() })), 422, "topup_amount_invalid")
      const history = yield* answered(aya.history())
      assert.lengthOf(history.body.items, 2, "the two top-ups opened, pending; nothing for the refused ones")
      assert.strictEqual(yield* balanceOf(aya), 0)
    }))

  it.effect("Wave down: the top-up opens at CinetPay; its signed IPN (a form) credits after the check with CinetPay", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const kofi = yield* personWithPin(bed.api)
      // The next answer of Wave is a 500 (Wave is shared by the file: one scripted failure, not an outage).
      bed.wave.answerNext(500, JSON.stringify({ error_code: "internal-server-error", message: "Internal server error" }))
      const started = yield* answered(kofi.topup({ amount: 3_500, method: "wave", idempotencyKey: newKey() }))
      assert.strictEqual(started.status, 201, JSON.stringify(started.body))
      assert.strictEqual(started.body.method, "cinetpay")
      assert.match(String(started.body.paymentUrl), /^https:\/\/checkout\.cinetpay\.com\/payment\/[0-9a-f]+$/u)
      const transaction = bed.cinetpay.transactionOf(started.body.id)
      assert.strictEqual(transaction.request.amount, 3_500)
      assert.strictEqual(transaction.request.notify_url, `https://api.nelo.test${cinetpayPath}`)
      assert.deepStrictEqual(bed.cinetpay.problems, [])
      assert.strictEqual((yield* intentRow(started.body.id)).gateway, "cinetpay")

      // CinetPay checks notify_url with a GET first.
      const probe = yield* postRaw(`${bed.api.url}${cinetpayPath}`, {}, "", "GET")
      assert.strictEqual(probe.status, 200)

      // An IPN before the payment: checked with CinetPay (still waiting), nothing credited.
      const early = cinetpayIpn(started.body.id, { cpm_amount: "3500" })
      assert.strictEqual((yield* deliver(bed, cinetpayPath, early)).status, 200)
      yield* waitForProcessed("cinetpay", early.eventId)
      assert.strictEqual(yield* balanceOf(kofi), 0)

      bed.cinetpay.pay(started.body.id)
      const ipn = cinetpayIpn(started.body.id, { cpm_amount: "3500" })
      assert.strictEqual(ipn.headers["content-type"], "application/x-www-form-urlencoded")
      const delivered = yield* deliver(bed, cinetpayPath, ipn)
      assert.strictEqual(delivered.status, 200, JSON.stringify(delivered.body))
      yield* waitForBalance(kofi, 3_500)
      yield* waitForProcessed("cinetpay", ipn.eventId)
      assert.strictEqual(yield* creditsOfIntent(started.body.id), 1)
      const history = yield* answered(kofi.history())
      assert.lengthOf(history.body.items, 1)
      assert.deepInclude(history.body.items[0], { type: "topup", amountXof: 3_500, status: "completed" })
    }))

  it.effect("Wave's port closed: the top-up opens at CinetPay", () =>
    Effect.scoped(Effect.gen(function*() {
      // An API of its own, whose Wave is a port nobody listens on.
      const shared = yield* Bed
      const closed = yield* walletTestbed({ WAVE_BASE_URL: "http://127.0.0.1:9", CINETPAY_BASE_URL: shared.cinetpay.baseUrl })
      const bed = { ...closed, cinetpay: shared.cinetpay }
      const awa = yield* personWithPin(bed.api)
      const started = yield* answered(awa.topup({ amount: 1_000, method: "wave", idempotencyKey: newKey() }))
      assert.strictEqual(started.status, 201, JSON.stringify(started.body))
      assert.strictEqual(started.body.method, "cinetpay")
      bed.cinetpay.pay(started.body.id)
      assert.strictEqual((yield* deliver(bed, cinetpayPath, cinetpayIpn(started.body.id, { cpm_amount: "1000" }))).status, 200)
      yield* waitForBalance(awa, 1_000)
    })))

  it.effect("transfer: 201, both balances, both histories with the other side masked and the note, pages and type filter", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 10_000, "Aya Marie Kouassi")
      const kofi = yield* personWithPin(bed.api, "Kofi Yao")

      const sent = yield* answered(aya.send(kofi, 2_500, { note: "Pour le garba de midi" }))
      assert.strictEqual(sent.status, 201, JSON.stringify(sent.body))
      assert.strictEqual(sent.body.amountXof, 2_500)
      assert.strictEqual(sent.body.note, "Pour le garba de midi")
      const kofiMasked = `+225 ${kofi.phone.slice(0, 2)} •• •• ${kofi.phone.slice(6, 8)} ${kofi.phone.slice(8, 10)}`
      const ayaMasked = `+225 ${aya.phone.slice(0, 2)} •• •• ${aya.phone.slice(6, 8)} ${aya.phone.slice(8, 10)}`
      assert.deepStrictEqual(sent.body.receiver, { name: "Kofi Y.", phone: kofiMasked })

      const ayaWallet = yield* waitForBalance(aya, 7_500)
      assert.deepStrictEqual(ayaWallet.daily, { limitXof: 100_000, usedXof: 2_500, remainingXof: 97_500 })
      assert.deepStrictEqual(ayaWallet.monthly, { limitXof: 500_000, usedXof: 2_500, remainingXof: 497_500 })
      const kofiWallet = yield* waitForBalance(kofi, 2_500)
      assert.strictEqual(kofiWallet.daily.usedXof, 0, "money received is not money sent")

      const ayaHistory = yield* answered(aya.history())
      assert.strictEqual(ayaHistory.status, 200)
      assert.lengthOf(ayaHistory.body.items, 2)
      assert.deepInclude(ayaHistory.body.items[0], {
        id: sent.body.id, type: "transfer", amountXof: -2_500, status: "completed", note: "Pour le garba de midi",
        counterparty: { name: "Kofi Y.", phone: kofiMasked }
      })
      assert.deepInclude(ayaHistory.body.items[1], { type: "topup", amountXof: 10_000, status: "completed" })
      const kofiHistory = yield* answered(kofi.history())
      assert.lengthOf(kofiHistory.body.items, 1)
      assert.deepInclude(kofiHistory.body.items[0], {
        id: sent.body.id, type: "transfer", amountXof: 2_500, status: "completed", note: "Pour le garba de midi",
        counterparty: { name: "Aya K.", phone: ayaMasked }
      })
      // Neither full number nor full name anywhere in what the other sees.
      assert.notInclude(JSON.stringify(kofiHistory.body), aya.phone.slice(2))
      assert.notInclude(JSON.stringify(ayaHistory.body), kofi.phone.slice(2))
      assert.notInclude(JSON.stringify(kofiHistory.body), "Marie")

      // Three more transfers (the number typed as people type it), then the history in pages of two.
      const typed = [`+225 ${kofi.phone.match(/\d{2}/gu)!.join(" ")}`, kofi.phone.match(/\d{2}/gu)!.join(" "), `00225${kofi.phone}`]
      const more = []
      for (const [index, amount] of [100, 200, 300].entries()) {
        const response = yield* answered(aya.send({ phone: typed[index]! }, amount))
        assert.strictEqual(response.status, 201, JSON.stringify(response.body))
        more.push(response.body.id as string)
      }
      const all = yield* answered(aya.history({ limit: 50 }))
      assert.deepStrictEqual(all.body.items.map((item: { amountXof: number }) => item.amountXof), [-300, -200, -100, -2_500, 10_000], "newest first")
      const seen: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { status: number; body: { items: ReadonlyArray<{ id: string }>; nextCursor: string | null } } = yield* answered(aya.history(cursor === null ? { limit: 2 } : { limit: 2, cursor }))
        assert.strictEqual(page.status, 200, JSON.stringify(page.body))
        assert.isAtMost(page.body.items.length, 2)
        seen.push(...page.body.items.map((item) => item.id))
        cursor = page.body.nextCursor
        pages++
      } while (cursor !== null && pages < 10)
      assert.strictEqual(pages, 3)
      assert.deepStrictEqual(seen, all.body.items.map((item: { id: string }) => item.id), "every item once, in order, across the pages")

      const transfersOnly = yield* answered(aya.history({ type: "transfer" }))
      assert.deepStrictEqual(transfersOnly.body.items.map((item: { id: string }) => item.id), [...more].reverse().concat(sent.body.id))
      const topupsOnly = yield* answered(aya.history({ type: "topup" }))
      assert.lengthOf(topupsOnly.body.items, 1)
      assert.strictEqual(topupsOnly.body.items[0]!.type, "topup")
      const kofiTopups = yield* answered(kofi.history({ type: "topup" }))
      assert.lengthOf(kofiTopups.body.items, 0)

      yield* waitForBalance(aya, 10_000 - 2_500 - 600)
      yield* waitForBalance(kofi, 2_500 + 600)
    }))

  it.effect("the same transfer key twice, even at once: the same transfer, the money moved once; another body with it: 409", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 5_000)
      const kofi = yield* personWithPin(bed.api)
      const body = { toPhone: kofi.phone, amount: 1_200, pin: aya.pin, idempotencyKey: newKey() }
      const first = yield* answered(aya.transfer(body))
      const second = yield* answered(aya.transfer(body))
      assert.strictEqual(first.status, 201, JSON.stringify(first.body))
      assert.strictEqual(second.status, 201, JSON.stringify(second.body))
      assert.strictEqual(second.body.id, first.body.id)
      assert.strictEqual(second.body.at, first.body.at)

      const racingBody = { ...body, idempotencyKey: newKey() }
      const racing = yield* Effect.all(Array.from({ length: 5 }, () => answered(aya.transfer(racingBody))), { concurrency: "unbounded" })
      for (const response of racing) assert.strictEqual(response.status, 201, JSON.stringify(response.body))
      assert.lengthOf(new Set(racing.map((response) => response.body.id)), 1)

      yield* waitForBalance(aya, 5_000 - 2 * 1_200)
      yield* waitForBalance(kofi, 2 * 1_200)
      expectProblem(yield* problemOf(aya.transfer({ ...body, amount: 1_300 })), 409, "idempotency_key_reused")
      assert.strictEqual(yield* balanceOf(aya), 5_000 - 2 * 1_200)
      const history = yield* answered(aya.history({ type: "transfer" }))
      assert.lengthOf(history.body.items, 2)
      // A key is the sender's own: Kofi may use the one Aya used.
      const back = yield* answered(kofi.send(aya, 100, { idempotencyKey: body.idempotencyKey }))
      assert.strictEqual(back.status, 201, JSON.stringify(back.body))
      assert.notStrictEqual(back.body.id, first.body.id)
      yield* waitForBalance(aya, 5_000 - 2 * 1_200 + 100)

      // A retry after the money is gone (the answer was lost, the app sends again): still the
      // first transfer's 201, not "insufficient funds" for a transfer that did happen.
      const all = { toPhone: kofi.phone, amount: 5_000 - 2 * 1_200 + 100, pin: aya.pin, idempotencyKey: newKey() }
      const emptied = yield* answered(aya.transfer(all))
      assert.strictEqual(emptied.status, 201, JSON.stringify(emptied.body))
      const retried = yield* answered(aya.transfer(all))
      assert.strictEqual(retried.status, 201, JSON.stringify(retried.body))
      assert.strictEqual(retried.body.id, emptied.body.id)
      yield* waitForBalance(aya, 0)
      yield* waitForBalance(kofi, 5_000)
    }))
})
