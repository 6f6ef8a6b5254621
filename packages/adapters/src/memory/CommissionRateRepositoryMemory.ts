import { Effect, Layer, Option } from "effect"
import type { CommissionRate, RateParty } from "@nelo/domain/earnings/CommissionRate"
import { CommissionRateRepository } from "@nelo/domain/earnings/CommissionRateRepository"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/** What the uuid column holds for this text: lower case, or nothing for a malformed id. */
const uuidOf = (id: string) => isUuid(id) ? id.toLowerCase() : undefined

/** Rates in the order they take effect: effective date, then the order they were set in. */
const inEffectOrder = (left: { readonly rate: CommissionRate; readonly seq: number }, right: { readonly rate: CommissionRate; readonly seq: number }) =>
  left.rate.effectiveFrom.getTime() - right.rate.effectiveFrom.getTime() || left.seq - right.seq

/**
 * The commission overrides in memory, for unit tests, behaving as the Postgres adapter does
 * (malformed ids refused on write, naming nobody on read); inside a memory transaction each write
 * records how to undo it.
 */
export const CommissionRateRepositoryMemory = Layer.sync(CommissionRateRepository, () => {
  const rows: Array<{ readonly rate: CommissionRate; readonly seq: number }> = []
  let lastSeq = 0
  const ofParty = (party: RateParty) => {
    const id = uuidOf(party.id)
    return id === undefined ? [] : rows.filter((row) => row.rate.party.kind === party.kind && row.rate.party.id === id).sort(inEffectOrder)
  }
  // Stored apart from the caller's objects, as the database would.
  const copyOf = (rate: CommissionRate): CommissionRate => ({
    ...rate,
    party: { ...rate.party },
    effectiveFrom: new Date(rate.effectiveFrom.getTime()),
    createdAt: new Date(rate.createdAt.getTime())
  })

  return CommissionRateRepository.of({
    rateAt: (party, at) =>
      Effect.sync(() => Option.fromNullishOr(ofParty(party).filter((row) => row.rate.effectiveFrom.getTime() <= at.getTime()).at(-1)?.rate.basisPoints)),

    setRate: (party, rate, effectiveFrom, setBy, now) =>
      Effect.suspend(() => {
        const id = uuidOf(party.id)
        if (id === undefined) return Effect.fail(new EarningsUnavailable({ cause: new Error(`${party.id} is not a uuid`) }))
        const row = { rate: copyOf({ party: { kind: party.kind, id }, basisPoints: rate, effectiveFrom, setBy, createdAt: now }), seq: ++lastSeq }
        rows.push(row)
        return Effect.as(recordUndo(() => rows.splice(rows.indexOf(row), 1)), copyOf(row.rate))
      }),

    history: (party) => Effect.sync(() => ofParty(party).map((row) => copyOf(row.rate)))
  })
})
