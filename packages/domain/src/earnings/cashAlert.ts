import { francs } from "../shared/francs.ts"
import type { Phone } from "../shared/Phone.ts"

const dayMs = 86_400_000
const hourMs = 3_600_000

/** The Abidjan date (YYYY-MM-DD) of an instant: Abidjan is UTC all year. */
export const abidjanDay = (instantMs: number): string => new Date(instantMs).toISOString().slice(0, 10)

/**
 * The first time of day `atMinutes` (after midnight, Abidjan) strictly after `nowMs`: when the
 * daily job next runs.
 */
export const nextDailyRun = (nowMs: number, atMinutes: number): number => {
  const today = Math.floor(nowMs / dayMs) * dayMs + atMinutes * 60_000
  return today > nowMs ? today : today + dayMs
}

/** Whether today's time of the daily job has come (a worker starting after it catches up). */
export const dailyRunDue = (nowMs: number, atMinutes: number): boolean => nowMs - Math.floor(nowMs / dayMs) * dayMs >= atMinutes * 60_000

/** "3 j" past two days, "50 h" before: how long cash has been held, as an admin reads it. */
export const ageWords = (ageMs: number): string => ageMs >= 2 * dayMs ? `${Math.floor(ageMs / dayMs)} j` : `${Math.floor(ageMs / hourMs)} h`

/** A driver of the alert: over the cap, or holding cash for too long (or both). */
export interface OverdueDriver {
  readonly fullName: string
  readonly phone: Phone | null
  readonly cashHeldXof: number
  readonly ageMs: number | null
  readonly overCap: boolean
}

/**
 * The one SMS of the daily alert: each driver on a line (name, phone, cash, since when, the cap
 * when reached), as many as fit in `maximumLength` characters, then how many more there are.
 */
export const overdueAlertBody = (drivers: ReadonlyArray<OverdueDriver>, maximumLength = 640): string => {
  const head = `NELO espèces : ${drivers.length} livreur(s) à relancer.`
  const lines = drivers.map((driver) =>
    `${driver.fullName}${driver.phone === null ? "" : ` ${driver.phone}`} : ${francs(driver.cashHeldXof)}` +
    `${driver.ageMs === null ? "" : ` depuis ${ageWords(driver.ageMs)}`}${driver.overCap ? ", plafond atteint" : ""}.`
  )
  let body = head
  for (let index = 0; index < lines.length; index++) {
    const rest = lines.length - index - 1
    const tail = rest > 0 ? ` Et ${rest} autre(s) : nelo-admin cash report.` : ""
    const next = `${body} ${lines[index]}`
    if (next.length + tail.length > maximumLength) {
      const more = lines.length - index
      return `${body} Et ${more} autre(s) : nelo-admin cash report.`.slice(0, maximumLength)
    }
    body = next
  }
  return body
}
