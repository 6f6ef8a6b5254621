import { Schema } from "effect"

/**
 * What a driver rides. Most of NELO's drivers in Tiassalé ride motorbikes; bicycles and tricycles
 * (the cargo kind) are common too; a few drive cars. Which loads each may carry: `vehicleFitness`.
 */
export const Vehicle = Schema.Literals(["motorbike", "bicycle", "tricycle", "car"])
export type Vehicle = typeof Vehicle.Type
