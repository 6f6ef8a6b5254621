import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import type { Actor, ActorKind, OrderStatus, PaymentStatus } from "@nelo/domain/orders/Order"
import { defaultOrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { cancellableIn, decide, type OrderCommand, type OrderDecision, replayStatus, type Responsible } from "@nelo/domain/orders/orderStateMachine"

// ---------------------------------------------------------------------------------------------
// The expected table, written from DESIGN.md's diagram and the rules stated in the module's
// comments, independently of its code.

const statuses: ReadonlyArray<OrderStatus> = ["pending", "confirmed", "preparing", "ready", "picked_up", "delivering", "delivered", "cancelled", "failed"]
const finals: ReadonlyArray<OrderStatus> = ["delivered", "cancelled", "failed"]
const paymentStatuses: ReadonlyArray<PaymentStatus> = ["awaiting", "paid", "on_delivery", "refunding", "refunded", "unpaid"]
const actorKinds: ReadonlyArray<ActorKind> = ["customer", "provider", "driver", "admin", "system"]
const responsibles: ReadonlyArray<Responsible> = ["customer", "provider", "driver", "platform", "system"]

type Tag = OrderCommand["_tag"]

/** Forward steps: from, to, the change recorded, and who (besides an admin, who may make all of them). */
const forward: { readonly [T in Exclude<Tag, "Cancel">]: { readonly from: OrderStatus; readonly to: OrderStatus; readonly change: string; readonly by: ReadonlyArray<ActorKind> } } = {
  MarkPaid: { from: "pending", to: "pending", change: "paid", by: ["system"] },
  Confirm: { from: "pending", to: "confirmed", change: "confirmed", by: ["provider", "admin"] },
  Reject: { from: "pending", to: "cancelled", change: "cancelled", by: ["provider", "admin"] },
  StartPreparing: { from: "confirmed", to: "preparing", change: "preparing", by: ["provider", "admin"] },
  MarkReady: { from: "preparing", to: "ready", change: "ready", by: ["provider", "admin"] },
  PickUp: { from: "ready", to: "picked_up", change: "picked_up", by: ["driver", "admin"] },
  StartDelivering: { from: "picked_up", to: "delivering", change: "delivering", by: ["driver", "admin"] },
  Deliver: { from: "delivering", to: "delivered", change: "delivered", by: ["driver", "admin"] },
  Fail: { from: "delivering", to: "failed", change: "failed", by: ["driver", "admin"] },
  // After the end: the gateway refund a cancellation asked for, settled by the system.
  MarkRefunded: { from: "cancelled", to: "cancelled", change: "refunded", by: ["system"] }
}

type Policy = { readonly customerMayCancelIn: ReadonlyArray<OrderStatus> }

/** Where each kind of party may cancel. */
const expectedCancellable = (kind: ActorKind, policy: Policy): ReadonlyArray<OrderStatus> => {
  switch (kind) {
    case "customer":
      // Pending always; after that only where the policy says, and never once picked up.
      return ["pending", ...(["confirmed", "preparing", "ready"] as const).filter((status) => policy.customerMayCancelIn.includes(status))]
    case "provider":
    // The system's rules each check their own case (a deadline, no driver found): before pickup.
    case "system":
      return ["pending", "confirmed", "preparing", "ready"]
    case "admin":
      return ["pending", "confirmed", "preparing", "ready", "picked_up", "delivering"]
    case "driver":
      return []
  }
}

type Expected =
  | { readonly ok: true; readonly to: OrderStatus; readonly change: string; readonly paid: boolean; readonly refunded: boolean; readonly responsible: Responsible | null }
  | { readonly ok: false; readonly error: "OrderActionForbidden" | "OrderTransitionRefused" | "OrderNotCancellable" | "OrderAwaitingPayment" }

const expectedOf = (status: OrderStatus, payment: PaymentStatus, command: OrderCommand, kind: ActorKind, policy: Policy): Expected => {
  if (command._tag === "Cancel") {
    const where = expectedCancellable(kind, policy)
    if (where.length === 0) return { ok: false, error: "OrderActionForbidden" }
    if (!where.includes(status)) return { ok: false, error: "OrderNotCancellable" }
    const responsible: Responsible = kind === "admin" ? command.responsible ?? "platform" : kind === "system" ? command.responsible ?? "system" : kind
    return { ok: true, to: "cancelled", change: "cancelled", paid: false, refunded: false, responsible }
  }
  const step = forward[command._tag]
  if (!step.by.includes(kind)) return { ok: false, error: "OrderActionForbidden" }
  if (status !== step.from) return { ok: false, error: "OrderTransitionRefused" }
  if (command._tag === "MarkPaid" && payment !== "awaiting") return { ok: false, error: "OrderTransitionRefused" }
  if (command._tag === "MarkRefunded" && payment !== "refunding") return { ok: false, error: "OrderTransitionRefused" }
  if (command._tag === "Confirm" && payment === "awaiting") return { ok: false, error: "OrderAwaitingPayment" }
  const responsible: Responsible | null = command._tag === "Reject" ? (kind === "admin" ? "platform" : "provider") : null
  // A cash order delivered is paid: the driver collected it at the door.
  const paid = command._tag === "MarkPaid" || (command._tag === "Deliver" && payment === "on_delivery")
  return { ok: true, to: step.to, change: step.change, paid, refunded: command._tag === "MarkRefunded", responsible }
}

// ---------------------------------------------------------------------------------------------

const actorOf = (kind: ActorKind): Actor => ({ kind, id: kind === "system" ? "unconfirmed_timeout" : `${kind}-1` })

const commandArb: fc.Arbitrary<OrderCommand> = fc.oneof(
  fc.constant({ _tag: "MarkPaid" as const }),
  fc.integer({ min: 1, max: 180 }).map((preparationMinutes) => ({ _tag: "Confirm" as const, preparationMinutes })),
  fc.constant({ _tag: "Reject" as const, reason: "rupture de stock" }),
  fc.constant({ _tag: "StartPreparing" as const }),
  fc.constant({ _tag: "MarkReady" as const }),
  fc.constant({ _tag: "PickUp" as const }),
  fc.constant({ _tag: "StartDelivering" as const }),
  fc.constant({ _tag: "Deliver" as const }),
  fc.constant({ _tag: "Fail" as const, reason: "client absent" }),
  fc.constantFrom({ _tag: "MarkRefunded" as const, reason: null }, { _tag: "MarkRefunded" as const, reason: "refusé par Wave" }),
  fc.option(fc.constantFrom(...responsibles), { nil: undefined }).map((responsible) =>
    responsible === undefined ? { _tag: "Cancel" as const, reason: "changé d'avis" } : { _tag: "Cancel" as const, reason: "changé d'avis", responsible })
)

const policyArb: fc.Arbitrary<Policy> = fc.subarray([...statuses]).map((customerMayCancelIn) => ({ customerMayCancelIn }))

/** Every command, once each (Cancel with and without a responsible asked). */
const everyCommand: ReadonlyArray<OrderCommand> = [
  { _tag: "MarkPaid" },
  { _tag: "Confirm", preparationMinutes: 25 },
  { _tag: "Reject", reason: "fermé" },
  { _tag: "StartPreparing" },
  { _tag: "MarkReady" },
  { _tag: "PickUp" },
  { _tag: "StartDelivering" },
  { _tag: "Deliver" },
  { _tag: "Fail", reason: "adresse introuvable" },
  { _tag: "MarkRefunded", reason: null },
  { _tag: "MarkRefunded", reason: "Wave a refusé le remboursement" },
  { _tag: "Cancel", reason: "plus faim" },
  { _tag: "Cancel", reason: "plus faim", refundTo: "original" },
  ...responsibles.map((responsible) => ({ _tag: "Cancel" as const, reason: "fraude", responsible }))
]

/** The decision checked against the expected table; the decision when accepted. */
const check = (status: OrderStatus, payment: PaymentStatus, command: OrderCommand, kind: ActorKind, policy: Policy): OrderDecision | undefined => {
  const expected = expectedOf(status, payment, command, kind, policy)
  const actual = decide({ status, paymentStatus: payment }, command, actorOf(kind), policy)
  const label = `${command._tag} by ${kind} in ${status} (payment ${payment})`
  if (!expected.ok) {
    expect(Result.isFailure(actual), label).toBe(true)
    if (Result.isFailure(actual)) expect(actual.failure._tag, label).toBe(expected.error)
    return undefined
  }
  expect(Result.isSuccess(actual), label).toBe(true)
  if (!Result.isSuccess(actual)) return undefined
  const decision = actual.success
  expect(decision.from, label).toBe(status)
  expect(decision.to, label).toBe(expected.to)
  expect(decision.change, label).toBe(expected.change)
  expect(decision.paid, label).toBe(expected.paid)
  expect(decision.refunded, label).toBe(expected.refunded)
  expect(decision.preparationMinutes, label).toBe(command._tag === "Confirm" ? command.preparationMinutes : null)
  if (expected.responsible === null) {
    expect(decision.cancellation, label).toBeNull()
  } else {
    const reason = "reason" in command ? command.reason : null
    expect(decision.cancellation, label).toEqual({ by: actorOf(kind), responsible: expected.responsible, reason })
  }
  expect(decision.reason, label).toBe(command._tag === "Cancel" || command._tag === "Reject" || command._tag === "Fail" || command._tag === "MarkRefunded" ? command.reason : null)
  return decision
}

describe("order state machine: the table", () => {
  it("every status × payment × command × actor kind, under several policies, answers as the table says", () => {
    const policies: ReadonlyArray<Policy> = [defaultOrderPolicy, { customerMayCancelIn: [] }, { customerMayCancelIn: statuses }, { customerMayCancelIn: ["ready", "delivering"] }]
    let accepted = 0
    for (const policy of policies) {
      for (const status of statuses) {
        for (const payment of paymentStatuses) {
          for (const command of everyCommand) for (const kind of actorKinds) if (check(status, payment, command, kind, policy) !== undefined) accepted++
        }
      }
    }
    expect(accepted).toBeGreaterThan(0)
  })

  it("final states accept nothing, from anyone (but the system settling the gateway refund of a cancelled order)", () => {
    for (const status of finals) {
      for (const payment of paymentStatuses) {
        for (const command of everyCommand) {
          for (const kind of actorKinds) {
            const settlesRefund = status === "cancelled" && payment === "refunding" && command._tag === "MarkRefunded" && kind === "system"
            expect(Result.isFailure(decide({ status, paymentStatus: payment }, command, actorOf(kind), { customerMayCancelIn: statuses })), `${command._tag} by ${kind} in ${status}`).toBe(!settlesRefund)
          }
        }
      }
    }
  })

  it("a provider cannot confirm an order whose payment is awaited; once marked paid it can", () => {
    const provider = actorOf("provider")
    const confirm: OrderCommand = { _tag: "Confirm", preparationMinutes: 20 }
    const refused = decide({ status: "pending", paymentStatus: "awaiting" }, confirm, provider, defaultOrderPolicy)
    expect(Result.isFailure(refused) && refused.failure._tag).toBe("OrderAwaitingPayment")
    const paid = decide({ status: "pending", paymentStatus: "awaiting" }, { _tag: "MarkPaid" }, actorOf("system"), defaultOrderPolicy)
    expect(Result.getOrThrow(paid)).toEqual({ change: "paid", from: "pending", to: "pending", reason: null, cancellation: null, preparationMinutes: null, paid: true, refunded: false })
    expect(Result.getOrThrow(decide({ status: "pending", paymentStatus: "paid" }, confirm, provider, defaultOrderPolicy))).toEqual({
      change: "confirmed",
      from: "pending",
      to: "confirmed",
      reason: null,
      cancellation: null,
      preparationMinutes: 20,
      paid: false,
      refunded: false
    })
    // Cash is paid at the door: confirmed at once.
    expect(Result.isSuccess(decide({ status: "pending", paymentStatus: "on_delivery" }, confirm, provider, defaultOrderPolicy))).toBe(true)
    // Paid twice is refused: the payment is no longer awaited.
    const twice = decide({ status: "pending", paymentStatus: "paid" }, { _tag: "MarkPaid" }, actorOf("system"), defaultOrderPolicy)
    expect(Result.isFailure(twice) && twice.failure._tag).toBe("OrderTransitionRefused")
  })

  it("the refusals name the action and the status", () => {
    const late = decide({ status: "delivered", paymentStatus: "paid" }, { _tag: "Confirm", preparationMinutes: 10 }, actorOf("provider"), defaultOrderPolicy)
    expect(Result.isFailure(late) && { ...late.failure }).toMatchObject({ _tag: "OrderTransitionRefused", action: "confirm", status: "delivered" })
    const forbidden = decide({ status: "pending", paymentStatus: "paid" }, { _tag: "Confirm", preparationMinutes: 10 }, actorOf("customer"), defaultOrderPolicy)
    expect(Result.isFailure(forbidden) && { ...forbidden.failure }).toMatchObject({ _tag: "OrderActionForbidden", action: "confirm" })
    const tooLate = decide({ status: "picked_up", paymentStatus: "paid" }, { _tag: "Cancel", reason: "trop long" }, actorOf("customer"), defaultOrderPolicy)
    expect(Result.isFailure(tooLate) && { ...tooLate.failure }).toMatchObject({ _tag: "OrderNotCancellable", status: "picked_up" })
    const driverCancels = decide({ status: "pending", paymentStatus: "paid" }, { _tag: "Cancel", reason: "panne" }, actorOf("driver"), defaultOrderPolicy)
    expect(Result.isFailure(driverCancels) && { ...driverCancels.failure }).toMatchObject({ _tag: "OrderActionForbidden", action: "cancel" })
  })

  it("cancellation records who is responsible", () => {
    const cancel = (kind: ActorKind, responsible?: Responsible) =>
      Result.getOrThrow(decide({ status: "pending", paymentStatus: "paid" }, responsible === undefined ? { _tag: "Cancel", reason: "r" } : { _tag: "Cancel", reason: "r", responsible }, actorOf(kind), defaultOrderPolicy)).cancellation
    expect(cancel("customer")).toEqual({ by: actorOf("customer"), responsible: "customer", reason: "r" })
    // A customer or a provider cannot put their own cancellation on someone else.
    expect(cancel("customer", "provider")?.responsible).toBe("customer")
    expect(cancel("provider")?.responsible).toBe("provider")
    expect(cancel("provider", "platform")?.responsible).toBe("provider")
    expect(cancel("admin")?.responsible).toBe("platform")
    expect(cancel("admin", "provider")?.responsible).toBe("provider")
    expect(cancel("admin", "driver")?.responsible).toBe("driver")
    expect(cancel("system")).toEqual({ by: actorOf("system"), responsible: "system", reason: "r" })
    expect(cancel("system", "provider")?.responsible).toBe("provider")
  })

  it("cancellableIn: the customer's list follows the policy, never past pickup; the others are fixed", () => {
    expect(cancellableIn("customer", defaultOrderPolicy)).toEqual(["pending", "confirmed", "preparing"])
    expect(cancellableIn("customer", { customerMayCancelIn: [] })).toEqual(["pending"])
    expect(cancellableIn("customer", { customerMayCancelIn: ["delivering", "ready", "picked_up", "pending"] })).toEqual(["pending", "ready"])
    expect(cancellableIn("provider", defaultOrderPolicy)).toEqual(["pending", "confirmed", "preparing", "ready"])
    expect(cancellableIn("system", defaultOrderPolicy)).toEqual(["pending", "confirmed", "preparing", "ready"])
    expect(cancellableIn("admin", defaultOrderPolicy)).toEqual(["pending", "confirmed", "preparing", "ready", "picked_up", "delivering"])
    expect(cancellableIn("driver", defaultOrderPolicy)).toEqual([])
    fc.assert(fc.property(policyArb, fc.constantFrom(...actorKinds), (policy, kind) => {
      expect([...cancellableIn(kind, policy)].sort()).toEqual([...expectedCancellable(kind, policy)].sort())
    }))
  })
})

// ---------------------------------------------------------------------------------------------

/** The next forward command a real order would get from where it is, by a party allowed to. */
const nextMove = (status: OrderStatus, payment: PaymentStatus, pick: number): { readonly command: OrderCommand; readonly kind: ActorKind } | undefined => {
  const options: ReadonlyArray<[OrderCommand, ReadonlyArray<ActorKind>]> = status === "pending"
    ? payment === "awaiting" ? [[{ _tag: "MarkPaid" }, ["system"]]] : [[{ _tag: "Confirm", preparationMinutes: 15 }, ["provider", "admin"]]]
    : status === "confirmed" ? [[{ _tag: "StartPreparing" }, ["provider", "admin"]]]
    : status === "preparing" ? [[{ _tag: "MarkReady" }, ["provider", "admin"]]]
    : status === "ready" ? [[{ _tag: "PickUp" }, ["driver", "admin"]]]
    : status === "picked_up" ? [[{ _tag: "StartDelivering" }, ["driver", "admin"]]]
    : status === "delivering" ? [[{ _tag: "Deliver" }, ["driver", "admin"]], [{ _tag: "Fail", reason: "client absent" }, ["driver", "admin"]]]
    : []
  if (options.length === 0) return undefined
  const [command, kinds] = options[pick % options.length]!
  return { command, kind: kinds[Math.floor(pick / options.length) % kinds.length]! }
}

/** A step is either any command by any kind of party, or the next forward move (so runs reach the end). */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant("random" as const), command: commandArb, actor: fc.constantFrom(...actorKinds) }),
  fc.record({ kind: fc.constant("next" as const), pick: fc.nat() })
)

