import { Config, Schema } from "effect"

const Origins = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^(?:\*|https?:\/\/[^\s,]+(?:,https?:\/\/[^\s,]+)*)$/u, {
    expected: "* or a comma-separated list of http(s) origins"
  }))
)

export const HttpConfig = Config.all({
  host: Config.String("HTTP_HOST").pipe(Config.withDefault("0.0.0.0")),
  // 0 lets the system choose a free port (tests); the "Listening on" log line says which.
  port: Config.schema(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 65_535 }))), "HTTP_PORT").pipe(Config.withDefault(8000)),
  corsOrigins: Config.schema(Origins, "CORS_ORIGINS").pipe(
    Config.withDefault("http://localhost:3000,http://localhost:5173"),
    Config.map((origins) => origins.split(","))
  ),
  /** How often a quiet live stream (SSE) sends a heartbeat: below the idle timeouts of proxies (often 60 s). */
  liveHeartbeatMs: Config.schema(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1_000, maximum: 300_000 }))), "LIVE_HEARTBEAT_MS").pipe(Config.withDefault(20_000)),
  /**
   * How often a customer's live stream looks where the driver is (and sends it when he moved): the
   * issue's "at most every 5 s"; the phones send a point every few seconds anyway.
   */
  liveTrackingIntervalMs: Config.schema(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1_000, maximum: 60_000 }))), "LIVE_TRACKING_INTERVAL_MS").pipe(Config.withDefault(5_000)),
  /** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
  shutdownTimeoutMs: Config.Int("SHUTDOWN_TIMEOUT_MS").pipe(Config.withDefault(10_000))
})
export type HttpConfig = Config.Success<typeof HttpConfig>
