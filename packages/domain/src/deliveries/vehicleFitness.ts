import type { DeliveryLoad, GasBottles } from "./DeliveryLoad.ts"
import type { Vehicle } from "./Vehicle.ts"

/** Past this many items an order is bulky: more bags than a motorbike's box or a bicycle's rack holds. */
const bulkyItemCount = 20
/** The only bottle a bicycle may carry: one B6, never two, never a bigger one. */
const bicycleBottleKg = 6
const bicycleBottles = 1
/** From this size (the B25 and B28) a bottle needs a motorbike or a tricycle: the issue rules out bicycles and cars. */
const largeBottleKg = 25
/** A motorbike's rack takes two bottles well; past that a tricycle's bed does better. */
const fewBottles = 2

/**
 * How well each vehicle serves a meal or grocery order in Tiassalé, whose quartiers are reached by
 * narrow lanes, many unpaved: the motorbike gets to every door and is what most drivers ride (1);
 * a tricycle is motorised but wide and slow in the lanes (0.7); a bicycle gets through but slowly,
 * and a meal should arrive warm (0.6); a car often stops short of the door and crawls through the
 * market streets (0.4). With the vehicle weighing 0.15 of the score, a car driver outranks an
 * otherwise equal motorbike rider only when closer by more than 30 % of the search radius
 * (0.15 × 0.6 = 0.30 × 0.3): near enough still wins, never by default.
 */
const streetFitness: Readonly<Record<Vehicle, number>> = { motorbike: 1, tricycle: 0.7, bicycle: 0.6, car: 0.4 }

/** A bulky order (more than `bulkyItemCount` items) turns the table: room counts more than the lanes. */
const bulkyFitness: Readonly<Record<Vehicle, number>> = { tricycle: 1, car: 0.8, motorbike: 0.7, bicycle: 0.3 }

/** Counts as matching reads them: a negative or missing count is none. */
const count = (value: number): number => value > 0 ? value : 0

/**
 * Gas bottles: undefined when there are none. The full bottles ride from the depot to the door, the
 * empties collected there ride back to the depot; at the door one is handed over for the other, so
 * the vehicle never holds both at once: what it must carry is the larger leg, max(full, empties),
 * not their sum (one B6 refill on a bicycle is one bottle each way). An empty is as big as a full
 * bottle, so empties count in the size rules too: an empty B28 needs a motorbike or a tricycle.
 */
const gasFitness = (vehicle: Vehicle, bottles: ReadonlyArray<GasBottles>): number | undefined => {
  const riding = bottles.filter((bottle) => count(bottle.quantity) + count(bottle.emptiesToCollect) > 0)
  if (riding.length === 0) return undefined
  const full = riding.reduce((sum, bottle) => sum + count(bottle.quantity), 0)
  const empties = riding.reduce((sum, bottle) => sum + count(bottle.emptiesToCollect), 0)
  const peak = Math.max(full, empties)
  const heaviestKg = Math.max(...riding.map((bottle) => bottle.sizeKg))
  // Written so that a size that is not a number is refused rather than waved through.
  const large = !(heaviestKg < largeBottleKg)
  switch (vehicle) {
    // One B6 rides a bicycle's rack, below the motorbike (slower, and balancing a bottle).
    case "bicycle":
      return heaviestKg <= bicycleBottleKg && peak <= bicycleBottles ? 0.5 : 0
    // No large bottle; small ones fit, better when there are many of them (the boot holds them).
    case "car":
      return large ? 0 : peak <= fewBottles ? 0.4 : 0.7
    case "motorbike":
      return peak <= fewBottles ? 1 : 0.6
    case "tricycle":
      return peak <= fewBottles ? 0.8 : 1
  }
}

/**
 * How fit a vehicle is for an order's load, in [0, 1]; 0: it may not carry it. Gas rules (the
 * issue's): a bicycle carries at most one B6; B25 and B28 bottles need a motorbike or a tricycle.
 * Any vehicle carries meals and groceries, the motorbike preferred (`streetFitness`). A load of both
 * items and bottles is as fit as its worse part.
 */
export const vehicleFitness = (vehicle: Vehicle, load: DeliveryLoad): number => {
  const items = load.itemCount > bulkyItemCount ? bulkyFitness[vehicle] : streetFitness[vehicle]
  const gas = gasFitness(vehicle, load.gasBottles)
  if (gas === undefined) return items
  return load.itemCount > 0 ? Math.min(items, gas) : gas
}
