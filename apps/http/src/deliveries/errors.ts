import { CannotGoOnline, DriverAlreadyRegistered, DriverNotRegistered, DriverZoneNotFound } from "@nelo/domain/deliveries/errors"
import { deliveriesMessages } from "@nelo/domain/deliveries/messages"
import { KycStatus } from "@nelo/domain/users/Kyc"
import { Schema } from "effect"
import { problem } from "../shared/problem.ts"

// The deliveries' errors as the API answers them: status, stable code, French message.

export const DriverNotRegisteredProblem = problem(DriverNotRegistered, { status: 404, codes: ["driver_not_registered"], message: deliveriesMessages.DriverNotRegistered })

export const DriverAlreadyRegisteredProblem = problem(DriverAlreadyRegistered, { status: 409, codes: ["driver_already_registered"], message: deliveriesMessages.DriverAlreadyRegistered })

export const DriverZoneNotFoundProblem = problem(DriverZoneNotFound, { status: 422, codes: ["zone_not_found"], message: deliveriesMessages.DriverZoneNotFound })

/** Why not online: `reason` to switch on (and the KYC review's status when it is the reason). */
export const CannotGoOnlineProblem = problem(CannotGoOnline, {
  status: 409,
  codes: ["cannot_go_online"],
  members: { reason: CannotGoOnline.fields.reason, kycStatus: Schema.optionalKey(KycStatus) },
  toMembers: (error) => error.kycStatus === undefined ? { reason: error.reason } : { reason: error.reason, kycStatus: error.kycStatus },
  fromBody: (body) => new CannotGoOnline(body.kycStatus === undefined ? { reason: body.reason } : { reason: body.reason, kycStatus: body.kycStatus }),
  message: deliveriesMessages.CannotGoOnline
})
