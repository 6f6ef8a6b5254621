/** The file types NELO accepts, recognised from their first bytes (never from a name or a header a client chose). */
export type DetectedContentType = "image/jpeg" | "image/png" | "image/webp" | "application/pdf"

const startsWith = (bytes: Uint8Array, signature: ReadonlyArray<number>, offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte)

const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0))

export const detectContentType = (bytes: Uint8Array): DetectedContentType | undefined => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg"
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png"
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp"
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf"
  return undefined
}

export const extensionOf: Record<DetectedContentType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "application/pdf": "pdf"
}

/** Uploads (avatars, KYC documents) are refused above 5 MB: enough for a phone photo, bounded for a slow link. */
export const maximumUploadBytes = 5 * 1024 * 1024
