import { Clock, Effect } from "effect"

/** Now, from the Clock service (so TestClock moves it), as the Date the stores record. */
export const currentDate = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))
