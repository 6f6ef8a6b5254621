import { Effect, Layer, Stream } from "effect"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import { isPostedFor, type SettlementRecord, SettlementRecordStore, sumRecords } from "@nelo/domain/earnings/SettlementRecord"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/**
 * The settlements' records in memory, for unit tests, behaving as the Postgres adapter does
 * (malformed ids refused on write, a second record of an order ignored); inside a memory
 * transaction each write records how to undo it.
 */
export const SettlementRecordStoreMemory = Layer.sync(SettlementRecordStore, () => {
  const byOrder = new Map<string, SettlementRecord>()
  const byTransaction = new Map<string, SettlementRecord>()
  const bySettledAt = () => [...byOrder.values()].sort((left, right) => left.settledAt.getTime() - right.settledAt.getTime() || (left.orderId < right.orderId ? -1 : 1))

  return SettlementRecordStore.of({
    record: (record) =>
      Effect.gen(function*() {
        for (const id of [record.orderId, record.providerId, record.driverId, record.transactionId]) {
          if (!isUuid(id)) return yield* new EarningsUnavailable({ cause: new Error(`${id} is not a uuid`) })
        }
        const stored: SettlementRecord = { ...record, orderId: record.orderId.toLowerCase(), providerId: record.providerId.toLowerCase(), driverId: record.driverId.toLowerCase(), transactionId: record.transactionId.toLowerCase(), settledAt: new Date(record.settledAt.getTime()) }
        if (byOrder.has(stored.orderId)) return
        if (byTransaction.has(stored.transactionId)) return yield* new EarningsUnavailable({ cause: new Error(`transaction ${stored.transactionId} already has a record`) })
        byOrder.set(stored.orderId, stored)
        byTransaction.set(stored.transactionId, stored)
        yield* recordUndo(() => {
          byOrder.delete(stored.orderId)
          byTransaction.delete(stored.transactionId)
        })
      }),

    byTransactionIds: (ids) =>
      Effect.sync(() => {
        const found = new Map<string, SettlementRecord>()
        for (const id of ids) {
          const record = byTransaction.get(id.toLowerCase())
          if (record !== undefined) found.set(id, record)
        }
        return found
      }),

    sumsOf: (party, from, to) =>
      Effect.sync(() => {
        const id = isUuid(party.id) ? party.id.toLowerCase() : ""
        return sumRecords([...byOrder.values()].filter((record) => record.settledAt >= from && record.settledAt < to && isPostedFor(record, { kind: party.kind, id })))
      }),

    between: (from, to) => Stream.fromIterableEffect(Effect.sync(() => bySettledAt().filter((record) => record.settledAt >= from && record.settledAt < to)))
  })
})
