import { Config, Effect, Layer, Option, Schema } from "effect"
import { PushSenderConsole } from "./PushSenderConsole.ts"
import { PushSenderFcm } from "./PushSenderFcm.ts"

export class PushProviderMissing extends Schema.TaggedError<PushProviderMissing>()("PushProviderMissing", {
  message: Schema.String
}) {}

const PushProviderConfig = Config.all({
  environment: Config.Literals(["development", "test", "production"], "NODE_ENV").pipe(Config.withDefault("development" as const)),
  provider: Config.Literals(["console", "fcm"], "PUSH_PROVIDER").pipe(Config.option),
  fcmProjectId: Config.String("FCM_PROJECT_ID").pipe(Config.option)
})

/**
 * The PushSender named by PUSH_PROVIDER, else FCM when FCM_PROJECT_ID is set, else the console.
 * Production refuses the console: it would swallow every push, and with it the SMS fallback of the
 * customers' notices.
 */
export const PushSenderFromConfig = Layer.unwrap(Effect.gen(function*() {
  const config = yield* PushProviderConfig
  const provider = Option.getOrElse(config.provider, () => Option.isSome(config.fcmProjectId) ? "fcm" as const : "console" as const)
  if (config.environment === "production" && provider === "console") {
    return yield* new PushProviderMissing({
      message: "PUSH_PROVIDER: fcm (with FCM_PROJECT_ID, FCM_CLIENT_EMAIL, FCM_PRIVATE_KEY) is required when NODE_ENV=production (the console adapter reaches nobody)"
    })
  }
  return provider === "fcm" ? PushSenderFcm : PushSenderConsole
}))
