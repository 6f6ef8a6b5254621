import {
  CannotGoOnline,
  CashCollectedMismatch,
  DeliveryCodeWrong,
  DeliveryCompletionLocked,
  DeliveryNotFound,
  DeliveryStepRefused,
  DriverAlreadyRegistered,
  DriverBusy,
  DriverNotAssignable,
  DriverNotRegistered,
  DriverZoneNotFound,
  OfferClosed,
  OfferNotFound,
  AlreadyRated,
  RatingNotFound,
  RatingNotOpen,
  RatingWindowClosed
} from "@nelo/domain/deliveries/errors"
import { deliveriesMessages } from "@nelo/domain/deliveries/messages"
import { DriverFeedUnavailable } from "@nelo/domain/deliveries/DriverFeed"
import { KycStatus } from "@nelo/domain/users/Kyc"
import { Schema } from "effect"
import { problem } from "../shared/problem.ts"
import { FrancsBetween, Id, IntBetween, Text } from "../shared/bounded.ts"

// The deliveries' errors as the API answers them: status, stable code, French message.

export const DriverNotRegisteredProblem = problem(DriverNotRegistered, { status: 404, codes: ["driver_not_registered"], message: deliveriesMessages.DriverNotRegistered })

export const DriverAlreadyRegisteredProblem = problem(DriverAlreadyRegistered, { status: 409, codes: ["driver_already_registered"], message: deliveriesMessages.DriverAlreadyRegistered })

export const DriverZoneNotFoundProblem = problem(DriverZoneNotFound, { status: 422, codes: ["zone_not_found"], message: deliveriesMessages.DriverZoneNotFound })

const Amount = FrancsBetween(0, Number.MAX_SAFE_INTEGER)

/** Why not online: `reason` to switch on (the KYC review's status, or the cash held and the cap, when they are the reason). */
export const CannotGoOnlineProblem = problem(CannotGoOnline, {
  status: 409,
  codes: ["cannot_go_online"],
  members: { reason: CannotGoOnline.fields.reason, kycStatus: Schema.optionalKey(KycStatus), cashHeldXof: Schema.optionalKey(Amount), capXof: Schema.optionalKey(Amount) },
  toMembers: (error) => ({
    reason: error.reason,
    ...(error.kycStatus === undefined ? {} : { kycStatus: error.kycStatus }),
    ...(error.cashHeldXof === undefined ? {} : { cashHeldXof: error.cashHeldXof as typeof Amount.Type }),
    ...(error.capXof === undefined ? {} : { capXof: error.capXof as typeof Amount.Type })
  }),
  fromBody: (body) =>
    new CannotGoOnline({
      reason: body.reason,
      ...(body.kycStatus === undefined ? {} : { kycStatus: body.kycStatus }),
      ...(body.cashHeldXof === undefined ? {} : { cashHeldXof: body.cashHeldXof }),
      ...(body.capXof === undefined ? {} : { capXof: body.capXof })
    }),
  message: deliveriesMessages.CannotGoOnline
})

export const OfferNotFoundProblem = problem(OfferNotFound, { status: 404, codes: ["offer_not_found"], message: deliveriesMessages.OfferNotFound })

/** `offerStatus`: what became of it (expired, withdrawn: another driver was faster, ...). */
export const OfferClosedProblem = problem(OfferClosed, {
  status: 409,
  codes: ["offer_closed"],
  members: { offerStatus: OfferClosed.fields.status },
  toMembers: (error) => ({ offerStatus: error.status }),
  fromBody: (body) => new OfferClosed({ status: body.offerStatus }),
  message: deliveriesMessages.OfferClosed
})

export const DriverBusyProblem = problem(DriverBusy, { status: 409, codes: ["driver_busy"], members: { deliveryId: Id }, message: deliveriesMessages.DriverBusy })

export const DeliveryNotFoundProblem = problem(DeliveryNotFound, { status: 404, codes: ["delivery_not_found"], message: deliveriesMessages.DeliveryNotFound })

export const DeliveryStepRefusedProblem = problem(DeliveryStepRefused, {
  status: 409,
  codes: ["delivery_step_refused"],
  members: { action: Text(40), deliveryStatus: Text(40) },
  toMembers: (error) => ({ action: error.action, deliveryStatus: error.status }),
  fromBody: (body) => new DeliveryStepRefused({ action: body.action, status: body.deliveryStatus }),
  message: deliveriesMessages.DeliveryStepRefused
})

export const DeliveryCodeWrongProblem = problem(DeliveryCodeWrong, { status: 422, codes: ["delivery_code_wrong"], members: { attemptsLeft: IntBetween(0, 100) }, message: deliveriesMessages.DeliveryCodeWrong })

export const DeliveryCompletionLockedProblem = problem(DeliveryCompletionLocked, { status: 409, codes: ["delivery_completion_locked"], message: deliveriesMessages.DeliveryCompletionLocked })

export const CashCollectedMismatchProblem = problem(CashCollectedMismatch, {
  status: 422,
  codes: ["cash_collected_mismatch"],
  members: { expectedXof: Amount, notCash: Schema.Boolean },
  toMembers: (error) => ({ expectedXof: error.expectedXof as typeof Amount.Type, notCash: error.notCash }),
  fromBody: (body) => new CashCollectedMismatch({ expectedXof: body.expectedXof, notCash: body.notCash }),
  message: deliveriesMessages.CashCollectedMismatch
})

export const DriverNotAssignableProblem = problem(DriverNotAssignable, { status: 409, codes: ["driver_not_assignable"], members: { reason: DriverNotAssignable.fields.reason }, message: deliveriesMessages.DriverNotAssignable })

/** The driver's live stream cannot be followed now: the app polls its offers and its delivery meanwhile (same code as the orders' streams). */
export const DriverLiveUpdatesUnavailableProblem = problem(DriverFeedUnavailable, {
  status: 503,
  codes: ["live_updates_unavailable"],
  message: deliveriesMessages.DriverFeedUnavailable,
  logAs: "live feed unavailable",
  fromBody: () => new DriverFeedUnavailable({ cause: "reported by the server" })
})

export const RatingNotOpenProblem = problem(RatingNotOpen, { status: 409, codes: ["rating_not_open"], message: deliveriesMessages.RatingNotOpen })

/** `windowDays`: how long after its delivery an order may be rated. */
export const RatingWindowClosedProblem = problem(RatingWindowClosed, {
  status: 409,
  codes: ["rating_window_closed"],
  members: { windowDays: IntBetween(1, 366) },
  message: deliveriesMessages.RatingWindowClosed
})

export const AlreadyRatedProblem = problem(AlreadyRated, { status: 409, codes: ["already_rated"], message: deliveriesMessages.AlreadyRated })

export const RatingNotFoundProblem = problem(RatingNotFound, { status: 404, codes: ["rating_not_found"], message: deliveriesMessages.RatingNotFound })
