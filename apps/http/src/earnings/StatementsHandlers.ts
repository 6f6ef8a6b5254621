import { Effect, Stream } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { type StatementExport, Statements } from "@nelo/domain/earnings/Statements"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { csvHeader, csvRow, revenueReportView, statementView } from "./statementViews.ts"

const defaultPageSize = 100

/** Whether the caller asked for CSV (`Accept: text/csv`, alone or first among others). */
const wantsCsv = Effect.map(HttpServerRequest.HttpServerRequest, (request) => /(?:^|,)\s*text\/csv\b/iu.test(request.headers["accept"] ?? ""))

/**
 * The statement as a CSV attachment, written as the lines are read: rows are joined a batch at a
 * time (the ledger's stream hands them in chunks), so memory holds a batch, never the period. A
 * store failing half-way ends the body early (the status is already sent): the client sees a
 * truncated download, and the error is logged.
 */
const csvResponse = (statement: StatementExport, name: string) =>
  HttpServerResponse.stream(
    Stream.concat(
      Stream.succeed(csvHeader),
      statement.lines.pipe(Stream.mapArray((lines) => [lines.map(csvRow).join("")] as const))
    ).pipe(
      Stream.tapError((error) => Effect.logError("statement export failed").pipe(Effect.annotateLogs({ cause: String(error) }))),
      Stream.encodeText
    ),
    {
      contentType: "text/csv; charset=utf-8",
      headers: {
        "content-disposition": `attachment; filename="releve-${name}-${statement.period.fromDate}-${statement.period.toDate}.csv"`,
        "cache-control": "no-store"
      }
    }
  )

export const StatementsHandlers = HttpApiBuilder.group(NeloApi, "statements", Effect.fn(function*(handlers) {
  const statements = yield* Statements
  return handlers.handleAll({
    providerStatement: ({ params, query }) =>
      Effect.gen(function*() {
        const caller = yield* CurrentUser
        if (yield* wantsCsv) {
          return csvResponse(yield* statements.providerStatementExport(params.providerId, query, caller), `commerce-${params.providerId.slice(0, 8)}`)
        }
        return statementView(yield* statements.providerStatement(params.providerId, { from: query.from, to: query.to, cursor: query.cursor ?? null, limit: query.limit ?? defaultPageSize }, caller))
      }),
    driverStatement: ({ query }) =>
      Effect.gen(function*() {
        const caller = yield* CurrentUser
        if (yield* wantsCsv) return csvResponse(yield* statements.driverStatementExport(caller.userId, query), "livreur")
        return statementView(yield* statements.driverStatement(caller.userId, { from: query.from, to: query.to, cursor: query.cursor ?? null, limit: query.limit ?? defaultPageSize }))
      })
  })
}))

export const StatementsAdminHandlers = HttpApiBuilder.group(NeloApi, "statementsAdmin", Effect.fn(function*(handlers) {
  const statements = yield* Statements
  return handlers.handleAll({
    revenueReport: ({ query }) => Effect.map(CurrentUser.use((caller) => statements.revenueReport(query, caller)), revenueReportView)
  })
}))
