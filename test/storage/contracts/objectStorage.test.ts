import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Option } from "effect"
import { ObjectStorageMemory, memoryStoragePublicBaseUrl, memoryStorageSigningSecret } from "@nelo/adapters/memory/ObjectStorageMemory"
import { ObjectStorageFilesystem, verifyStorageSignature } from "@nelo/adapters/storage/ObjectStorageFilesystem"
import { ObjectStorageFromConfig } from "@nelo/adapters/storage/ObjectStorageFromConfig"
import { ObjectStorageS3 } from "@nelo/adapters/storage/ObjectStorageS3"
import { presignUrl, sha256Hex, signRequestHeaders } from "@nelo/adapters/storage/awsSignatureV4"
import { storageSignature } from "@nelo/adapters/storage/storageSignature"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { withEnv } from "../../support/withEnv.ts"
import { objectStorageContract } from "./objectStorageContract.ts"

// ---------------------------------------------------------------------------------------------
// A real S3-compatible server for the S3 adapter: OpenStack Swift with its s3api middleware (the S3
// API that Swift clusters serve in production), from Debian's packages. MinIO has no Debian package
// and no npm package that carries its binary, and this machine reaches only npm and Debian.
// One proxy, account, container and object server, one replica, in a temp directory, on free ports.

const swiftPackages = ["swift-proxy", "swift-account", "swift-container", "swift-object"]
const swiftAccessKeyId = "nelo:tester" // tempauth's "account:user" is the S3 access key id
const swiftSecretAccessKey = "nelo-swift-test-secret"

const commandExists = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0

/** Installs Swift from Debian when it is missing and this process may (root with apt-get), as `nelo setup` does for PostGIS. */
const ensureSwiftInstalled = () => {
  if (commandExists("swift-proxy-server")) return
  const installCommand = `apt-get install -y --no-install-recommends ${swiftPackages.join(" ")}`
  if (process.getuid?.() === 0 && commandExists("apt-get")) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
    spawnSync("apt-get", ["update", "-qq"], { env, stdio: "ignore" })
    const installed = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...swiftPackages], { env, encoding: "utf8" })
    if (installed.status === 0 && commandExists("swift-proxy-server")) return
    throw new Error(`Could not install OpenStack Swift (${installCommand}): ${installed.stderr}`)
  }
  throw new Error(`The S3 tests need OpenStack Swift from Debian: run \`sudo ${installCommand}\`, then run the tests again.`)
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

const run = (command: string, args: ReadonlyArray<string>) => {
  const result = spawnSync(command, args, { encoding: "utf8" })
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr || result.stdout}`)
}

// Every server: loopback only, one process (workers = 0, so stopping it stops everything), this user.
const defaults = (directory: string, port: number) => `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = ${userInfo().username}
swift_dir = ${directory}
log_level = WARNING
`

const serverConfig = (directory: string, kind: string, port: number) => `${defaults(directory, port)}devices = ${directory}/devices
mount_check = false

[pipeline:main]
pipeline = ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}
`

// The middlewares of the proxy pipeline that need nothing but their name.
const filtersWithoutSettings = ["catch_errors", "gatekeeper", "healthcheck", "proxy-logging", "listing_formats", "copy", "slo", "dlo", "versioned_writes"]

const proxyConfig = (directory: string, port: number) => `${defaults(directory, port)}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:tempauth]
use = egg:swift#tempauth
user_nelo_tester = ${swiftSecretAccessKey} .admin

[filter:cache]
use = egg:swift#memcache
# No memcached: tempauth checks S3 signatures without it, and the client only logs the refusal.
memcache_servers = 127.0.0.1:1

