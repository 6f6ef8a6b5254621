import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"

/** Below the minimum, above the maximum, or not a multiple of 5 (CinetPay takes only those). */
export class TopupAmountInvalid extends Schema.TaggedError<TopupAmountInvalid>()("TopupAmountInvalid", {
  minimumXof: Xof,
  maximumXof: Xof
}) {}

/** No gateway could open a checkout (none configured, or all unreachable): nothing was charged. */
export class PaymentsUnavailable extends Schema.TaggedError<PaymentsUnavailable>()("PaymentsUnavailable", {}) {}

/** A webhook for a gateway this deployment has no credentials for: it cannot be verified. */
export class GatewayNotConfigured extends Schema.TaggedError<GatewayNotConfigured>()("GatewayNotConfigured", {
  gateway: Schema.Literals(["wave", "cinetpay"])
}) {}
