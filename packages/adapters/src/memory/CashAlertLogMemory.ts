import { Effect, Layer } from "effect"
import { CashAlertLog } from "@nelo/domain/earnings/CashAlertLog"
import { recordUndo } from "./memoryTransaction.ts"

/** The days of the drivers' cash alert in memory, for unit tests; inside a memory transaction a claim is undone with it. */
export const CashAlertLogMemory = Layer.sync(CashAlertLog, () => {
  const days = new Map<string, { readonly at: Date; readonly drivers: number }>()
  return CashAlertLog.of({
    claimDay: (day, at, drivers) =>
      Effect.suspend(() => {
        if (days.has(day)) return Effect.succeed(false)
        days.set(day, { at: new Date(at.getTime()), drivers })
        return Effect.as(recordUndo(() => days.delete(day)), true)
      })
  })
})