${filtersWithoutSettings.map((name) => `[filter:${name}]\nuse = egg:swift#${name.replace("-", "_")}\n`).join("")}`

interface SwiftS3 {
  readonly endpoint: string
  readonly bucket: string
  readonly stop: () => Promise<void>
}

const stopProcess = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000)
    child.once("exit", () => {
      clearTimeout(killer)
      resolve()
    })
    child.kill("SIGTERM")
  })

/** Starts Swift, waits until it answers S3 requests, and creates a bucket. */
const startSwiftS3 = async (): Promise<SwiftS3> => {
  ensureSwiftInstalled()
  const directory = await mkdtemp(join(tmpdir(), "nelo-swift-"))
  const children: Array<ChildProcess> = []
  let output = ""
  const stop = async () => {
    await Promise.all(children.map(stopProcess))
    await rm(directory, { recursive: true, force: true })
  }
  try {
    await mkdir(join(directory, "devices", "d1"), { recursive: true })
    await writeFile(join(directory, "swift.conf"), "[swift-hash]\nswift_hash_path_suffix = nelo-test\nswift_hash_path_prefix = nelo-test\n\n[storage-policy:0]\nname = default\ndefault = yes\n")
    const ports = { proxy: await freePort(), account: await freePort(), container: await freePort(), object: await freePort() }
    for (const kind of ["account", "container", "object"] as const) {
      await writeFile(join(directory, `${kind}-server.conf`), serverConfig(directory, kind, ports[kind]))
      const builder = join(directory, `${kind}.builder`)
      run("swift-ring-builder", [builder, "create", "2", "1", "1"])
      run("swift-ring-builder", [builder, "add", `r1z1-127.0.0.1:${ports[kind]}/d1`, "1"])
      run("swift-ring-builder", [builder, "rebalance"])
    }
    await writeFile(join(directory, "proxy-server.conf"), proxyConfig(directory, ports.proxy))
    for (const kind of ["account", "container", "object", "proxy"]) {
      const child = spawn(`swift-${kind}-server`, [join(directory, `${kind}-server.conf`), "--verbose"], { stdio: ["ignore", "pipe", "pipe"] })
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000))
      child.stdout?.on("data", keep)
      child.stderr?.on("data", keep)
      children.push(child)
    }

    const endpoint = `http://127.0.0.1:${ports.proxy}`
    const bucket = `nelo-test-${randomBytes(4).toString("hex")}`
    const credentials = { accessKeyId: swiftAccessKeyId, secretAccessKey: swiftSecretAccessKey, region: "us-east-1" }
    const deadline = Date.now() + 60_000
    // The proxy answers before the account and container servers do: retry until the bucket exists.
    for (;;) {
      const exited = children.find((child) => child.exitCode !== null)
      if (exited) throw new Error(`${exited.spawnfile} stopped (exit ${exited.exitCode})`)
      const url = new URL(`${endpoint}/${bucket}`)
      const headers = signRequestHeaders({ method: "PUT", url, headers: {}, payloadHash: sha256Hex("") }, credentials, Date.now())
      const status = await fetch(url, { method: "PUT", headers }).then((response) => response.status, () => 0)
      if (status === 200) return { endpoint, bucket, stop }
      if (Date.now() > deadline) throw new Error(`Swift did not create the bucket within 60 s (last status ${status})`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } catch (error) {
    await stop()
    throw new Error(`Could not start OpenStack Swift: ${error instanceof Error ? error.message : String(error)}\n${output}`)
  }
}

let swift: SwiftS3 | undefined
beforeAll(async () => {
  swift = await startSwiftS3()
}, 600_000) // the first run on a fresh machine installs Swift from Debian
afterAll(async () => {
  await swift?.stop()
}, 30_000)

const s3Env = (overrides: Record<string, string | undefined> = {}) => {
  if (!swift) throw new Error("Swift is not running")
  return withEnv({
    S3_ENDPOINT: swift.endpoint,
    S3_BUCKET: swift.bucket,
    S3_ACCESS_KEY_ID: swiftAccessKeyId,
    S3_SECRET_ACCESS_KEY: swiftSecretAccessKey,
    S3_PUBLIC_BASE_URL: "https://avatars.nelo.test/",
    S3_REGION: undefined,
    S3_FORCE_PATH_STYLE: undefined,
    S3_REQUEST_TIMEOUT_MS: "10000",
    ...overrides
  })
}

// Built when the suite starts (after beforeAll), so Swift's port is known by then.
const s3Storage = (overrides: Record<string, string | undefined> = {}) =>
  Layer.unwrap(Effect.sync(() => ObjectStorageS3.pipe(Layer.provide(s3Env(overrides)))))

const buildStorage = <E>(storageLayer: Layer.Layer<ObjectStorage, E>) =>
  Layer.build(storageLayer).pipe(Effect.map((context) => Context.get(context, ObjectStorage)))

// ---------------------------------------------------------------------------------------------
// Opening a signed URL as its consumer would.

const fetchSignedUrl = (url: string, afterSeconds: number) =>
  Effect.gen(function*() {
    yield* Effect.sleep(afterSeconds * 1000)
    const response = yield* Effect.promise(() => fetch(url))
    const bytes = new Uint8Array(yield* Effect.promise(() => response.arrayBuffer()))
    if (response.status === 200) return Option.some(bytes)
    assert.strictEqual(response.status, 403, new TextDecoder().decode(bytes))
    return Option.none()
  })

