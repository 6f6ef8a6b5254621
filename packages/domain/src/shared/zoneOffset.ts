// Wall-clock arithmetic needs the zone's offset from UTC at an instant. Asking Intl each time costs
// ~5 µs, and a nearby page or a transfer asks several times: offsets are memoized per zone and
// quarter hour (every offset change in the tz database falls on a quarter hour). The memo only ever
// holds what Intl answered for the same question, so the functions using it stay pure.
const quarterHourMs = 15 * 60_000
const offsetMemo = new Map<string, Map<number, number>>()
const formatters = new Map<string, Intl.DateTimeFormat>()
const maximumMemoEntries = 50_000

const formatterOf = (timeZone: string) => {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The zone's offset from UTC at this instant, in ms (Abidjan: 0; Paris in summer: +7,200,000). */
export const zoneOffsetMs = (timeZone: string, instantMs: number): number => {
  const bucket = Math.floor(instantMs / quarterHourMs)
  let memo = offsetMemo.get(timeZone)
  if (memo === undefined) {
    memo = new Map()
    offsetMemo.set(timeZone, memo)
  }
  const memoized = memo.get(bucket)
  if (memoized !== undefined) return memoized
  const at = bucket * quarterHourMs
  const parts: Record<string, number> = {}
  for (const part of formatterOf(timeZone).formatToParts(at)) if (part.type !== "literal") parts[part.type] = Number(part.value)
  const offset = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - at
  if (memo.size >= maximumMemoEntries) memo.clear()
  memo.set(bucket, offset)
  return offset
}

