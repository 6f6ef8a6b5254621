import { localDate } from "./calendarPeriods.ts"

/** The rate-limiter bucket counting a person's wrong PINs of one local day. */
export const wrongPinBucket = (userId: string, instantMs: number, timeZone: string) =>
  `wallet:pin-failures:${userId}:${localDate(instantMs, timeZone)}`
