import { Context, Effect, Layer } from "effect"
import { type PayoutClient, PayoutGateways, type PayoutRequest, type PayoutStatus } from "@nelo/domain/earnings/PayoutGateway"
import { GatewayRefused, GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { isXof } from "@nelo/domain/shared/Xof"

interface MemoryPayout {
  readonly request: PayoutRequest
  readonly reference: string
  state: PayoutStatus["state"]
  detail: string | null
}

/** What a test does in the gateway's place. */
export interface PayoutMemoryControls {
  /** Every payout the gateway accepted, once each, in the order it accepted them. */
  readonly accepted: () => ReadonlyArray<PayoutRequest>
  /** How many sends it was asked (the same payout sent again counts again). */
  readonly sends: () => number
  /** From now on new payouts stay processing until `settle`; otherwise they succeed at once. */
  readonly holdNew: (hold: boolean) => void
  /** The gateway's verdict on a payout it holds. */
  readonly settle: (payoutId: string, state: "succeeded" | "failed" | "reversed", detail?: string) => void
  /** From now on this number is refused (an account the gateway cannot pay). */
  readonly refuseMobile: (mobile: string) => void
  /** While true, every call fails as an unreachable gateway would. */
  readonly setUnavailable: (unavailable: boolean) => void
  /** The next send is accepted but its answer is lost: the caller sees an outage, the payout exists. */
  readonly loseNextAnswer: () => void
}

export type PayoutMemory = PayoutClient & PayoutMemoryControls

/**
 * A payouts API in memory, for the domain's tests: idempotent on the payout id as Wave's
 * idempotency key and CinetPay's client transaction id are (a payout sent twice is paid once, and a
 * second send with another amount is refused), payouts succeeding at once or held for the test to
 * settle, outages and lost answers on demand. As CinetPay, the "cinetpay" one pays multiples of 5.
 */
export const makePayoutMemory = (gateway: Gateway): PayoutMemory => {
  const payouts = new Map<string, MemoryPayout>()
  const order: Array<string> = []
  const refusedMobiles = new Set<string>()
  let unavailable = false
  let hold = false
  let loseNext = false
  let sends = 0
  let sequence = 0

  const outage = (detail = "simulated outage") => new GatewayUnavailable({ gateway, detail })
  const statusOf = (payout: MemoryPayout): PayoutStatus => ({ state: payout.state, gatewayReference: payout.reference, detail: payout.detail })

  return {
    gateway,
    send: (request) =>
      Effect.suspend((): Effect.Effect<PayoutStatus, GatewayUnavailable | GatewayRefused> => {
        sends++
        if (unavailable) return Effect.fail(outage())
        if (!isXof(request.amountXof) || request.amountXof <= 0 || (gateway === "cinetpay" && request.amountXof % 5 !== 0)) {
          return Effect.fail(new GatewayRefused({ gateway, detail: `invalid amount ${request.amountXof}` }))
        }
        const existing = payouts.get(request.payoutId)
        if (existing !== undefined) {
          if (existing.request.amountXof !== request.amountXof || existing.request.mobile !== request.mobile) {
            return Effect.fail(new GatewayRefused({ gateway, detail: `payout ${request.payoutId} was sent before with other details` }))
          }
          return Effect.succeed(statusOf(existing))
        }
        if (refusedMobiles.has(request.mobile)) return Effect.fail(new GatewayRefused({ gateway, detail: `recipient ${request.mobile} cannot receive payouts` }))
        const payout: MemoryPayout = { request, reference: `${gateway === "wave" ? "pt" : "tr"}-memory-${++sequence}`, state: hold ? "processing" : "succeeded", detail: null }
        payouts.set(request.payoutId, payout)
        order.push(request.payoutId)
        if (loseNext) {
          loseNext = false
          return Effect.fail(outage("answer lost"))
        }
        return Effect.succeed(statusOf(payout))
      }),

    statusOf: ({ payoutId }) =>
      Effect.suspend((): Effect.Effect<PayoutStatus, GatewayUnavailable | GatewayRefused> => {
        if (unavailable) return Effect.fail(outage())
        const payout = payouts.get(payoutId)
        return Effect.succeed(payout === undefined ? { state: "unknown", gatewayReference: null, detail: null } : statusOf(payout))
      }),

    accepted: () => order.map((id) => payouts.get(id)!.request),
    sends: () => sends,
    holdNew: (value) => {
      hold = value
    },
    settle: (payoutId, state, detail) => {
      const payout = payouts.get(payoutId)
      if (payout === undefined) throw new Error(`${gateway} (memory): no payout ${payoutId}`)
      payout.state = state
      payout.detail = detail ?? null
    },
    refuseMobile: (mobile) => {
      refusedMobiles.add(mobile)
    },
    setUnavailable: (value) => {
      unavailable = value
    },
    loseNextAnswer: () => {
      loseNext = true
    }
  }
}

/** The memory payout gateways' controls, for the tests that run with payoutGatewaysMemory. */
export class PayoutControls extends Context.Service<PayoutControls, {
  readonly wave: PayoutMemoryControls
  readonly cinetpay: PayoutMemoryControls
}>()("nelo/adapters/PayoutControls") {}

/** PayoutGateways with both gateways in memory (or only those asked for), and PayoutControls to drive them. */
export const payoutGatewaysMemory = (enabled: { readonly wave?: boolean; readonly cinetpay?: boolean } = {}) =>
  Layer.effectContext(Effect.sync(() => {
    const wave = makePayoutMemory("wave")
    const cinetpay = makePayoutMemory("cinetpay")
    return Context.make(PayoutGateways, PayoutGateways.of({
      wave: enabled.wave === false ? undefined : wave,
      cinetpay: enabled.cinetpay === false ? undefined : cinetpay
    })).pipe(Context.add(PayoutControls, PayoutControls.of({ wave, cinetpay })))
  }))
