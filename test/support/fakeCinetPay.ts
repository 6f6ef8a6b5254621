import { createHmac, randomBytes } from "node:crypto"
import type { ServerResponse } from "node:http"
import { Effect } from "effect"
import type { WebhookRequest } from "@nelo/domain/payments/PaymentGateway"
import { fakeHttpServer, type RecordedRequest } from "./fakeHttpServer.ts"

/** A payment as the fake keeps it: what was asked, and what the check endpoint reports. */
export interface CinetPayTransaction {
  readonly request: Record<string, unknown>
  code: string
  message: string
  data: {
    amount: string | number
    currency: string
    status: string
    payment_method: string
    description: string
    metadata: null
    operator_id: string | number | null
    payment_date: string
    fund_availability_date: string
  }
}

const channels = new Set(["ALL", "MOBILE_MONEY", "CREDIT_CARD", "WALLET"])
const requiredInitFields = ["apikey", "site_id", "transaction_id", "amount", "currency", "description", "notify_url", "return_url", "channels"]

/**
 * CinetPay's checkout API on a local port, following docs.cinetpay.com: answers carry a code in the
 * body (201 created, 00 paid, 627 cancelled, 662 waiting...), under HTTP 200 or 4xx. It checks
 * every request: a wrong apikey or site_id gets 609 AUTH_NOT_FOUND (under HTTP 200, as a reminder
 * that the status alone says nothing), a missing field or an amount that is not a multiple of 5
 * from 100 gets 608. What the docs leave open is marked [?]: change it here if CinetPay differs.
 */
export const fakeCinetPay = (options: { readonly apiKey: string; readonly siteId: string }) =>
  Effect.gen(function*() {
    const transactions = new Map<string, CinetPayTransaction>()
    const problems: Array<string> = []
    const scriptedAnswers: Array<{ readonly status: number; readonly body: string }> = []
    let unavailable = false
    let delayMs = 0

    const send = (response: ServerResponse, status: number, body: string) => {
      const write = () => {
        if (response.destroyed) return
        response.writeHead(status, { "content-type": "application/json" })
        response.end(body)
      }
      if (delayMs > 0) setTimeout(write, delayMs).unref()
      else write()
    }
    const answer = (response: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
      send(response, status, JSON.stringify({ code, message, ...extra, api_response_id: `${Date.now() / 1000}` }))

    const readBody = (request: RecordedRequest, response: ServerResponse) => {
      if (!String(request.headers["content-type"]).startsWith("application/json")) problems.push(`${request.url} without a JSON content-type`)
      try {
        return JSON.parse(request.body) as Record<string, unknown>
      } catch {
        answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: "body is not JSON" })
        return undefined
      }
    }
    const authenticated = (body: Record<string, unknown>, response: ServerResponse) => {
      if (body.apikey === options.apiKey && body.site_id === options.siteId) return true
      answer(response, 200, "609", "AUTH_NOT_FOUND", { description: "apikey or site_id not found" })
      return false
    }

    const initialise = (request: RecordedRequest, response: ServerResponse) => {
      const body = readBody(request, response)
      if (!body || !authenticated(body, response)) return
      const missing = requiredInitFields.filter((field) => body[field] === undefined || body[field] === "")
      if (missing.length > 0) return answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: `missing: ${missing.join(", ")}` })
      const amount = body.amount
      if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 100 || amount % 5 !== 0) {
        return answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: "amount must be an integer multiple of 5, at least 100" })
      }
      if (body.currency !== "XOF") return answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: "currency not enabled for this service" })
      if (!channels.has(String(body.channels))) return answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: "channels" })
      for (const field of ["notify_url", "return_url"]) if (!/^https?:\/\/\S+$/u.test(String(body[field]))) problems.push(`${field} is not a URL`)
      if (/[#/$_&]/u.test(String(body.description))) problems.push("description has a character CinetPay asks to avoid (#/$_&)")
      if (body.lang !== undefined && body.lang !== "fr" && body.lang !== "en") problems.push(`lang ${String(body.lang)}`)
      if (body.customer_phone_number !== undefined && !/^\d{10}$/u.test(String(body.customer_phone_number))) problems.push("customer_phone_number is not 10 national digits")
      const transactionId = String(body.transaction_id)
      // [?] CinetPay's answer to a transaction_id used twice is not documented: refused here.
      if (transactions.has(transactionId)) return answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: "transaction_id already used" })
      transactions.set(transactionId, {
        request: body,
        code: "662",
        message: "WAITING_CUSTOMER_PAYMENT",
        data: {
          amount: String(amount),
          currency: "XOF",
          status: "WAITING_FOR_CUSTOMER",
          payment_method: "",
          description: String(body.description),
          metadata: null,
          operator_id: null,
          payment_date: "",
          fund_availability_date: ""
        }
      })
      const token = randomBytes(16).toString("hex")
      answer(response, 200, "201", "CREATED", {
        description: "Transaction created with success",
        data: { payment_token: token, payment_url: `https://checkout.cinetpay.com/payment/${token}` }
      })
    }

    const check = (request: RecordedRequest, response: ServerResponse) => {
      const body = readBody(request, response)
      if (!body || !authenticated(body, response)) return
      if (typeof body.transaction_id !== "string" && typeof body.token !== "string") {
        return answer(response, 400, "608", "MINIMUM_REQUIRED_FIELDS", { description: "transaction_id or token required" })
      }
      const transaction = transactions.get(String(body.transaction_id))
      // [?] The answer for an unknown transaction is not documented.
      if (!transaction) return answer(response, 404, "404", "TRANSACTION_NOT_FOUND")
      answer(response, 200, transaction.code, transaction.message, { data: transaction.data })
    }

    const server = yield* fakeHttpServer((request, response) => {
      const scripted = scriptedAnswers.shift()
      if (scripted) return send(response, scripted.status, scripted.body)
      if (unavailable) return send(response, 503, "<html><body>503 Service Temporarily Unavailable</body></html>")
      if (request.method === "POST" && request.url === "/v2/payment") return initialise(request, response)
      if (request.method === "POST" && request.url === "/v2/payment/check") return check(request, response)
      answer(response, 404, "404", "NOT_FOUND")
    })

    const transactionOf = (transactionId: string) => {
      const found = transactions.get(transactionId)
      if (!found) throw new Error(`fake CinetPay: no transaction ${transactionId}`)
      return found
    }

    return {
      ...server,
      transactions,
      problems,
      transactionOf,
      /** The payer pays; `overrides` changes what the check reports (another amount, currency). */
      pay: (transactionId: string, overrides: { readonly amount?: string | number; readonly currency?: string } = {}) => {
        const transaction = transactionOf(transactionId)
        Object.assign(transaction, { code: "00", message: "SUCCES" })
        Object.assign(transaction.data, {
          status: "ACCEPTED",
          payment_method: "OM",
          operator_id: `MP${randomBytes(5).toString("hex").toUpperCase()}`,
          payment_date: "2026-11-26 09:05:00",
          ...overrides
        })
      },
      /** The payer cancels, or the operator refuses: final for CinetPay. */
      refuse: (transactionId: string, code = "627", message = "TRANSACTION_CANCEL") => {
        const transaction = transactionOf(transactionId)
        Object.assign(transaction, { code, message })
        Object.assign(transaction.data, { status: "REFUSED", payment_method: "MOMO", operator_id: null, payment_date: " " })
      },
      /** Still under way, with one of the waiting codes (623, 662, 663). */
      wait: (transactionId: string, code: string, message: string) => {
        Object.assign(transactionOf(transactionId), { code, message })
      },
      setUnavailable: (value: boolean) => {
        unavailable = value
      },
      answerNext: (status: number, body: string) => {
        scriptedAnswers.push({ status, body })
      },
      setDelay: (milliseconds: number) => {
        delayMs = milliseconds
      }
    }
  })

