import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { DriverCash } from "@nelo/domain/earnings/DriverCash"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { cashReportView, remittanceView } from "./cashViews.ts"

/** The drivers' cash for admins: the admin role is checked by the domain (403 otherwise). */
export const CashAdminHandlers = HttpApiBuilder.group(NeloApi, "cashAdmin", Effect.fn(function*(handlers) {
  const cash = yield* DriverCash
  return handlers.handleAll({
    remit: ({ params, payload }) =>
      Effect.gen(function*() {
        // 201 when written now, 200 when the same remittance was entered before (the view's `replayed` picks the status).
        return remittanceView(yield* cash.remit({ driverId: params.driverId, ...payload }, yield* CurrentUser))
      }),
    report: ({ query }) =>
      Effect.gen(function*() {
        const olderThanMs = query.olderThanHours === undefined ? null : query.olderThanHours * 3_600_000
        return cashReportView(yield* cash.reportFor(yield* CurrentUser, { olderThanMs }))
      })
  })
}))
