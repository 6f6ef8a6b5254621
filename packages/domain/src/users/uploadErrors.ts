import { Schema } from "effect"

export class FileTooLarge extends Schema.TaggedError<FileTooLarge>()("FileTooLarge", {
  maximumBytes: Schema.Number
}) {}

export class UnsupportedFileType extends Schema.TaggedError<UnsupportedFileType>()("UnsupportedFileType", {
  accepted: Schema.Array(Schema.String)
}) {}
