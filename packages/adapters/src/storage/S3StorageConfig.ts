import { Config, Option, Schema } from "effect"
import { HttpBaseUrl, withoutTrailingSlash } from "./FilesystemStorageConfig.ts"

const BucketName = Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u, {
  expected: "an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-'"
})))

// R2 accepts only "auto" as region; MinIO, Swift and most others expect AWS's first region.
const defaultRegion = (endpoint: string) => (new URL(endpoint).hostname.endsWith(".r2.cloudflarestorage.com") ? "auto" : "us-east-1")

/** An S3-compatible object store: AWS S3, MinIO, Cloudflare R2, OpenStack Swift's s3api. */
export const S3StorageConfig = Config.all({
  endpoint: Config.schema(HttpBaseUrl, "S3_ENDPOINT").pipe(Config.map(withoutTrailingSlash)),
  region: Config.String("S3_REGION").pipe(Config.option),
  bucket: Config.schema(BucketName, "S3_BUCKET"),
  accessKeyId: Config.String("S3_ACCESS_KEY_ID"),
  secretAccessKey: Config.Redacted("S3_SECRET_ACCESS_KEY"),
  publicBaseUrl: Config.schema(HttpBaseUrl, "S3_PUBLIC_BASE_URL").pipe(Config.option),
  forcePathStyle: Config.Boolean("S3_FORCE_PATH_STYLE").pipe(Config.withDefault(true)),
  publicReadAcl: Config.Boolean("S3_PUBLIC_READ_ACL").pipe(Config.withDefault(false)),
  requestTimeoutMs: Config.Int("S3_REQUEST_TIMEOUT_MS").pipe(Config.withDefault(30_000))
}).pipe(Config.map((config) => {
  const endpoint = new URL(config.endpoint)
  // Path style (endpoint/bucket/key) works everywhere, MinIO and Swift need it; virtual-hosted
  // style (bucket.endpoint/key) is what AWS prefers.
  const bucketUrl = config.forcePathStyle
    ? `${config.endpoint}/${config.bucket}`
    : `${endpoint.protocol}//${config.bucket}.${endpoint.host}${withoutTrailingSlash(endpoint.pathname)}`
  return {
    ...config,
    region: Option.getOrElse(config.region, () => defaultRegion(config.endpoint)),
    bucketUrl,
    // Without a CDN or custom domain in front, public objects are read from the bucket itself.
    publicBaseUrl: Option.match(config.publicBaseUrl, { onNone: () => bucketUrl, onSome: withoutTrailingSlash })
  }
}))
export type S3StorageConfig = Config.Success<typeof S3StorageConfig>
