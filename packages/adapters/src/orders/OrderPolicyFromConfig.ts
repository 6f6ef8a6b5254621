import { Config, Effect, Layer, Schema, SchemaTransformation } from "effect"
import { OrderStatus } from "@nelo/domain/orders/Order"
import { defaultOrderPolicy, OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { Xof } from "@nelo/domain/shared/Xof"

// ORDERS_DELIVERY_RADIUS_BY_PROVIDER: JSON object of provider id → meters, for the providers that
// deliver farther or nearer than the default ({"0190…": 8000}).
const RadiusByProvider = Schema.fromJsonString(Schema.Record(Schema.String, Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 100, maximum: 100_000 })))))

// ORDERS_CUSTOMER_MAY_CANCEL_IN: comma-separated statuses, beyond pending (always free).
const StatusList = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^(?:[a-z_]+(?:,[a-z_]+)*)?$/u, { expected: "comma-separated statuses (confirmed,preparing)" })),
  Schema.decodeTo(Schema.Array(OrderStatus), SchemaTransformation.transform<ReadonlyArray<OrderStatus>, string>({
    // Each piece is checked by OrderStatus next: the cast only names what the check will prove.
    decode: (text) => text.split(",").filter((status) => status.length > 0) as ReadonlyArray<OrderStatus>,
    encode: (statuses: ReadonlyArray<string>) => statuses.join(",")
  }))
)

/** The order rules' numbers, each overridable from env; the domain's defaults otherwise. */
export const OrderPolicyFromConfig = Layer.effect(OrderPolicy, Effect.gen(function*() {
  const defaults = defaultOrderPolicy
  const positive = (name: string, fallback: number) =>
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))), name).pipe(Config.withDefault(fallback))
  const threshold = (name: string, fallback: number) =>
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))), name).pipe(Config.withDefault(fallback))
  return yield* Config.all({
    deliveryRadiusM: positive("ORDERS_DELIVERY_RADIUS_M", defaults.deliveryRadiusM),
    deliveryRadiusByProviderM: Config.schema(RadiusByProvider, "ORDERS_DELIVERY_RADIUS_BY_PROVIDER").pipe(Config.withDefault(defaults.deliveryRadiusByProviderM)),
    confirmWithinMs: positive("ORDERS_CONFIRM_WITHIN_MS", defaults.confirmWithinMs),
    unpaidExpireAfterMs: positive("ORDERS_UNPAID_EXPIRE_AFTER_MS", defaults.unpaidExpireAfterMs),
    cashOrderMaximumXof: Config.schema(Xof.pipe(Schema.check(Schema.isGreaterThan(0))), "ORDERS_CASH_MAXIMUM_XOF").pipe(Config.withDefault(defaults.cashOrderMaximumXof)),
    cashRefusedAfterFailedOrders: threshold("ORDERS_CASH_REFUSED_AFTER_FAILED_ORDERS", defaults.cashRefusedAfterFailedOrders),
    customerMayCancelIn: Config.schema(StatusList, "ORDERS_CUSTOMER_MAY_CANCEL_IN").pipe(Config.withDefault(defaults.customerMayCancelIn)),
    maximumPreparationMinutes: positive("ORDERS_MAXIMUM_PREPARATION_MINUTES", defaults.maximumPreparationMinutes)
  })
}))
