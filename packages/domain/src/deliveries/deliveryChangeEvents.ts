import { Effect, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import type { NewDomainEvent } from "../events/DomainEvent.ts"
import { makeNoticeEvents, type Notice } from "../notifications/noticeEvents.ts"
import type { Order } from "../orders/Order.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Delivery } from "./Delivery.ts"
import type { DeliveryChangeKind } from "./deliveryEvents.ts"
import * as messages from "./deliveryMessages.ts"
import { DispatchPolicy } from "./DispatchPolicy.ts"
import { LivePositions } from "./LivePositions.ts"
import type { Vehicle } from "./Vehicle.ts"

export const firstNameOf = (fullName: string) => fullName.trim().split(/\s+/u)[0] ?? fullName

/**
 * What dispatch and the drivers' steps share to write a delivery's change: its event (`delivery.<change>`)
 * and the notices that go with it, to the people as they are now (the customer, the provider's
 * owner, the driver, the admins' alert phones).
 */
export const makeDeliveryEvents = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const providers = yield* ProviderRepository
  const users = yield* UserRepository
  const ids = yield* IdGenerator
  const policy = yield* DispatchPolicy
  const noticeEvents = yield* makeNoticeEvents
  const positions = yield* LivePositions

  const orderOf = (delivery: Delivery) =>
    Effect.flatMap(orders.findById(delivery.orderId), Option.match({
      // An order is never deleted: its delivery without it is a broken store.
      onNone: () => Effect.die(new Error(`delivery ${delivery.id}: order ${delivery.orderId} not found`)),
      onSome: Effect.succeed
    }))

  const personOf = (userId: string) => users.findById(userId as UserId)

  const providerOwnerOf = (providerId: string) =>
    Effect.flatMap(providers.findById(providerId), Option.match({
      onNone: () => Effect.succeed(Option.none()),
      onSome: (provider) => users.findById(provider.ownerId as UserId)
    }))

  /** The delivery's event, and the notices that go with it. */
  const changeEvents = (delivery: Delivery, order: Order, change: DeliveryChangeKind, reason: string | null, at: Date, notices: ReadonlyArray<Notice>) =>
    Effect.gen(function*() {
      const event = {
        id: yield* ids.uuid,
        type: `delivery.${change}`,
        aggregateType: "delivery",
        aggregateId: delivery.id,
        occurredAt: at.toISOString(),
        payload: {
          deliveryId: delivery.id,
          orderId: delivery.orderId,
          orderReference: order.reference,
          providerId: delivery.providerId,
          customerId: delivery.customerId,
          driverId: delivery.driverId,
          change,
          status: delivery.status,
          reason
        }
      } as NewDomainEvent
      const notified = yield* noticeEvents({ aggregateType: "delivery", aggregateId: delivery.id, at, data: { deliveryId: delivery.id, orderId: order.id, reference: order.reference, kind: change } }, notices)
      return [event, ...notified]
    })

  /** The alert phones' SMS: admins have no app of their own. */
  const adminNotices = (text: { readonly title: string; readonly body: string }): ReadonlyArray<Notice> =>
    policy.alertPhones.map((phone) => ({ person: { id: "admin" as UserId, phone }, via: "sms" as const, ...text }))

  const assignedEvents = (delivery: Delivery, vehicle: Vehicle, at: Date) =>
    Effect.gen(function*() {
      const order = yield* orderOf(delivery)
      const driverPerson = yield* personOf(delivery.driverId!)
      const firstName = Option.match(driverPerson, { onNone: () => "Votre livreur", onSome: (person) => firstNameOf(person.fullName) })
      const customer = yield* personOf(delivery.customerId)
      const owner = yield* providerOwnerOf(delivery.providerId)
      const notices: Array<Notice> = [
        ...Option.match(customer, { onNone: () => [], onSome: (person) => [{ person, via: "push-else-sms" as const, ...messages.assignedToCustomer(order.reference, firstName, vehicle) }] }),
        ...Option.match(owner, { onNone: () => [], onSome: (person) => [{ person, via: "push" as const, ...messages.assignedToProvider(order.reference, firstName) }] })
      ]
      return yield* changeEvents(delivery, order, "assigned", null, at, notices)
    })

  /**
   * After the commit that gives a driver a delivery (or ends it): his next points join its trail
   * (or no longer do). A live-positions store that cannot be reached loses the trail, not the change.
   */
  const followTrail = (driverId: string, deliveryId: string | null) =>
    positions.setTrail(driverId, deliveryId === null ? null : { deliveryId, lastKept: null }).pipe(
      Effect.catch((error) => Effect.logWarning("delivery trail not followed").pipe(Effect.annotateLogs({ driverId, deliveryId, error: error._tag })))
    )

  return { adminNotices, changeEvents, orderOf, personOf, providerOwnerOf, assignedEvents, followTrail }
})
