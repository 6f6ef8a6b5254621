import { Effect, Layer } from "effect"
import { SmsSender } from "@nelo/domain/notifications/SmsSender"

/**
 * Development SMS: each message becomes one structured log line with `to` and `body`, so a
 * developer reads the OTP in the worker's output. Never selected in production.
 */
export const SmsSenderConsole = Layer.succeed(SmsSender, SmsSender.of({
  send: (message) => Effect.logInfo("sms sent (console)").pipe(Effect.annotateLogs({ to: message.to, body: message.body }))
}))
