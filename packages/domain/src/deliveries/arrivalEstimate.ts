import { haversineMeters } from "../geo/haversineMeters.ts"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import type { DispatchPolicyNumbers } from "./DispatchPolicy.ts"

/**
 * When the driver should reach the customer, from where he is: straight-line legs (to the pickup
 * first while he has not picked the order up, then to the door) times the road factor, at the
 * average speed. A rough figure by design: Tiassalé has no routing data worth the name, and the
 * customer wants "about 10 minutes", not a route.
 */
export const arrivalEstimate = (
  input: { readonly driverAt: GeoPoint; readonly pickup: GeoPoint; readonly destination: GeoPoint; readonly pickedUp: boolean; readonly nowMs: number },
  policy: Pick<DispatchPolicyNumbers, "roadFactor" | "averageSpeedKmh">
): Date => {
  const straightM = input.pickedUp
    ? haversineMeters(input.driverAt, input.destination)
    : haversineMeters(input.driverAt, input.pickup) + haversineMeters(input.pickup, input.destination)
  const metersPerMs = (policy.averageSpeedKmh * 1_000) / 3_600_000
  return new Date(input.nowMs + Math.round((straightM * policy.roadFactor) / metersPerMs))
}

/** A phone as a customer sees his driver's: the country and operator prefix and the last two digits. */
export const maskedPhone = (phone: string) => phone.length <= 8 ? "••••" : `${phone.slice(0, 6)}${"•".repeat(phone.length - 8)}${phone.slice(-2)}`
