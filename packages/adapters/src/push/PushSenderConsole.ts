import { Effect, Layer } from "effect"
import { PushSender } from "@nelo/domain/notifications/PushSender"

/**
 * Development push: each message becomes one structured log line with its title, body and data,
 * and the end of the device token (enough to tell two phones apart). Never selected in production:
 * it reaches nobody, yet counts as sent, so no SMS fallback would go out either.
 */
export const PushSenderConsole = Layer.succeed(PushSender, PushSender.of({
  send: (message) =>
    Effect.logInfo("push sent (console)").pipe(Effect.annotateLogs({
      device: `…${message.token.slice(-8)}`,
      title: message.title,
      body: message.body,
      data: message.data
    }))
}))
