import { readFile } from "node:fs/promises"
import { Effect } from "effect"
import type { Multipart } from "effect/http"

/**
 * The bytes of an uploaded file. The multipart parser wrote it to a temporary file that lives as
 * long as the request; the limits (size, parts) were enforced while parsing.
 */
export const readUpload = (file: Multipart.PersistedFile) =>
  Effect.promise(() => readFile(file.path)).pipe(Effect.map((buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)))
