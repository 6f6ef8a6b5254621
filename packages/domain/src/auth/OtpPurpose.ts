import { Schema } from "effect"

export const OtpPurpose = Schema.Literals(["register", "login"])
export type OtpPurpose = typeof OtpPurpose.Type
