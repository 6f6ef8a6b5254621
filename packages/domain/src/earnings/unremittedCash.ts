/**
 * Which of a driver's cash collections he still holds, first in, first out: every franc handed in
 * (a remittance) pays the oldest collection not yet paid. So what he holds is always his newest
 * collections, the oldest of them perhaps in part, and "how long he has held cash" is the age of
 * the oldest collection not fully remitted.
 */

/** A collection at a door: `amountXof` francs (positive) taken in cash for NELO at `at`. */
export interface Collection {
  readonly amountXof: number
  readonly at: Date
}

/** A collection, or a remittance of `amountXof` francs (positive) handed in at `at`. */
export type CashMovement =
  | { readonly kind: "collection"; readonly amountXof: number; readonly at: Date }
  | { readonly kind: "remittance"; readonly amountXof: number; readonly at: Date }

/** A collection not fully remitted: what is left of it. */
export interface Outstanding {
  readonly at: Date
  readonly collectedXof: number
  readonly outstandingXof: number
}

/**
 * The rule itself, over a driver's whole history in the order it happened: remittances pay the
 * oldest outstanding collections first; a remittance beyond what is owed (possible only after a
 * collection was reversed) is a credit that pays the next collections as they come. Answers the
 * collections still outstanding, oldest first.
 */
export const outstandingCollections = (movements: ReadonlyArray<CashMovement>): ReadonlyArray<Outstanding> => {
  const queue: Array<{ at: Date; collectedXof: number; outstandingXof: number }> = []
  let creditXof = 0
  for (const movement of movements) {
    if (movement.kind === "collection") {
      const paid = Math.min(creditXof, movement.amountXof)
      creditXof -= paid
      if (movement.amountXof > paid) queue.push({ at: movement.at, collectedXof: movement.amountXof, outstandingXof: movement.amountXof - paid })
      continue
    }
    let left = movement.amountXof
    while (left > 0 && queue.length > 0) {
      const oldest = queue[0]!
      const paid = Math.min(left, oldest.outstandingXof)
      oldest.outstandingXof -= paid
      left -= paid
      if (oldest.outstandingXof === 0) queue.shift()
    }
    creditXof += left
  }
  return queue
}

/**
 * The same rule read from the newest end, which needs only the recent collections: what a driver
 * holds (`heldXof`, his cash-in-hand balance negated) is covered by his newest collections, so
 * walking back from the newest until they cover it reaches the oldest outstanding one. Equal to
 * outstandingCollections' first `at` whatever the order of remittances (the property test checks
 * it). Null when he holds nothing; the oldest collection given when they do not cover what he
 * holds (a history cut short).
 */
export const oldestUnremitted = (heldXof: number, collectionsNewestFirst: Iterable<Collection>): Date | null => {
  if (heldXof <= 0) return null
  let coveredXof = 0
  let oldest: Date | null = null
  for (const collection of collectionsNewestFirst) {
    coveredXof += collection.amountXof
    oldest = collection.at
    if (coveredXof >= heldXof) break
  }
  return oldest
}

/**
 * What of a driver's cash debt his earnings would not cover: the cash he holds less what NELO owes
 * him (his earnings balance, counted only when positive), never below 0. A driver holding
 * 30,000 F with 12,000 F of earnings has a shortfall of 18,000 F: netting his earnings against his
 * debt at payout would still leave him owing that much.
 */
export const shortfallOf = (heldXof: number, earningsXof: number): number => Math.max(0, heldXof - Math.max(0, earningsXof))
