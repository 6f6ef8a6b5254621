import { Config, Effect, Layer, Option, Schema } from "effect"
import { SmsSenderConsole } from "./SmsSenderConsole.ts"
import { SmsSenderOrange } from "./SmsSenderOrange.ts"
import { SmsSenderTwilio } from "./SmsSenderTwilio.ts"

export class SmsProviderMissing extends Schema.TaggedError<SmsProviderMissing>()("SmsProviderMissing", {
  message: Schema.String
}) {}

const SmsProviderConfig = Config.all({
  environment: Config.Literals(["development", "test", "production"], "NODE_ENV").pipe(Config.withDefault("development" as const)),
  provider: Config.Literals(["console", "orange", "twilio"], "SMS_PROVIDER").pipe(Config.option)
})

/**
 * The SmsSender named by SMS_PROVIDER. Outside production it defaults to the console; in
 * production a real provider must be named, since a console "SMS" would reach nobody.
 */
export const SmsSenderFromConfig = Layer.unwrap(Effect.gen(function*() {
  const config = yield* SmsProviderConfig
  const provider = Option.getOrElse(config.provider, () => "console" as const)
  if (config.environment === "production" && provider === "console") {
    return yield* new SmsProviderMissing({
      message: "SMS_PROVIDER: orange or twilio is required when NODE_ENV=production (the console adapter reaches nobody)"
    })
  }
  switch (provider) {
    case "orange":
      return SmsSenderOrange
    case "twilio":
      return SmsSenderTwilio
    case "console":
      return SmsSenderConsole
  }
}))
