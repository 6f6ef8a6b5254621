// What the statement checks (bench/orderStatements.ts, bench/deliveryStatements.ts) share: psql as
// a superuser on the server of a database URL, and the statements one database's sessions executed,
// read from the server's log (`log_statement = 'all'` set on that database only).
import { spawnSync } from "node:child_process"
import { closeSync, openSync, readSync, statSync } from "node:fs"

/** Runs one SQL command with psql against the `postgres` database of the server `databaseUrl` names. */
export const psqlOn = (databaseUrl: string) => (command: string) => {
  const url = new URL(databaseUrl)
  const result = spawnSync("psql", ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", command], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    encoding: "utf8"
  })
  if (result.status !== 0) throw new Error(`psql -c "${command}" failed: ${result.stderr}`)
}

/** A file from `offset` to its end: what the server logged since. */
export const readFrom = (file: string, offset: number) => {
  const size = statSync(file).size
  const buffer = Buffer.alloc(size - offset)
  const descriptor = openSync(file, "r")
  readSync(descriptor, buffer, 0, buffer.length, offset)
  closeSync(descriptor)
  return buffer.toString("utf8")
}

/** The statements `databaseName`'s sessions executed in a piece of the log, whitespace collapsed. */
export const statementsIn = (log: string, databaseName: string) => {
  const statements: Array<string> = []
  let current: string | undefined
  for (const line of log.split("\n")) {
    if (line.startsWith("\t") && current !== undefined) {
      current += ` ${line.trim()}`
      continue
    }
    if (current !== undefined) statements.push(current)
    current = undefined
    const match = new RegExp(`@${databaseName} LOG:\\s+(?:execute [^:]+|statement): (.*)$`, "u").exec(line)
    if (match !== null) current = match[1]!.trim()
  }
  if (current !== undefined) statements.push(current)
  // A statement whose text starts on the next line (a template literal) gets no leading space.
  return statements.map((text) => text.replace(/\s+/gu, " ").replace(/\( /gu, "(").replace(/ \)/gu, ")").trim())
}
