import { describe, expect, it } from "vitest"
import { type Config, Context, Effect, Exit, Layer } from "effect"
import { WalletPolicyFromConfig } from "@nelo/adapters/wallet/WalletPolicyFromConfig"
import { WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { WorkerConfig } from "../../apps/worker/src/WorkerConfig.ts"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { DatabaseConfig } from "@nelo/adapters/postgres/DatabaseConfig"
import { RedisConfig } from "@nelo/adapters/redis/RedisConfig"
import { HttpConfig } from "../../apps/http/src/HttpConfig.ts"
import { runNode } from "../support/runProcess.ts"
import { withEnv } from "../support/withEnv.ts"

const read = <A>(config: Config.Config<A>) => Effect.gen(function*() {
  return yield* config
})

const failureOf = <A, E>(config: Effect.Effect<A, E>, env: Record<string, string>) => {
  const exit = Effect.runSyncExit(config.pipe(Effect.provide(withEnv(env))))
  if (Exit.isSuccess(exit)) throw new Error("expected the configuration to be refused")
  return describeFailure(exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : exit.cause)
}

describe("configuration", () => {
  it("works with no variable set: local defaults", () => {
    const empty = { DATABASE_URL: undefined, REDIS_URL: undefined, HTTP_PORT: undefined, CORS_ORIGINS: undefined } as Record<string, string | undefined>
    const http = Effect.runSync(read(HttpConfig).pipe(Effect.provide(withEnv(empty))))
    expect(http.port).toBe(8000)
    const database = Effect.runSync(read(DatabaseConfig).pipe(Effect.provide(withEnv(empty))))
    expect(String(database.url)).not.toContain("postgres://")
    expect(database.poolMax).toBe(10)
  })

  it("a malformed value is refused with a line naming the variable and what was expected", () => {
    expect(failureOf(read(HttpConfig), { HTTP_PORT: "huit mille" })).toMatch(/^HTTP_PORT: expected /u)
    expect(failureOf(read(HttpConfig), { CORS_ORIGINS: "not an origin" })).toMatch(/^CORS_ORIGINS: expected \* or a comma-separated list/u)
    expect(failureOf(read(DatabaseConfig), { DATABASE_URL: "mysql://root@localhost/nelo" })).toBe("DATABASE_URL: expected a postgres:// URL")
    expect(failureOf(read(DatabaseConfig), { DATABASE_POOL_MAX: "1.5" })).toBe("DATABASE_POOL_MAX: expected an integer")
    expect(failureOf(read(RedisConfig), { REDIS_URL: "localhost:6379" })).toBe("REDIS_URL: expected a redis:// URL")
    expect(failureOf(read(RedisConfig), { REDIS_KEY_PREFIX: "Has Spaces" })).toMatch(/^REDIS_KEY_PREFIX: expected lowercase/u)
    // Zero or negative would spin a loop, turn a job off, or block every transfer.
    expect(failureOf(read(WorkerConfig), { TOPUP_RECHECK_INTERVAL_MS: "0" })).toMatch(/^TOPUP_RECHECK_INTERVAL_MS: expected /u)
    expect(failureOf(read(WorkerConfig), { TOPUP_RECHECK_BATCH_SIZE: "-1" })).toMatch(/^TOPUP_RECHECK_BATCH_SIZE: expected /u)
    const walletPolicy = Effect.flatMap(Layer.build(WalletPolicyFromConfig), (context) => Effect.succeed(Context.get(context, WalletPolicy))).pipe(Effect.scoped)
    expect(failureOf(walletPolicy, { WALLET_DAILY_LIMIT_XOF: "-5" })).toMatch(/^WALLET_DAILY_LIMIT_XOF: expected /u)
    expect(failureOf(walletPolicy, { WALLET_ALERT_PHONES: "0701020304" })).toMatch(/^WALLET_ALERT_PHONES: expected /u)
    expect(Effect.runSync(walletPolicy.pipe(Effect.provide(withEnv({ WALLET_FREEZE_AFTER_NEW_RECEIVERS_PER_HOUR: "0", WALLET_ALERT_PHONES: "+2250701020304,+2250501020304" })))))
      .toMatchObject({ freezeAfterNewReceiversPerHour: 0, alertPhones: ["+2250701020304", "+2250501020304"] })
  })

  it("the API and the worker refuse to start on a bad value, saying which in one line on stderr", async () => {
    const api = await runNode("apps/http/src/main.ts", [], { HTTP_PORT: "abc" })
    expect(api.code).toBe(1)
    expect(api.stderr.trim()).toBe("nelo api: cannot start: HTTP_PORT: expected a string representing a finite number")
    const worker = await runNode("apps/worker/src/main.ts", [], { LOG_LEVEL: "loud" })
    expect(worker.code).toBe(1)
    expect(worker.stderr.trim()).toMatch(/^nelo worker: cannot start: LOG_LEVEL: expected "trace" \| "debug"/u)
  })

  it("the worker refuses the console SMS adapter in production", async () => {
    const worker = await runNode("apps/worker/src/main.ts", [], { NODE_ENV: "production" })
    expect(worker.code).toBe(1)
    expect(worker.stderr).toMatch(/SMS_PROVIDER: orange or twilio is required/u)
  })
})