export type FakeCinetPay = Effect.Success<ReturnType<typeof fakeCinetPay>>

/** The notification's form fields in the order of the x-token (docs.cinetpay.com, "HMAC"). */
export const cinetpayTokenOrder = [
  "cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount", "cpm_currency", "signature", "payment_method",
  "cel_phone_num", "cpm_phone_prefixe", "cpm_language", "cpm_version", "cpm_payment_config", "cpm_page_action",
  "cpm_custom", "cpm_designation", "cpm_error_message"
] as const

/** x-token = hex(HMAC-SHA256(secretKey, the fields concatenated in `order`)). */
export const cinetpayToken = (secretKey: string, fields: Readonly<Record<string, string>>, order: ReadonlyArray<string> = cinetpayTokenOrder) =>
  createHmac("sha256", secretKey).update(order.map((field) => fields[field] ?? "").join("")).digest("hex")

/**
 * A payment notification as CinetPay posts it: the form body (a realistic paid notification,
 * changed by `fields`) and its x-token. Fields set to undefined are left out of the body.
 */
export const cinetpayNotification = (
  options: {
    readonly secretKey: string
    readonly siteId: string
    readonly transactionId: string
    readonly fields?: Readonly<Record<string, string | undefined>>
    readonly receivedAtMs?: number
  }
): WebhookRequest & { readonly fields: Readonly<Record<string, string>> } => {
  const all: Record<string, string | undefined> = {
    cpm_site_id: options.siteId,
    cpm_trans_id: options.transactionId,
    cpm_trans_date: "2026-11-26 09:05:00",
    cpm_amount: "5000",
    cpm_currency: "XOF",
    signature: `${randomBytes(12).toString("hex")}`,
    payment_method: "OM",
    cel_phone_num: "0701020304",
    cpm_phone_prefixe: "225",
    cpm_language: "fr",
    cpm_version: "V4",
    cpm_payment_config: "SINGLE",
    cpm_page_action: "PAYMENT",
    cpm_custom: "",
    cpm_designation: "Recharge du portefeuille NELO : 5000 F CFA",
    cpm_error_message: "SUCCES",
    ...options.fields
  }
  const fields = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined))
  return {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-token": cinetpayToken(options.secretKey, fields) },
    rawBody: new URLSearchParams(fields).toString(),
    receivedAtMs: options.receivedAtMs ?? Date.now(),
    fields
  }
}
