import { Config, Effect, Layer } from "effect"
import { ObjectStorageFilesystem } from "./ObjectStorageFilesystem.ts"
import { ObjectStorageS3 } from "./ObjectStorageS3.ts"

/**
 * The ObjectStorage named by STORAGE_DRIVER: the filesystem by default (one machine, files under
 * STORAGE_DIRECTORY), or an S3-compatible store once the app runs on more than one machine.
 */
export const ObjectStorageFromConfig = Layer.unwrap(Effect.gen(function*() {
  const driver = yield* Config.Literals(["filesystem", "s3"], "STORAGE_DRIVER").pipe(Config.withDefault("filesystem" as const))
  switch (driver) {
    case "filesystem":
      return ObjectStorageFilesystem
    case "s3":
      return ObjectStorageS3
  }
}))
