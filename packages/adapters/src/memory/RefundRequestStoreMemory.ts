import { Effect, Layer, Option } from "effect"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import { type RefundRequest, RefundRequestStore } from "@nelo/domain/earnings/RefundRequestStore"
import { recordUndo } from "./memoryTransaction.ts"

const copyOf = (request: RefundRequest): RefundRequest => ({ ...request, refunded: { ...request.refunded, createdAt: new Date(request.refunded.createdAt.getTime()) } })

/** The admin refunds by idempotency key in memory, behaving as the Postgres adapter does (a key taken twice fails). */
export const RefundRequestStoreMemory = Layer.sync(RefundRequestStore, () => {
  const requests = new Map<string, RefundRequest>()
  return RefundRequestStore.of({
    find: (idempotencyKey) => Effect.sync(() => Option.map(Option.fromNullishOr(requests.get(idempotencyKey)), copyOf)),
    record: (request) =>
      Effect.suspend(() => {
        if (requests.has(request.idempotencyKey)) return Effect.fail(new EarningsUnavailable({ cause: new Error(`refund request ${request.idempotencyKey} recorded twice`) }))
        requests.set(request.idempotencyKey, copyOf(request))
        return recordUndo(() => requests.delete(request.idempotencyKey))
      })
  })
})
