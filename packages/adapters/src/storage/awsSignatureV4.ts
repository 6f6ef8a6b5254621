import { createHash, createHmac } from "node:crypto"

/**
 * AWS Signature Version 4 for S3-compatible APIs (AWS, MinIO, Cloudflare R2, Swift's s3api): the
 * header form for requests the server sends itself, the query form for presigned URLs handed to
 * browsers. Written out here (about 80 lines of node:crypto) rather than pulling in an SDK.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
 */
export interface AwsSigningCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly region: string
}

export const unsignedPayload = "UNSIGNED-PAYLOAD"

const algorithm = "AWS4-HMAC-SHA256"
const service = "s3"

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex")

const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest()

// RFC 3986: encodeURIComponent leaves !'()* alone, which AWS wants escaped.
const encodeRfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/gu, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)

// S3 signs the path encoded once, each segment on its own (the slashes stay).
const canonicalPath = (url: URL) => url.pathname.split("/").map((segment) => encodeRfc3986(decodeURIComponent(segment))).join("/")

const canonicalQuery = (parameters: ReadonlyArray<readonly [string, string]>) =>
  parameters
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, aValue], [b, bValue]) => (a < b ? -1 : a > b ? 1 : aValue < bValue ? -1 : aValue > bValue ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&")

/** 20130524T000000Z */
const amazonDate = (nowMs: number) => new Date(nowMs).toISOString().replace(/[-:]/gu, "").replace(/\.\d{3}/u, "")

const signature = (credentials: AwsSigningCredentials, date: string, canonicalRequest: string) => {
  const day = date.slice(0, 8)
  const scope = `${day}/${credentials.region}/${service}/aws4_request`
  const stringToSign = [algorithm, date, scope, sha256Hex(canonicalRequest)].join("\n")
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), credentials.region), service), "aws4_request")
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex")
}

const credentialScope = (credentials: AwsSigningCredentials, date: string) =>
  `${credentials.accessKeyId}/${date.slice(0, 8)}/${credentials.region}/${service}/aws4_request`

/**
 * The headers to send with a request: the given ones plus host, x-amz-date, x-amz-content-sha256
 * and authorization. Every given header is signed, so none may be changed on the way.
 */
export const signRequestHeaders = (
  request: { readonly method: string; readonly url: URL; readonly headers: Readonly<Record<string, string>>; readonly payloadHash: string },
  credentials: AwsSigningCredentials,
  nowMs: number
): Record<string, string> => {
  const date = amazonDate(nowMs)
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value.trim()])),
    host: request.url.host,
    "x-amz-date": date,
    "x-amz-content-sha256": request.payloadHash
  }
  const names = Object.keys(headers).sort()
  const signedHeaders = names.join(";")
  const canonicalRequest = [
    request.method,
    canonicalPath(request.url),
    canonicalQuery([...request.url.searchParams]),
    names.map((name) => `${name}:${headers[name]}\n`).join(""),
    signedHeaders,
    request.payloadHash
  ].join("\n")
  const { host: _host, ...toSend } = headers
  return {
    ...toSend,
    authorization: `${algorithm} Credential=${credentialScope(credentials, date)}, SignedHeaders=${signedHeaders}, Signature=${signature(credentials, date, canonicalRequest)}`
  }
}

/** A URL that performs `method` on `url` without credentials until `expiresInSeconds` after `nowMs`. */
export const presignUrl = (
  request: { readonly method: string; readonly url: URL },
  credentials: AwsSigningCredentials,
  expiresInSeconds: number,
  nowMs: number
): string => {
  const date = amazonDate(nowMs)
  const parameters: Array<readonly [string, string]> = [
    ...request.url.searchParams,
    ["X-Amz-Algorithm", algorithm],
    ["X-Amz-Credential", credentialScope(credentials, date)],
    ["X-Amz-Date", date],
    ["X-Amz-Expires", String(expiresInSeconds)],
    ["X-Amz-SignedHeaders", "host"]
  ]
  const query = canonicalQuery(parameters)
  const canonicalRequest = [request.method, canonicalPath(request.url), query, `host:${request.url.host}\n`, "host", unsignedPayload].join("\n")
  return `${request.url.origin}${canonicalPath(request.url)}?${query}&X-Amz-Signature=${signature(credentials, date, canonicalRequest)}`
}
