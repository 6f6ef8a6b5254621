import { Context, Effect, Layer } from "effect"
import { PushOutbox, PushSenderMemory } from "@nelo/adapters/memory/PushSenderMemory"
import { PushSenderFcm } from "@nelo/adapters/push/PushSenderFcm"
import { PushSender } from "@nelo/domain/notifications/PushSender"
import { fakeFcm, makeServiceAccount } from "../../support/fakeFcm.ts"
import { withEnv } from "../../support/withEnv.ts"
import { pushSenderContract } from "./pushSenderContract.ts"

pushSenderContract("memory", Effect.gen(function*() {
  const context = yield* Layer.build(PushSenderMemory)
  const outbox = Context.get(context, PushOutbox)
  return { sender: Context.get(context, PushSender), delivered: outbox.sent, markDead: outbox.markDead, outage: outbox.failNext }
}))

const account = makeServiceAccount()

pushSenderContract("fcm (against a fake FCM)", Effect.gen(function*() {
  const fcm = yield* fakeFcm(account)
  const context = yield* Layer.build(PushSenderFcm.pipe(Layer.provide(withEnv(fcm.env(account.privateKeyPem)))))
  return {
    sender: Context.get(context, PushSender),
    delivered: () => fcm.received().map((push) => ({ token: push.token, title: push.notification.title ?? "", body: push.notification.body ?? "", data: push.data })),
    markDead: fcm.markUnregistered,
    outage: (count) => fcm.failNext(...Array.from({ length: count }, () => "UNAVAILABLE" as const))
  }
}))
