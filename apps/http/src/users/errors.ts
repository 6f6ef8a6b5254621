import { Schema } from "effect"
import { AddressNotFound, TooManyAddresses } from "@nelo/domain/users/addresses"
import { DeviceNotFound } from "@nelo/domain/users/devices"
import { ImageUnreadable } from "@nelo/domain/users/ImageProcessor"
import { usersMessages } from "@nelo/domain/users/messages"
import { AdminRoleRequired, CannotRemoveOwnAdminRole } from "@nelo/domain/users/setUserRoles"
import { FileTooLarge, UnsupportedFileType } from "@nelo/domain/users/uploadErrors"
import { IntBetween } from "../shared/bounded.ts"
import { problem } from "../shared/problem.ts"

// The users context's errors as the API answers them: status, stable code, French message.

export const AddressNotFoundProblem = problem(AddressNotFound, { status: 404, codes: ["not_found"], message: usersMessages.AddressNotFound })

export const DeviceNotFoundProblem = problem(DeviceNotFound, { status: 404, codes: ["device_not_found"], message: usersMessages.DeviceNotFound })

export const TooManyAddressesProblem = problem(TooManyAddresses, {
  status: 422,
  codes: ["too_many_addresses"],
  members: { maximum: IntBetween(1, 1000) },
  message: usersMessages.TooManyAddresses
})

/** Admin endpoints answer it to everybody else. */
export const AdminRoleRequiredProblem = problem(AdminRoleRequired, { status: 403, codes: ["forbidden"], message: usersMessages.AdminRoleRequired })

export const CannotRemoveOwnAdminRoleProblem = problem(CannotRemoveOwnAdminRole, { status: 422, codes: ["cannot_remove_own_admin_role"], message: usersMessages.CannotRemoveOwnAdminRole })

export const FileTooLargeProblem = problem(FileTooLarge, {
  status: 413,
  codes: ["file_too_large"],
  members: { maximumBytes: IntBetween(1, 1_000_000_000) },
  message: usersMessages.FileTooLarge
})

export const UnsupportedFileTypeProblem = problem(UnsupportedFileType, {
  status: 415,
  codes: ["unsupported_file_type"],
  members: { accepted: Schema.Array(Schema.String.pipe(Schema.check(Schema.isMaxLength(100)))).pipe(Schema.check(Schema.isMaxLength(20))) },
  message: usersMessages.UnsupportedFileType
})

export const ImageUnreadableProblem = problem(ImageUnreadable, { status: 422, codes: ["image_unreadable"], message: usersMessages.ImageUnreadable })
