import { Config } from "effect"

/** How queued jobs are retried and kept. Failed jobs are never removed: they wait for inspection. */
export const JobsConfig = Config.all({
  attempts: Config.Int("JOB_ATTEMPTS").pipe(Config.withDefault(5)),
  backoffMs: Config.Int("JOB_BACKOFF_MS").pipe(Config.withDefault(2_000)),
  keepCompletedSeconds: Config.Int("JOB_KEEP_COMPLETED_SECONDS").pipe(Config.withDefault(7 * 24 * 3600))
})
export type JobsConfig = Config.Success<typeof JobsConfig>
