import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { deliveryLoadOf, type DeliveryLoad } from "@nelo/domain/deliveries/DeliveryLoad"
import { vehicleFitness } from "@nelo/domain/deliveries/vehicleFitness"
import { load, vehicle, vehicles } from "./matchingArbitraries.ts"

const gas = (...bottles: ReadonlyArray<readonly [sizeKg: number, quantity: number, emptiesToCollect: number]>): DeliveryLoad => ({
  itemCount: 0,
  gasBottles: bottles.map(([sizeKg, quantity, emptiesToCollect]) => ({ sizeKg, quantity, emptiesToCollect }))
})
const meal = (itemCount: number): DeliveryLoad => ({ itemCount, gasBottles: [] })

const fitFor = (load: DeliveryLoad) => vehicles.filter((vehicle) => vehicleFitness(vehicle, load) > 0)

describe("vehicle fitness", () => {
  it("a bicycle carries one B6, new or refilled (one full out, one empty back), and nothing more", () => {
    assert.isAbove(vehicleFitness("bicycle", gas([6, 1, 0])), 0)
    assert.isAbove(vehicleFitness("bicycle", gas([6, 1, 1])), 0)
    assert.strictEqual(vehicleFitness("bicycle", gas([6, 2, 0])), 0)
    assert.strictEqual(vehicleFitness("bicycle", gas([6, 2, 2])), 0)
    // Two lines of one B6 each are two bottles.
    assert.strictEqual(vehicleFitness("bicycle", gas([6, 1, 0], [6, 1, 0])), 0)
    // Empties ride back: one full B6 and two empties is two bottles on the way back.
    assert.strictEqual(vehicleFitness("bicycle", gas([6, 1, 2])), 0)
    assert.strictEqual(vehicleFitness("bicycle", gas([6, 0, 2])), 0)
    // Any bigger bottle, full or empty: no.
    assert.strictEqual(vehicleFitness("bicycle", gas([12.5, 1, 0])), 0)
    assert.strictEqual(vehicleFitness("bicycle", gas([6, 1, 0], [12.5, 0, 1])), 0)
    // With a meal on top, still one B6.
    assert.isAbove(vehicleFitness("bicycle", { itemCount: 3, gasBottles: [{ sizeKg: 6, quantity: 1, emptiesToCollect: 1 }] }), 0)
  })

  it("B25 and B28 bottles need a motorbike or a tricycle, empties too", () => {
    for (const sizeKg of [25, 28]) {
      assert.deepStrictEqual(fitFor(gas([sizeKg, 1, 0])), ["motorbike", "tricycle"], `${sizeKg} kg`)
      assert.deepStrictEqual(fitFor(gas([sizeKg, 1, 1])), ["motorbike", "tricycle"], `${sizeKg} kg refill`)
      assert.deepStrictEqual(fitFor(gas([sizeKg, 0, 1])), ["motorbike", "tricycle"], `${sizeKg} kg empty`)
      assert.deepStrictEqual(fitFor(gas([6, 1, 0], [sizeKg, 1, 0])), ["motorbike", "tricycle"], `${sizeKg} kg with a B6`)
    }
    // Below 25 kg a car may carry bottles.
    for (const sizeKg of [12.5, 15, 17.5]) assert.deepStrictEqual(fitFor(gas([sizeKg, 2, 2])), ["motorbike", "tricycle", "car"], `${sizeKg} kg`)
  })

  it("a motorbike is best for one or two bottles, a tricycle for more", () => {
    assert.isAbove(vehicleFitness("motorbike", gas([12.5, 2, 2])), vehicleFitness("tricycle", gas([12.5, 2, 2])))
    assert.isAbove(vehicleFitness("tricycle", gas([12.5, 4, 4])), vehicleFitness("motorbike", gas([12.5, 4, 4])))
  })

  it("every vehicle carries meals and groceries, the motorbike preferred; a bulky order prefers room", () => {
    for (const itemCount of [0, 1, 5, 20, 21, 100]) assert.deepStrictEqual(fitFor(meal(itemCount)), vehicles, `${itemCount} items`)
    const small = meal(4)
    assert.strictEqual(vehicleFitness("motorbike", small), 1)
    for (const other of ["bicycle", "tricycle", "car"] as const) assert.isBelow(vehicleFitness(other, small), vehicleFitness("motorbike", small), other)
    assert.isBelow(vehicleFitness("car", small), vehicleFitness("bicycle", small))
    const bulky = meal(40)
    assert.strictEqual(vehicleFitness("tricycle", bulky), 1)
    assert.isAbove(vehicleFitness("car", bulky), vehicleFitness("motorbike", bulky))
    assert.isBelow(vehicleFitness("bicycle", bulky), vehicleFitness("bicycle", small))
  })

  it("property: fitness is in [0, 1]; gas rules aside, every vehicle can carry the load", () => {
    fc.assert(fc.property(vehicle, load, (vehicle, load) => {
      const fitness = vehicleFitness(vehicle, load)
      assert.isTrue(fitness >= 0 && fitness <= 1, `${fitness}`)
      const bottles = load.gasBottles.filter((bottle) => bottle.quantity + bottle.emptiesToCollect > 0)
      const full = bottles.reduce((sum, bottle) => sum + bottle.quantity, 0)
      const empties = bottles.reduce((sum, bottle) => sum + bottle.emptiesToCollect, 0)
      const large = bottles.some((bottle) => bottle.sizeKg >= 25)
      const bicycleMay = bottles.every((bottle) => bottle.sizeKg <= 6) && Math.max(full, empties) <= 1
      const refused = (vehicle === "bicycle" && !bicycleMay) || (vehicle === "car" && large)
      assert.strictEqual(fitness === 0, refused)
    }), { numRuns: 2_000 })
  })

  it("an order's lines make its load: product quantities summed, gas lines as bottles", () => {
    assert.deepStrictEqual(
      deliveryLoadOf([
        { kind: "product", quantity: 2 },
        { kind: "gas", bottleSizeKg: 6, quantity: 1, emptyBottlesToCollect: 1 },
        { kind: "product", quantity: 3 },
        { kind: "gas", bottleSizeKg: 28, quantity: 1, emptyBottlesToCollect: 0 }
      ]),
      { itemCount: 5, gasBottles: [{ sizeKg: 6, quantity: 1, emptiesToCollect: 1 }, { sizeKg: 28, quantity: 1, emptiesToCollect: 0 }] }
    )
  })
})