describe("order state machine (properties)", () => {
  it("random command sequences by random parties: only the table's transitions pass; replaying the accepted `to`s gives the status", () => {
    const reached = new Set<OrderStatus>()
    fc.assert(fc.property(fc.constantFrom(...paymentStatuses), policyArb, fc.array(stepArb, { maxLength: 40 }), (initialPayment, policy, steps) => {
      let status: OrderStatus = "pending"
      let payment: PaymentStatus = initialPayment
      const accepted: Array<OrderDecision> = []
      for (const step of steps) {
        const move = step.kind === "random" ? { command: step.command, kind: step.actor } : nextMove(status, payment, step.pick)
        if (move === undefined) {
          // Nothing moves an order on from a final state: try everything.
          expect(finals).toContain(status)
          for (const command of everyCommand) {
            for (const kind of actorKinds) {
              const settlesRefund = status === "cancelled" && payment === "refunding" && command._tag === "MarkRefunded" && kind === "system"
              expect(Result.isFailure(decide({ status, paymentStatus: payment }, command, actorOf(kind), policy))).toBe(!settlesRefund)
            }
          }
          continue
        }
        const wasFinal = finals.includes(status)
        const decision = check(status, payment, move.command, move.kind, policy)
        if (decision === undefined) continue
        // After the end, only the settling of a gateway refund.
        expect(wasFinal && !decision.refunded).toBe(false)
        if (accepted.length > 0) expect(decision.from).toBe(accepted.at(-1)!.to)
        accepted.push(decision)
        status = decision.to
        if (decision.paid) payment = "paid"
        if (decision.refunded) payment = "refunded"
      }
      expect(replayStatus(accepted) ?? "pending").toBe(status)
      reached.add(status)
    }), { numRuns: 1_000 })
    // The generator reaches every end, and the states between.
    for (const status of ["pending", "confirmed", "delivered", "cancelled", "failed"] as const) expect(reached).toContain(status)
  })
})
