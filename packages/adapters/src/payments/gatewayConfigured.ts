import { Config, Effect, Option } from "effect"

/** Whether a variable is set (an empty value counts as absent); its value is read by the config. */
const isSet = (variable: string) => Config.option(Config.String(variable)).pipe(Effect.map(Option.isSome))

/**
 * Whether a gateway is configured: none of `switchedOnBy` set means off (a developer machine
 * without credentials starts); one of them set means on, and then every one of `variables` is
 * required: some but not all is a mistake worth stopping for, named (`incomplete`). Only presence
 * is read here: the values are read by the gateway's config.
 */
export const gatewayConfigured = <E>(
  gatewayName: string,
  variables: ReadonlyArray<string>,
  incomplete: (message: string) => E,
  switchedOnBy: ReadonlyArray<string> = variables
) =>
  Effect.gen(function*() {
    const set: Array<string> = []
    const missing: Array<string> = []
    for (const variable of variables) {
      if (yield* isSet(variable)) set.push(variable)
      else missing.push(variable)
    }
    if (!switchedOnBy.some((variable) => set.includes(variable))) return false
    if (missing.length > 0) {
      const on = set.filter((variable) => switchedOnBy.includes(variable))
      const off = switchedOnBy === variables ? "none" : `${switchedOnBy.join(", ")} unset`
      return yield* Effect.fail(incomplete(
        `${missing.join(", ")}: required as ${on.join(", ")} ${on.length === 1 ? "is" : "are"} set (${gatewayName} needs all of ${variables.join(", ")}, or ${off} to stay off)`
      ))
    }
    return true
  })
