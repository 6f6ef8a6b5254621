import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Stream } from "effect"
import { isPostedFor, type SettlementRecord, SettlementRecordStore, sumRecords } from "@nelo/domain/earnings/SettlementRecord"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { basisPoints, xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { makeTransaction, nextId } from "../../wallet/contracts/ledgerContract.ts"

const at = (date: number, hour = 12) => new Date(Date.UTC(2026, 9, date, hour))

/** A settlement's ledger transaction (the record names it: Postgres checks it exists) and its record. */
const settled = (overrides: Partial<SettlementRecord> & { readonly settledAt: Date }) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const transaction = makeTransaction("commission", [
      { accountId: (yield* ledger.clearingOf("wave")).id, amountXof: xof(-100) },
      { accountId: (yield* ledger.platformRevenue).id, amountXof: xof(100) }
    ], { createdAt: overrides.settledAt })
    yield* ledger.post({ transaction })
    const record: SettlementRecord = {
      orderId: nextId(),
      reference: `ORD-${nextId().slice(-8).toUpperCase()}`,
      providerId: nextId(),
      driverId: nextId(),
      transactionId: transaction.id,
      subtotalXof: xof(4_000),
      deliveryFeeXof: xof(500),
      discountXof: xof(400),
      discountFundedBy: "provider",
      providerBasisPoints: basisPoints(1_500),
      driverBasisPoints: basisPoints(1_000),
      providerCommissionXof: xof(600),
      driverCommissionXof: xof(50),
      providerRefundsXof: xof(0),
      driverRefundsXof: xof(0),
      platformRefundsXof: xof(0),
      providerNetXof: xof(3_000),
      driverNetXof: xof(450),
      platformNetXof: xof(650),
      ...overrides
    }
    yield* (yield* SettlementRecordStore).record(record)
    return record
  })

/** One suite, run against every SettlementRecordStore adapter; each test names parties of its own (the store may be shared). */
export const settlementRecordStoreContract = (name: string, storeLayer: Layer.Layer<SettlementRecordStore | Ledger | Transactional, unknown>) =>
  layer(storeLayer, { excludeTestServices: true })(`SettlementRecordStore contract: ${name}`, (it) => {
    it.effect("a record is read back by its transaction, whole; a second record of the same order is ignored; unknown ids are absent", () =>
      Effect.gen(function*() {
        const store = yield* SettlementRecordStore
        const record = yield* settled({ settledAt: at(3), discountFundedBy: null, discountXof: xof(0), platformRefundsXof: xof(200) })
        const found = yield* store.byTransactionIds([record.transactionId, nextId(), "not-a-uuid"])
        assert.deepStrictEqual([...found.keys()], [record.transactionId])
        assert.deepStrictEqual(found.get(record.transactionId), record)
        const other = yield* settled({ settledAt: at(4) })
        yield* store.record({ ...other, orderId: record.orderId, transactionId: other.transactionId, providerNetXof: xof(1) }).pipe(Effect.ignore)
        assert.deepStrictEqual((yield* store.byTransactionIds([record.transactionId])).get(record.transactionId), record, "the first record stays")
        assert.strictEqual((yield* store.byTransactionIds([])).size, 0)
      }))

    it.effect("sumsOf: a party's records of [from, to) whose share was posted, summed by column", () =>
      Effect.gen(function*() {
        const store = yield* SettlementRecordStore
        const providerId = nextId()
        const driverId = nextId()
        const records = [
          yield* settled({ settledAt: at(1, 0), providerId, driverId }),
          yield* settled({ settledAt: at(1, 23), providerId, driverId: nextId(), discountFundedBy: "platform", providerRefundsXof: xof(300), providerNetXof: xof(2_700) }),
          // Nothing posted to the provider (his share was 0): not on his statement; the driver's is.
          yield* settled({ settledAt: at(2), providerId, driverId, providerNetXof: xof(0) }),
          yield* settled({ settledAt: at(3), providerId, driverId }) // after the period
        ]
        const provider = { kind: "provider" as const, id: providerId }
        const driver = { kind: "driver" as const, id: driverId }
        const inPeriod = (record: SettlementRecord) => record.settledAt >= at(1, 0) && record.settledAt < at(3, 0)
        const providerSums = yield* store.sumsOf(provider, at(1, 0), at(3, 0))
        assert.deepStrictEqual(providerSums, sumRecords(records.filter((record) => inPeriod(record) && isPostedFor(record, provider))))
        assert.deepStrictEqual([providerSums.count, providerSums.providerFundedDiscountXof, providerSums.platformFundedDiscountXof, providerSums.providerNetXof], [2, 400, 400, 5_700])
        const driverSums = yield* store.sumsOf(driver, at(1, 0), at(3, 0))
        assert.deepStrictEqual([driverSums.count, driverSums.deliveryFeeXof, driverSums.driverNetXof], [2, 1_000, 900])
        assert.deepStrictEqual((yield* store.sumsOf({ kind: "provider", id: nextId() }, at(1, 0), at(3, 0))).count, 0)
        assert.deepStrictEqual((yield* store.sumsOf({ kind: "driver", id: "not-a-uuid" }, at(1, 0), at(3, 0))).count, 0)
      }))

    it.effect("between: a period's records in settledAt order, streamed", () =>
      Effect.gen(function*() {
        const store = yield* SettlementRecordStore
        const providerId = nextId()
        const later = yield* settled({ settledAt: at(20, 15), providerId })
        const earlier = yield* settled({ settledAt: at(20, 9), providerId })
        yield* settled({ settledAt: at(21, 0), providerId })
        const read = (yield* Stream.runCollect(store.between(at(20, 0), at(21, 0)))).filter((record) => record.providerId === providerId)
        assert.deepStrictEqual(read.map((record) => record.orderId), [earlier.orderId, later.orderId])
      }))

    it.effect("a record written in a Transactional run that fails is not kept", () =>
      Effect.gen(function*() {
        const store = yield* SettlementRecordStore
        const transactional = yield* Transactional
        const failed = (yield* Effect.flip(transactional.run(Effect.andThen(settled({ settledAt: at(25) }), (record) => Effect.fail(record))))) as SettlementRecord
        assert.strictEqual((yield* store.byTransactionIds([failed.transactionId])).size, 0)
      }))
  })
