import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option, References } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { Earnings, settlementKey } from "@nelo/domain/earnings/Earnings"
import type { NewDomainEvent } from "@nelo/domain/events/DomainEvent"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { makeAuditLedger } from "@nelo/domain/wallet/auditLedger"
import { WorkerLayer } from "../../../apps/worker/src/WorkerLayer.ts"
import { captureLogs, eventually } from "../../support/captureLogs.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { withEnv } from "../../support/withEnv.ts"
import { onlineDriver } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { balances, confirmedAt, deliver } from "../earningsFixtures.ts"

// Once for real: orders delivered through the domain on Postgres and Redis (dispatch, the driver's
// steps); the worker's layer then relays their `order.delivered` events to the settlements queue and
// settles each order in the ledger. The same event relayed once more (a copy under a new id, as a
// relay run twice would publish it) finds the order settled: one transaction per order.

const settlementsIn = (sql: SqlClient.SqlClient) => (orderId: string) =>
  sql<{ id: string }>`SELECT id FROM wallet.transactions WHERE idempotency_key = ${settlementKey(orderId)}`

/** The `order.delivered` event the handover wrote to the outbox, as a new event with its own id. */
const deliveredEventAgain = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ type: string; aggregateType: string; aggregateId: string; payload: unknown; occurredAt: Date | string }>`
      SELECT type, aggregate_type, aggregate_id, payload, occurred_at FROM events.outbox
      WHERE aggregate_type = 'order' AND aggregate_id = ${orderId} AND type = 'order.delivered'`
    assert.lengthOf(rows, 1, `the order.delivered event of ${orderId}`)
    const row = rows[0]!
    return {
      id: yield* (yield* IdGenerator).uuid,
      type: row.type,
      aggregateType: row.aggregateType,
      aggregateId: row.aggregateId,
      payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
      occurredAt: new Date(row.occurredAt).toISOString()
    } as unknown as NewDomainEvent
  })

layer(domainBed("settlement_worker", { OUTBOX_POLL_INTERVAL_MS: "50", JOB_BACKOFF_MS: "100" }), { excludeTestServices: true, timeout: "90 seconds" })("settlement through the worker", (it) => {
  it.effect("orders delivered (wallet and cash) are settled by the worker from their order.delivered events, each once, even relayed twice", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const settlementsOf = settlementsIn(yield* SqlClient.SqlClient)
      const driver = yield* onlineDriver(300)
      const place = yield* restaurant()
      const wallet = yield* deliver(yield* confirmedAt(place, { garbas: 2, large: true }), driver)
      const cash = yield* deliver(yield* confirmedAt(place, { garbas: 2, large: true, paymentMethod: "cash" }), driver)
      assert.lengthOf(yield* settlementsOf(wallet.id), 0, "nothing settles before the worker runs")

      const env = yield* BedEnv
      const logs = captureLogs()
      // Its info lines too: the test reads the consumer's outcome of the replayed event.
      yield* Layer.build(WorkerLayer.pipe(
        Layer.provide(Layer.fresh(PostgresLayer)),
        Layer.provide(withEnv(env)),
        Layer.provide(logs.layer),
        Layer.provide(Layer.succeed(References.MinimumLogLevel, "Info"))
      ))
      for (const order of [wallet, cash]) {
        yield* eventually(Effect.map(settlementsOf(order.id), (rows) => rows.length > 0 ? rows : undefined), 20_000, `the settlement of ${order.reference} by the worker`)
      }
      // Two orders of 4,500 F: 3,400 F to the provider, 450 F to the driver, 650 F to the platform each.
      const after = yield* balances(place.provider.id, driver.userId)
      assert.deepStrictEqual(after, { escrow: 0, provider: 6_800, driver: 900, cashInHand: -4_500, platform: 1_300 })

      // The wallet order's event once more: the worker finds it settled, and writes nothing.
      yield* (yield* OutboxStore).append([yield* deliveredEventAgain(wallet.id)])
      yield* eventually(
        () => logs.lines.find((line) => line.message === "settlement done" && line.annotations.orderId === wallet.id && line.annotations.outcome === "already_settled"),
        20_000,
        "the replayed event's settlement found done"
      )
      for (const order of [wallet, cash]) assert.lengthOf(yield* settlementsOf(order.id), 1, `one settlement of ${order.reference}`)
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), after)
      assert.strictEqual(yield* (yield* Earnings).settle(wallet.id), "already_settled")
      assert.deepStrictEqual((yield* yield* makeAuditLedger).differences, [])
      assert.isTrue(Option.isSome(yield* (yield* Ledger).findByKey(settlementKey(cash.id))))
    }))
})
