import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import type { Account } from "@nelo/domain/wallet/Account"
import type { Posting } from "@nelo/domain/wallet/LedgerTransaction"
import { applyPostings, checkPostings, InsufficientFunds, lockOrder, PostingsUnbalanced, reversingPostings } from "@nelo/domain/wallet/ledgerRules"
import { type Xof, xof } from "@nelo/domain/shared/Xof"

/** A number the types do not allow, for tests of the refusal itself. */
const unchecked = (value: number) => value as Xof

const customers = ["wallet-a", "wallet-b", "wallet-c", "wallet-d"]
const accounts = new Map<string, Pick<Account, "kind">>([
  ...customers.map((id) => [id, { kind: "customer_wallet" as const }] as const),
  ["clearing-wave", { kind: "gateway_clearing" }],
  ["clearing-cinetpay", { kind: "gateway_clearing" }],
  ["revenue", { kind: "platform_revenue" }]
])

const amount = fc.integer({ min: 1, max: 2_000_000 }).map(xof)
const customer = fc.constantFrom(...customers)

/** What people do with wallets, as postings: top-ups, transfers, payments, and reversals of earlier ones. */
const operation = fc.oneof(
  fc.record({ kind: fc.constant("topup" as const), to: customer, amount, gateway: fc.constantFrom("clearing-wave", "clearing-cinetpay") }),
  fc.record({ kind: fc.constant("transfer" as const), from: customer, to: customer, amount }),
  fc.record({ kind: fc.constant("payment" as const), from: customer, amount }),
  fc.record({ kind: fc.constant("reversal" as const), index: fc.nat() })
)

describe("ledger rules", () => {
  it("postings must balance: two at least, whole non-zero francs, each account once, sum zero", () => {
    const reason = (postings: ReadonlyArray<Posting>) => Result.match(checkPostings(postings), { onSuccess: () => "ok", onFailure: (error) => error.reason })
    expect(reason([{ accountId: "wallet-a", amountXof: xof(1_000) }, { accountId: "clearing-wave", amountXof: xof(-1_000) }])).toBe("ok")
    expect(reason([{ accountId: "wallet-a", amountXof: xof(1_000) }])).toBe("too_few")
    expect(reason([{ accountId: "wallet-a", amountXof: xof(1_000) }, { accountId: "clearing-wave", amountXof: xof(-999) }])).toBe("sum_not_zero")
    expect(reason([{ accountId: "wallet-a", amountXof: unchecked(0.5) }, { accountId: "clearing-wave", amountXof: unchecked(-0.5) }])).toBe("not_whole_francs")
    expect(reason([{ accountId: "wallet-a", amountXof: xof(0) }, { accountId: "clearing-wave", amountXof: xof(0) }])).toBe("zero_amount")
    expect(reason([{ accountId: "wallet-a", amountXof: xof(5) }, { accountId: "wallet-a", amountXof: xof(-5) }])).toBe("same_account_twice")
    // Exact whatever the sizes: float partial sums would round 2^53 − 1 + 2 and see −1 here.
    expect(reason([{ accountId: "a", amountXof: unchecked(Number.MAX_SAFE_INTEGER) }, { accountId: "b", amountXof: xof(2) }, { accountId: "c", amountXof: unchecked(-Number.MAX_SAFE_INTEGER) }, { accountId: "d", amountXof: xof(-2) }])).toBe("ok")
    expect(reason([{ accountId: "a", amountXof: unchecked(Number.MAX_SAFE_INTEGER) }, { accountId: "b", amountXof: xof(2) }, { accountId: "c", amountXof: unchecked(-Number.MAX_SAFE_INTEGER) }, { accountId: "d", amountXof: xof(-1) }])).toBe("sum_not_zero")
    expect(checkPostings([{ accountId: "a", amountXof: xof(1) }])).toEqual(Result.fail(new PostingsUnbalanced({ reason: "too_few" })))
  })

  it("a customer wallet never goes below zero; the refusal says what is missing and changes nothing", () => {
    const balances = new Map([["wallet-a", xof(700)], ["wallet-b", xof(0)]])
    const spend = [{ accountId: "wallet-a", amountXof: xof(-1_000) }, { accountId: "wallet-b", amountXof: xof(1_000) }]
    expect(applyPostings(spend, accounts, balances)).toEqual(Result.fail(new InsufficientFunds({ accountId: "wallet-a", balanceXof: xof(700), missingXof: xof(300) })))
    expect(balances.get("wallet-a")).toBe(700)
    // Clearing and revenue accounts may be negative: they are the other side of customers' money.
    const topup = [{ accountId: "wallet-b", amountXof: xof(5_000) }, { accountId: "clearing-wave", amountXof: xof(-5_000) }]
    expect(Result.getOrThrow(applyPostings(topup, accounts, balances)).get("clearing-wave")).toBe(-5_000)
  })

  it("locks are taken in one global order, each account once", () => {
    expect(lockOrder([{ accountId: "wallet-c", amountXof: xof(-5) }, { accountId: "wallet-a", amountXof: xof(5) }])).toEqual(["wallet-a", "wallet-c"])
    expect(lockOrder([{ accountId: "wallet-a", amountXof: xof(5) }, { accountId: "wallet-c", amountXof: xof(-5) }])).toEqual(["wallet-a", "wallet-c"])
  })

  it("property: over any sequence of top-ups, transfers, payments and reversals, balances sum to zero, no wallet is negative, each balance is the sum of its postings", () => {
    fc.assert(fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
      let balances: ReadonlyMap<string, Xof> = new Map()
      const applied: Array<ReadonlyArray<Posting>> = []
      for (const op of operations) {
        const postings: ReadonlyArray<Posting> | undefined =
          op.kind === "topup" ? [{ accountId: op.to, amountXof: op.amount }, { accountId: op.gateway, amountXof: xof(-op.amount) }]
          : op.kind === "transfer" ? (op.from === op.to ? undefined : [{ accountId: op.from, amountXof: xof(-op.amount) }, { accountId: op.to, amountXof: op.amount }])
          : op.kind === "payment" ? [{ accountId: op.from, amountXof: xof(-op.amount) }, { accountId: "revenue", amountXof: op.amount }]
          : applied.length === 0 ? undefined : reversingPostings({ postings: applied[op.index % applied.length]! })
        if (postings === undefined) continue
        expect(Result.isSuccess(checkPostings(postings))).toBe(true)
        const next = applyPostings(postings, accounts, balances)
        if (Result.isFailure(next)) {
          expect(next.failure._tag).toBe("InsufficientFunds")
          continue
        }
        balances = next.success
        applied.push(postings)

        let total = 0
        for (const [accountId, balance] of balances) {
          total += balance
          if (accounts.get(accountId)!.kind === "customer_wallet") expect(balance).toBeGreaterThanOrEqual(0)
          const posted = applied.flat().filter((posting) => posting.accountId === accountId).reduce((sum, posting) => sum + posting.amountXof, 0)
          expect(balance).toBe(posted)
        }
        expect(total).toBe(0)
      }
    }), { numRuns: 300 })
  })
})
