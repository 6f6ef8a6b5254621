import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { afterAll } from "vitest"
import sharp from "sharp"
import { client, expectProblem } from "../../support/authClient.ts"
import { cli } from "../../support/runProcess.ts"
import { startApi } from "../../support/startApi.ts"

// Uploads go to a filesystem storage in a temporary directory, served by the API itself.
const storageDirectory = mkdtempSync(join(tmpdir(), "nelo-uploads-"))
const env = { TRUSTED_PROXY_HOPS: "1", STORAGE_DRIVER: "filesystem", STORAGE_DIRECTORY: storageDirectory }
afterAll(() => rmSync(storageDirectory, { recursive: true, force: true }))

/** A phone photo: a JPEG with EXIF metadata (camera, and the GPS position of the person's home). */
const phonePhoto = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: "Tecno", Model: "Spark 10" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "5/1 53/1 52/1", GPSLongitudeRef: "W", GPSLongitude: "4/1 49/1 19/1" } })
    .toBuffer()

const pdf = () => Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

const upload = (url: string, token: string, fields: Record<string, string | { bytes: Uint8Array; name: string; type: string }>) =>
  Effect.promise(async () => {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "string") form.append(name, value)
      else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name)
    }
    const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "2001:db8::99" }, body: form })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

/** The stored file's URL points at the configured public base; fetch its path from the test server. */
const fetchFromApi = (apiUrl: string, fileUrl: string) =>
  Effect.promise(async () => {
    const { pathname, search } = new URL(fileUrl)
    const response = await fetch(`${apiUrl}${pathname}${search}`)
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
  })

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("uploads: avatar and KYC documents", (it) => {
  it.effect("avatar: a phone photo becomes a 512 px WebP without its metadata, served publicly; the old one is deleted", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { request, registered } = client(api)
      const account = yield* registered()
      const photo = yield* Effect.promise(phonePhoto)
      assert.isDefined((yield* Effect.promise(() => sharp(photo).metadata())).exif, "the test photo carries EXIF")

      const changed = yield* upload(`${api.url}/api/v1/users/me/avatar`, account.accessToken, { file: { bytes: photo, name: "IMG_2026.jpg", type: "image/jpeg" } })
      assert.strictEqual(changed.status, 200, JSON.stringify(changed.body))
      const served = yield* fetchFromApi(api.url, changed.body.avatarUrl)
      assert.strictEqual(served.status, 200)
      assert.strictEqual(served.headers.get("content-type"), "image/webp")
      const metadata = yield* Effect.promise(() => sharp(served.bytes).metadata())
      assert.strictEqual(metadata.format, "webp")
      assert.strictEqual(metadata.width, 512)
      assert.strictEqual(metadata.height, 512)
      assert.isUndefined(metadata.exif, "no EXIF (no GPS position) in the served avatar")
      assert.strictEqual((yield* request("GET", "/api/v1/users/me", { token: account.accessToken })).body.avatarUrl, changed.body.avatarUrl)

      const again = yield* upload(`${api.url}/api/v1/users/me/avatar`, account.accessToken, { file: { bytes: photo, name: "b.jpg", type: "image/jpeg" } })
      assert.notStrictEqual(again.body.avatarUrl, changed.body.avatarUrl)
      assert.strictEqual((yield* fetchFromApi(api.url, changed.body.avatarUrl)).status, 404, "the previous photo is gone")
    })))

  it.effect("avatar: the type comes from the bytes, not the name; too large or unreadable files are refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { registered } = client(api)
      const account = yield* registered()
      const send = (bytes: Uint8Array, name: string, type: string) =>
        upload(`${api.url}/api/v1/users/me/avatar`, account.accessToken, { file: { bytes, name, type } })
      expectProblem(yield* send(pdf(), "photo.jpg", "image/jpeg"), 415, "unsupported_file_type")
      expectProblem(yield* send(Buffer.from("<?php system($_GET['c']); ?>"), "photo.jpg", "image/jpeg"), 415, "unsupported_file_type")
      const truncatedJpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70])
      expectProblem(yield* send(truncatedJpeg, "photo.jpg", "image/jpeg"), 422, "image_unreadable")
      const oversized = new Uint8Array(5 * 1024 * 1024 + 1)
      oversized.set([0xff, 0xd8, 0xff])
      expectProblem(yield* send(oversized, "big.jpg", "image/jpeg"), 413, "file_too_large")
      const missingFile = yield* upload(`${api.url}/api/v1/users/me/avatar`, account.accessToken, { other: "x" })
      assert.strictEqual(missingFile.status, 400)
    })))

  it.effect("KYC: a document is stored privately, listed with a short-lived link; tampered links and other users see nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { request, registered } = client(api)
      const driver = yield* registered()
      const stranger = yield* registered()
      assert.strictEqual((yield* request("GET", "/api/v1/users/me/kyc", { token: driver.accessToken })).body.status, "none")

      const sent = yield* upload(`${api.url}/api/v1/users/me/kyc/documents`, driver.accessToken, { type: "driving_licence", file: { bytes: pdf(), name: "permis.pdf", type: "application/pdf" } })
      assert.strictEqual(sent.status, 201, JSON.stringify(sent.body))
      assert.strictEqual(sent.body.contentType, "application/pdf")
      const kyc = (yield* request("GET", "/api/v1/users/me/kyc", { token: driver.accessToken })).body
      assert.strictEqual(kyc.status, "pending")
      assert.strictEqual(kyc.documents.length, 1)
      const link = kyc.documents[0].url as string
      assert.match(link, /\/files\/private\/kyc\/.+\?expires=\d+&signature=[0-9a-f]{64}$/u)
      const file = yield* fetchFromApi(api.url, link)
      assert.strictEqual(file.status, 200)
      assert.strictEqual(file.headers.get("cache-control"), "private, no-store")
      assert.deepStrictEqual(Buffer.from(file.bytes), pdf())

      const tampered = link.replace(/signature=([0-9a-f])/u, (_, first: string) => `signature=${first === "0" ? "1" : "0"}`)
      assert.strictEqual((yield* fetchFromApi(api.url, tampered)).status, 404)
      const unsigned = link.split("?")[0]!
      assert.strictEqual((yield* fetchFromApi(api.url, unsigned)).status, 404)
      // The private file is not reachable as a public one either.
      assert.strictEqual((yield* fetchFromApi(api.url, unsigned.replace("/files/private/", "/files/"))).status, 404)
      assert.strictEqual((yield* request("GET", "/api/v1/users/me/kyc", { token: stranger.accessToken })).body.status, "none")

      const badType = yield* upload(`${api.url}/api/v1/users/me/kyc/documents`, driver.accessToken, { type: "passport", file: { bytes: pdf(), name: "p.pdf", type: "application/pdf" } })
      expectProblem(badType, 400, "invalid_request")

      // An admin decides from the terminal.
      const shown = yield* Effect.promise(() => cli(["kyc", "show", "--phone", driver.phone], { STORAGE_DIRECTORY: storageDirectory }))
      assert.strictEqual(shown.code, 0, shown.stderr)
      assert.match(shown.stdout, /en attente/u)
      assert.match(shown.stdout, /driving_licence {2}application\/pdf/u)
      assert.match((yield* Effect.promise(() => cli(["kyc", "list"]))).stdout, new RegExp(driver.user.id, "u"))
      const refusal = yield* Effect.promise(() => cli(["kyc", "reject", "--phone", driver.phone, "--reason", "Photo floue : renvoyez le recto du permis."]))
      assert.strictEqual(refusal.code, 0, refusal.stderr)
      const rejected = (yield* request("GET", "/api/v1/users/me/kyc", { token: driver.accessToken })).body
      assert.strictEqual(rejected.status, "rejected")
      assert.strictEqual(rejected.rejectionReason, "Photo floue : renvoyez le recto du permis.")
      const twice = yield* Effect.promise(() => cli(["kyc", "approve", "--phone", driver.phone]))
      assert.strictEqual(twice.code, 1)
      assert.match(twice.stderr, /pas de KYC en attente/u)
      const noReason = yield* Effect.promise(() => cli(["kyc", "reject", "--phone", driver.phone]))
      assert.strictEqual(noReason.code, 1)

      yield* upload(`${api.url}/api/v1/users/me/kyc/documents`, driver.accessToken, { type: "driving_licence", file: { bytes: pdf(), name: "permis2.pdf", type: "application/pdf" } })
      assert.strictEqual((yield* Effect.promise(() => cli(["kyc", "approve", "--phone", driver.phone]))).code, 0)
      assert.strictEqual((yield* request("GET", "/api/v1/users/me/kyc", { token: driver.accessToken })).body.status, "approved")
    })), 120_000) // an API and nelo-admin processes, on two cores shared with the suite
})
