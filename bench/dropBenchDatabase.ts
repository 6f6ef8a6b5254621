import { spawnSync } from "node:child_process"

/** Drops a benchmark's own database (`dropdb --force`, whoever is connected), if it exists. */
export const dropBenchDatabase = (databaseUrl: string, databaseName: string) => {
  const url = new URL(databaseUrl)
  const drop = spawnSync("dropdb", ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), "--if-exists", "--force", databaseName], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    encoding: "utf8"
  })
  if (drop.status !== 0) throw new Error(`dropdb ${databaseName} failed: ${drop.stderr}`)
}
