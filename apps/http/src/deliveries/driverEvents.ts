import { Schema } from "effect"
import type { DriverFeedItem } from "@nelo/domain/deliveries/followDriver"
import { EventData, HeartbeatEvent } from "../shared/liveStream.ts"
import { CurrentDeliveryView, DeliveryView, deliveryView, OffersView, offerView } from "./views.ts"

// A list of up to 100 offers with their details, and a delivery with its lines: well above an order's 64 kB.
const maxEventLength = 256_000

/**
 * The events of a driver's live stream, none with an id (a reconnection starts again from `ready`).
 * `ready`: his open offers and his delivery (null: none) when the stream starts; `offers`: his
 * whole list of open offers, to replace the app's (an offer came, was taken by another driver,
 * withdrawn, expired); `delivery`: the delivery he holds now (assigned to him, cancelled: null);
 * `heartbeat`: the stream is alive.
 */
export const DriverStreamEvent = Schema.Union([
  Schema.Struct({ event: Schema.Literal("ready"), data: EventData(Schema.Struct({ ...OffersView.fields, ...CurrentDeliveryView.fields }), maxEventLength) }),
  Schema.Struct({ event: Schema.Literal("offers"), data: EventData(OffersView, maxEventLength) }),
  Schema.Struct({ event: Schema.Literal("delivery"), data: EventData(CurrentDeliveryView, maxEventLength) }),
  HeartbeatEvent
])
export type DriverStreamEvent = typeof DriverStreamEvent.Type

const deliveryOrNull = (delivery: Parameters<typeof deliveryView>[0] | null): typeof DeliveryView.Type | null => delivery === null ? null : deliveryView(delivery)

/** An item of a driver's stream as its event, with the views of his GET endpoints. */
export const driverStreamEvent = (item: DriverFeedItem): DriverStreamEvent => {
  switch (item._tag) {
    case "Ready":
      return { event: "ready", data: { offers: item.offers.map(offerView), delivery: deliveryOrNull(item.delivery) } }
    case "Offers":
      return { event: "offers", data: { offers: item.offers.map(offerView) } }
    case "Delivery":
      return { event: "delivery", data: { delivery: deliveryOrNull(item.delivery) } }
  }
}