/** What the HTTP app will do for `<base>/private/<key>?expires=…&signature=…`. */
const verifyThenRead = (publicBaseUrl: string, secret: string) => (url: string, afterSeconds: number) =>
  Effect.gen(function*() {
    const prefix = `${publicBaseUrl}/private/`
    assert.isTrue(url.startsWith(prefix), url)
    const parsed = new URL(url)
    const key = url.slice(prefix.length).split("?")[0]!
    const granted = verifyStorageSignature(key, parsed.searchParams.get("expires") ?? "", parsed.searchParams.get("signature") ?? "", secret, Date.now() + afterSeconds * 1000)
    if (!granted) return Option.none<Uint8Array>()
    return Option.map(yield* (yield* ObjectStorage).get(key), (stored) => stored.bytes)
  })

// ---------------------------------------------------------------------------------------------
// The same contract, three adapters.

const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "nelo-storage-"))),
  (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
)

const filesystemSecret = "filesystem-contract-signing-secret-0123456789"
const filesystemEnv = (directory: string, overrides: Record<string, string | undefined> = {}) =>
  withEnv({
    STORAGE_DIRECTORY: directory,
    STORAGE_PUBLIC_BASE_URL: "https://cdn.nelo.test/files/",
    STORAGE_SIGNING_SECRET: filesystemSecret,
    ...overrides
  })

objectStorageContract("memory", ObjectStorageMemory, {
  publicBaseUrl: memoryStoragePublicBaseUrl,
  openSignedUrl: verifyThenRead(memoryStoragePublicBaseUrl, memoryStorageSigningSecret)
})

objectStorageContract(
  "filesystem",
  Layer.unwrap(temporaryDirectory.pipe(Effect.map((directory) => ObjectStorageFilesystem.pipe(Layer.provide(filesystemEnv(directory)))))),
  { publicBaseUrl: "https://cdn.nelo.test/files", openSignedUrl: verifyThenRead("https://cdn.nelo.test/files", filesystemSecret) }
)

objectStorageContract("s3 (OpenStack Swift s3api)", s3Storage(), {
  publicBaseUrl: "https://avatars.nelo.test",
  openSignedUrl: fetchSignedUrl
})

// ---------------------------------------------------------------------------------------------
// What only one adapter has.

layer(Layer.empty, { excludeTestServices: true })("ObjectStorageS3", (it) => {
  it.effect("an unreachable endpoint is StorageUnavailable, for every operation", () =>
    Effect.scoped(Effect.gen(function*() {
      const storage = yield* buildStorage(s3Storage({ S3_ENDPOINT: "http://127.0.0.1:1" }))
      const failures = [
        yield* Effect.flip(storage.put("avatars/u/a.webp", Uint8Array.of(1), { contentType: "image/webp", visibility: "public" })),
        yield* Effect.flip(storage.get("avatars/u/a.webp")),
        yield* Effect.flip(storage.delete("avatars/u/a.webp"))
      ]
      assert.deepStrictEqual(failures.map((failure) => [failure._tag, failure.operation]), [
        ["StorageUnavailable", "put"],
        ["StorageUnavailable", "get"],
        ["StorageUnavailable", "delete"]
      ])
    })))

  it.effect("a wrong secret is StorageUnavailable naming S3's refusal, never the secret", () =>
    Effect.scoped(Effect.gen(function*() {
      const storage = yield* buildStorage(s3Storage({ S3_SECRET_ACCESS_KEY: "not-the-swift-secret" }))
      const failure = yield* Effect.flip(storage.put("avatars/u/a.webp", Uint8Array.of(1), { contentType: "image/webp", visibility: "public" }))
      assert.strictEqual(failure._tag, "StorageUnavailable")
      assert.match(String(failure.cause), /HTTP 403/u)
      assert.notInclude(String(failure.cause), "not-the-swift-secret")
    })))

  it.effect("a missing bucket is StorageUnavailable, not a missing object", () =>
    Effect.scoped(Effect.gen(function*() {
      const storage = yield* buildStorage(s3Storage({ S3_BUCKET: "nelo-no-such-bucket" }))
      const failure = yield* Effect.flip(storage.get("avatars/u/a.webp"))
      assert.match(String(failure.cause), /NoSuchBucket/u)
    })))

  it.effect("without S3_PUBLIC_BASE_URL public URLs point into the bucket; region and path style follow the endpoint", () =>
    Effect.scoped(Effect.gen(function*() {
      const pathStyle = yield* buildStorage(s3Storage({ S3_PUBLIC_BASE_URL: undefined }))
      assert.strictEqual(pathStyle.publicUrl("avatars/u/a.webp"), `${swift!.endpoint}/${swift!.bucket}/avatars/u/a.webp`)
      const r2 = yield* buildStorage(s3Storage({
        S3_ENDPOINT: "https://0123456789abcdef.r2.cloudflarestorage.com",
        S3_PUBLIC_BASE_URL: undefined,
        S3_FORCE_PATH_STYLE: "false"
      }))
      assert.strictEqual(r2.publicUrl("avatars/u/a.webp"), `https://${swift!.bucket}.0123456789abcdef.r2.cloudflarestorage.com/avatars/u/a.webp`)
      const presigned = new URL(yield* r2.signedUrl("kyc/u/card.jpg", 60))
      assert.match(presigned.searchParams.get("X-Amz-Credential") ?? "", /\/auto\/s3\/aws4_request$/u)
      assert.strictEqual(presigned.searchParams.get("X-Amz-Expires"), "60")
    })))
})

