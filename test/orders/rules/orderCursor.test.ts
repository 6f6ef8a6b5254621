import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import fc from "fast-check"
import { OrderCursorInvalid } from "@nelo/domain/orders/errors"
import { orderCursor, promotionCursor } from "@nelo/domain/orders/orderCursor"

const base64Url = (text: string) => Buffer.from(text, "utf8").toString("base64url")

describe("orderCursor", () => {
  it.effect("round trip: the id put in is the id read back, through a URL-safe string", () =>
    Effect.gen(function*() {
      const id = "0192f3a4-5b6c-7d8e-9f00-112233445566"
      const cursor = orderCursor.encode(id)
      assert.match(cursor, /^[A-Za-z0-9_-]+$/u)
      assert.strictEqual(yield* orderCursor.decode(cursor), id)
    }))

  it("property: any order id comes back unchanged", async () => {
    await fc.assert(fc.asyncProperty(fc.uuid(), async (id) => {
      const cursor = orderCursor.encode(id)
      assert.match(cursor, /^[A-Za-z0-9_-]*$/u)
      assert.strictEqual(await Effect.runPromise(orderCursor.decode(cursor)), id)
    }), { numRuns: 300 })
  })

  it.effect("garbage is refused with OrderCursorInvalid", () =>
    Effect.gen(function*() {
      const garbage = [
        "",
        "%%%",
        "not a cursor",
        base64Url("not json"),
        base64Url("{\"kind\":\"products\",\"beforeId\":\"x\"}"),
        base64Url("{\"kind\":\"orders\"}"),
        base64Url("{\"kind\":\"orders\",\"beforeId\":5}"),
        base64Url("[\"orders\",\"x\"]"),
        `${orderCursor.encode("0192f3a4-5b6c-7d8e-9f00-112233445566")}!`,
        // Our kind, but its position not an order id: forged.
        base64Url("{\"kind\":\"orders\",\"beforeId\":\"' OR 1=1 --\"}"),
        // Another list's cursor.
        promotionCursor.encode("0192f3a4-5b6c-7d8e-9f00-112233445566")
      ]
      for (const cursor of garbage) {
        const error = yield* Effect.flip(orderCursor.decode(cursor))
        assert.instanceOf(error, OrderCursorInvalid, `cursor ${JSON.stringify(cursor)}`)
        assert.strictEqual(error._tag, "OrderCursorInvalid")
      }
    }))
})
