import { ConfigProvider } from "effect"

/** Config read from this process's env with some variables overridden (or removed with undefined). */
export const withEnv = (overrides: Record<string, string | undefined>) => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...process.env, ...overrides })) if (value !== undefined) env[key] = value
  return ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))
}

export type WithEnv = ReturnType<typeof withEnv>