describe("awsSignatureV4", () => {
  // The examples of AWS's documentation (Authenticating Requests: AWS Signature Version 4).
  const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1" }
  const documentedInstant = Date.UTC(2013, 4, 24)

  it("signs a GET with headers as AWS's example does", () => {
    const headers = signRequestHeaders({
      method: "GET",
      url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
      headers: { Range: "bytes=0-9" },
      payloadHash: sha256Hex("")
    }, credentials, documentedInstant)
    assert.match(headers.authorization!, /SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41$/u)
  })

  it("presigns a GET as AWS's example does", () => {
    const url = presignUrl({ method: "GET", url: new URL("https://examplebucket.s3.amazonaws.com/test.txt") }, credentials, 86_400, documentedInstant)
    assert.strictEqual(url, "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
  })
})

describe("verifyStorageSignature", () => {
  const secret = "verify-storage-signature-secret-0123456789"
  const key = "kyc/0190a8b2/identity-card.jpg"
  const nowMs = Date.UTC(2026, 0, 1)
  const expires = nowMs / 1000 + 300
  const signature = storageSignature(key, expires, secret)

  it("grants the key and expiry it was made for, until the expiry", () => {
    assert.isTrue(verifyStorageSignature(key, String(expires), signature, secret, nowMs))
    assert.isTrue(verifyStorageSignature(key, expires, signature, secret, expires * 1000 - 1))
  })

  it("refuses once expired, and for another key, expiry, secret or signature", () => {
    assert.isFalse(verifyStorageSignature(key, expires, signature, secret, expires * 1000))
    assert.isFalse(verifyStorageSignature("kyc/0190a8b2/selfie.jpg", expires, signature, secret, nowMs))
    assert.isFalse(verifyStorageSignature(key, expires + 3600, signature, secret, nowMs))
    assert.isFalse(verifyStorageSignature(key, expires, signature, "another-secret-of-at-least-32-characters", nowMs))
    assert.isFalse(verifyStorageSignature(key, expires, `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`, secret, nowMs))
  })

  it("refuses malformed input without throwing", () => {
    for (const [badExpires, badSignature] of [
      ["", signature],
      ["soon", signature],
      [`${expires}.5`, signature],
      [String(expires), ""],
      [String(expires), signature.toUpperCase()],
      [String(expires), signature.slice(0, 32)],
      [String(expires), `${signature}00`]
    ] as const) {
      assert.isFalse(verifyStorageSignature(key, badExpires, badSignature, secret, nowMs))
    }
  })
})

layer(Layer.empty, { excludeTestServices: true })("ObjectStorageFilesystem", (it) => {
  it.effect("keeps public and private objects in separate trees, the content type in a sidecar, no temporary file", () =>
    Effect.scoped(Effect.gen(function*() {
      const directory = yield* temporaryDirectory
      const storage = yield* buildStorage(ObjectStorageFilesystem.pipe(Layer.provide(filesystemEnv(directory))))
      yield* storage.put("avatars/u1/a.webp", Uint8Array.of(1, 2), { contentType: "image/webp", visibility: "public" })
      yield* storage.put("kyc/u1/card.jpg", Uint8Array.of(3), { contentType: "image/jpeg", visibility: "private" })
      assert.deepStrictEqual([...(yield* Effect.promise(() => readFile(join(directory, "public/avatars/u1/a.webp"))))], [1, 2])
      assert.deepStrictEqual([...(yield* Effect.promise(() => readFile(join(directory, "private/kyc/u1/card.jpg"))))], [3])
      assert.isFalse(existsSync(join(directory, "public/kyc/u1/card.jpg")))
      assert.deepStrictEqual(JSON.parse(yield* Effect.promise(() => readFile(join(directory, "metadata/kyc/u1/card.jpg~.json"), "utf8"))), {
        contentType: "image/jpeg",
        visibility: "private"
      })
      assert.deepStrictEqual(yield* Effect.promise(() => readdir(join(directory, "tmp"))), [])
    })))

  it.effect("an object made private leaves the public tree at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const directory = yield* temporaryDirectory
      const storage = yield* buildStorage(ObjectStorageFilesystem.pipe(Layer.provide(filesystemEnv(directory))))
      yield* storage.put("avatars/u1/a.webp", Uint8Array.of(1), { contentType: "image/webp", visibility: "public" })
      yield* storage.put("avatars/u1/a.webp", Uint8Array.of(2), { contentType: "image/webp", visibility: "private" })
      assert.isFalse(existsSync(join(directory, "public/avatars/u1/a.webp")))
      yield* storage.delete("avatars/u1/a.webp")
      assert.isFalse(existsSync(join(directory, "private/avatars/u1/a.webp")))
      assert.isFalse(existsSync(join(directory, "metadata/avatars/u1/a.webp~.json")))
    })))

  it.effect("a directory it cannot write is StorageUnavailable", () =>
    Effect.scoped(Effect.gen(function*() {
      const directory = yield* temporaryDirectory
      // A file where the storage directory should be: no permission trick, so it fails as root too.
      const blocked = join(directory, "not-a-directory")
      yield* Effect.promise(() => writeFile(blocked, "file"))
      const storage = yield* buildStorage(ObjectStorageFilesystem.pipe(Layer.provide(filesystemEnv(blocked))))
      const failure = yield* Effect.flip(storage.put("avatars/u1/a.webp", Uint8Array.of(1), { contentType: "image/webp", visibility: "public" }))
      assert.strictEqual(failure._tag, "StorageUnavailable")
      assert.isTrue((yield* Effect.promise(() => stat(blocked))).isFile())
    })))

  it.effect("production refuses the development signing secret and a short one", () =>
    Effect.scoped(Effect.gen(function*() {
      const directory = yield* temporaryDirectory
      const startWith = (overrides: Record<string, string | undefined>) =>
        Effect.exit(buildStorage(ObjectStorageFilesystem.pipe(Layer.provide(filesystemEnv(directory, overrides)))))
      const development = yield* startWith({ NODE_ENV: "production", STORAGE_SIGNING_SECRET: undefined })
      assert.isTrue(Exit.isFailure(development))
      assert.match(String(Exit.isFailure(development) ? development.cause : ""), /STORAGE_SIGNING_SECRET/u)
      assert.isTrue(Exit.isFailure(yield* startWith({ STORAGE_SIGNING_SECRET: "too-short" })))
      assert.isTrue(Exit.isSuccess(yield* startWith({ NODE_ENV: "development", STORAGE_SIGNING_SECRET: undefined })))
    })))
})

layer(Layer.empty, { excludeTestServices: true })("ObjectStorageFromConfig", (it) => {
  it.effect("STORAGE_DRIVER picks the filesystem by default, S3 when asked", () =>
    Effect.scoped(Effect.gen(function*() {
      const directory = yield* temporaryDirectory
      const byDefault = yield* buildStorage(ObjectStorageFromConfig.pipe(Layer.provide(filesystemEnv(directory, { STORAGE_DRIVER: undefined }))))
      assert.strictEqual(byDefault.publicUrl("avatars/u/a.webp"), "https://cdn.nelo.test/files/avatars/u/a.webp")
      const s3 = yield* buildStorage(ObjectStorageFromConfig.pipe(Layer.provide(s3Env({ STORAGE_DRIVER: "s3" }))))
      assert.strictEqual(s3.publicUrl("avatars/u/a.webp"), "https://avatars.nelo.test/avatars/u/a.webp")
      const unknown = yield* Effect.exit(buildStorage(ObjectStorageFromConfig.pipe(Layer.provide(filesystemEnv(directory, { STORAGE_DRIVER: "ftp" })))))
      assert.isTrue(Exit.isFailure(unknown))
    })))
})
