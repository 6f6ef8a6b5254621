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

/** A transfer (payout) as the fake keeps it, in the fields the check endpoint answers [D, notification; S, check]. */
export interface CinetPayTransfer {
  transaction_id: string
  client_transaction_id: string
  lot: string
  amount: number
  receiver: string
  receiver_e164: string
  operator: string
  sending_status: string
  transfer_valid: string
  treatment_status: "NEW" | "REC" | "NOS" | "VAL" | "REJ" | (string & {})
  comment: string | null
  validated_at: string | null
  notify_url: string | null
}

const channels = new Set(["ALL", "MOBILE_MONEY", "CREDIT_CARD", "WALLET"])
const requiredInitFields = ["apikey", "site_id", "transaction_id", "amount", "currency", "description", "notify_url", "return_url", "channels"]

/**
 * CinetPay's checkout API on a local port, following docs.cinetpay.com: answers carry a code in the
 * body (201 created, 00 paid, 627 cancelled, 662 waiting...), under HTTP 200 or 4xx. It checks
 * every request: a wrong apikey or site_id gets 609 AUTH_NOT_FOUND (under HTTP 200, as a reminder
 * that the status alone says nothing), a missing field or an amount that is not a multiple of 5
 * from 100 gets 608. What the docs leave open is marked [?]: change it here if CinetPay differs.
 * The transfer API (payouts: login, contact, send, check under /v1/) is served on the same port;
 * its credentials are the apiKey and `transferPassword`.
 */
export const fakeCinetPay = (options: { readonly apiKey: string; readonly siteId: string; readonly transferPassword?: string }) =>
  Effect.gen(function*() {
    const transactions = new Map<string, CinetPayTransaction>()
    const problems: Array<string> = []
    const scriptedAnswers: Array<{ readonly status: number; readonly body: string }> = []
    let unavailable = false
    let delayMs = 0
    // The transfer API (client.cinetpay.com in production; the same fake port here).
    const tokens = new Map<string, number>()
    const contacts = new Set<string>()
    const transfers = new Map<string, CinetPayTransfer>()
    const transferOrder: Array<string> = []
    const refusedPhones = new Set<string>()
    const scriptedCodes: Array<{ readonly endpoint: TransferEndpoint; readonly code: string; readonly message: string }> = []
    let tokenLifetimeMs = 5 * 60_000
    let logins = 0
    let holdTransfers = false
    let failures: { count: number; status: number } = { count: 0, status: 500 }
    let delayNextSendMs = 0

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

    /**
     * The transfer API [D: docs.cinetpay.com/api/1.0-fr/transfert]: form-encoded POSTs, the token and
     * lang in the query, a code in every body (0 success; 701 bad credentials, 705 expired token,
     * 706 invalid token, 602 balance short, 723 nothing found, 724 not a contact, 726 already a
     * contact, 805 client_transaction_id used). [?] Undocumented and chosen here: HTTP 200 for every
     * coded answer, 723 for a check that finds nothing, 802 for a number refused at the contact.
     * What our client must never send (no lang, no form, a phone that is not 10 digits, an amount
     * not a multiple of 5) is also noted in `problems`.
     */
    const transferAnswer = (response: ServerResponse, code: string | number, message: string, extra: Record<string, unknown> = {}) =>
      send(response, 200, JSON.stringify({ code, message, ...extra }))
    const scriptedCode = (endpoint: TransferEndpoint) => {
      const index = scriptedCodes.findIndex((scripted) => scripted.endpoint === endpoint)
      return index < 0 ? undefined : scriptedCodes.splice(index, 1)[0]
    }
    const formOf = (request: RecordedRequest, what: string) => {
      if (!String(request.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) problems.push(`${what} without a form content-type`)
      return new URLSearchParams(request.body)
    }
    const dataOf = (request: RecordedRequest, what: string): Array<Record<string, unknown>> | undefined => {
      try {
        const data = JSON.parse(formOf(request, what).get("data") ?? "") as unknown
        if (Array.isArray(data) && data.every((item) => typeof item === "object" && item !== null)) return data as Array<Record<string, unknown>>
      } catch {
        // below
      }
      problems.push(`${what}: data is not a JSON array of objects`)
      return undefined
    }
    /** The token in the query: undefined (and answered 705/706) when it is not a live one. */
    const tokenOk = (url: URL, response: ServerResponse, what: string) => {
      const lang = url.searchParams.get("lang")
      if (lang !== "fr" && lang !== "en") problems.push(`${what} without lang=fr|en`)
      const token = url.searchParams.get("token")
      const expiresAt = token === null ? undefined : tokens.get(token)
      if (expiresAt === undefined) {
        transferAnswer(response, "706", "INVALID_TOKEN", { description: "Votre token est invalide", data: [] })
        return false
      }
      if (Date.now() >= expiresAt) {
        transferAnswer(response, "705", "EXPIRED_TOKEN", { description: "Votre token a expiré", data: [] })
        return false
      }
      return true
    }
    const phoneOk = (item: Record<string, unknown>, what: string) => {
      if (item.prefix !== "225") problems.push(`${what}: prefix ${JSON.stringify(item.prefix)} instead of "225"`)
      if (typeof item.phone !== "string" || !/^\d{10}$/u.test(item.phone)) {
        problems.push(`${what}: phone ${JSON.stringify(item.phone)} is not 10 national digits`)
        return false
      }
      return true
    }

    const login = (url: URL, request: RecordedRequest, response: ServerResponse) => {
      if (url.searchParams.get("lang") === null) problems.push("login without lang")
      const body = formOf(request, "login")
      const scripted = scriptedCode("login")
      if (scripted) return transferAnswer(response, scripted.code, scripted.message, { data: [] })
      if (body.get("apikey") !== options.apiKey || options.transferPassword === undefined || body.get("password") !== options.transferPassword) {
        return transferAnswer(response, "701", "INVALID_CREDENTIALS", { description: "Identifiant de connexion incorrect", data: [] })
      }
      logins++
      const token = randomBytes(24).toString("hex")
      tokens.set(token, Date.now() + tokenLifetimeMs)
      transferAnswer(response, 0, "OPERATION_SUCCES", { data: { token } })
    }

    const addContacts = (url: URL, request: RecordedRequest, response: ServerResponse) => {
      if (!tokenOk(url, response, "contact")) return
      const data = dataOf(request, "contact")
      if (!data) return transferAnswer(response, "718", "JSON_PARSE_ERROR", { data: [] })
      const scripted = scriptedCode("contact")
      if (scripted) return transferAnswer(response, scripted.code, scripted.message, { data: [] })
      const results = data.map((item) => {
        for (const field of ["name", "surname", "email"]) if (typeof item[field] !== "string" || item[field] === "") problems.push(`contact: ${field} missing`)
        const lot = randomBytes(11).toString("hex")
        if (!phoneOk(item, "contact")) return { ...item, code: 802, status: "INVALID_PHONE", lot }
        const key = `${String(item.prefix)}${String(item.phone)}`
        if (refusedPhones.has(String(item.phone))) return { ...item, code: 802, status: "INVALID_PHONE", lot }
        if (contacts.has(key)) return { ...item, code: 726, status: "ERROR_PHONE_ALREADY_MY_CONTACT", lot }
        contacts.add(key)
        return { ...item, code: 0, status: "success", lot }
      })
      transferAnswer(response, 0, "OPERATION_SUCCES", { data: [results] })
    }

    const sendMoney = (url: URL, request: RecordedRequest, response: ServerResponse) => {
      if (!tokenOk(url, response, "send")) return
      const data = dataOf(request, "send")
      if (!data) return transferAnswer(response, "718", "JSON_PARSE_ERROR", { data: [] })
      const scripted = scriptedCode("send")
      if (scripted) return transferAnswer(response, scripted.code, scripted.message, { data: [] })
      if (data.length !== 1) problems.push(`send: ${data.length} transfers in one request`)
      const item = data[0]
      if (!item) return transferAnswer(response, "704", "INVALID_PARAM", { data: [] })
      if (!phoneOk(item, "send")) return transferAnswer(response, "802", "INVALID_PHONE", { data: [] })
      const amount = typeof item.amount === "string" && /^\d+$/u.test(item.amount) ? Number(item.amount) : item.amount
      if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0 || amount % 5 !== 0) {
        problems.push(`send: amount ${JSON.stringify(item.amount)} is not whole francs in multiples of 5`)
        return transferAnswer(response, "801", "INVALID_AMOUNT", { data: [] })
      }
      // [S] A minimum of 200 XOF in Côte d'Ivoire (the annex names a per-country threshold).
      if (amount < 200) return transferAnswer(response, "719", "AMOUNT_TOO_SMALL", { data: [] })
      if (item.notify_url !== undefined && !/^https?:\/\/\S+$/u.test(String(item.notify_url))) return transferAnswer(response, "725", "MISSING_NOTIFY_URL", { data: [] })
      const clientTransactionId = typeof item.client_transaction_id === "string" ? item.client_transaction_id : ""
      if (clientTransactionId === "") {
        problems.push("send without client_transaction_id")
        return transferAnswer(response, "704", "INVALID_PARAM", { data: [] })
      }
      if (!contacts.has(`225${String(item.phone)}`)) return transferAnswer(response, "724", "ERROR_PHONE_NOT_MY_CONTACT", { data: [] })
      if (transfers.has(clientTransactionId)) return transferAnswer(response, "805", "CLIENT_TRANSACTION_ID_EXIST", { data: [] })
      if (balance !== undefined && amount > balance) {
        return transferAnswer(response, "602", "INSUFFICIENT_BALANCE", { description: "Votre solde de transfert est insuffisant", data: [] })
      }
      if (balance !== undefined) balance -= amount
      const transfer: CinetPayTransfer = {
        transaction_id: `EA${new Date().toISOString().slice(2, 10).replace(/-/gu, "")}.${randomBytes(5).toString("hex").toUpperCase()}`,
        client_transaction_id: clientTransactionId,
        lot: randomBytes(11).toString("hex"),
        amount,
        receiver: String(item.phone),
        receiver_e164: `+225${String(item.phone)}`,
        operator: "OM",
        sending_status: holdTransfers ? "PENDING" : "CONFIRM",
        transfer_valid: holdTransfers ? "N" : "Y",
        treatment_status: holdTransfers ? "NEW" : "VAL",
        comment: null,
        validated_at: holdTransfers ? null : new Date().toISOString(),
        notify_url: typeof item.notify_url === "string" ? item.notify_url : null
      }
      transfers.set(clientTransactionId, transfer)
      transferOrder.push(clientTransactionId)
      const answered = { ...item, code: 0, status: "success", treatment_status: transfer.treatment_status, transaction_id: transfer.transaction_id, lot: transfer.lot }
      const body = JSON.stringify({ code: 0, message: "OPERATION_SUCCES", data: [[answered]] })
      if (delayNextSendMs > 0) {
        // The transfer is made; its answer comes too late for the client (a lost answer).
        const late = delayNextSendMs
        delayNextSendMs = 0
        setTimeout(() => {
          if (response.destroyed) return
          response.writeHead(200, { "content-type": "application/json" })
          response.end(body)
        }, late).unref()
        return
      }
      send(response, 200, body)
    }

    const checkMoney = (url: URL, response: ServerResponse) => {
      if (!tokenOk(url, response, "check")) return
      const scripted = scriptedCode("check")
      if (scripted) return transferAnswer(response, scripted.code, scripted.message, { data: [] })
      const byClient = url.searchParams.get("client_transaction_id")
      const byCinetPay = url.searchParams.get("transaction_id")
      if (byClient === null && byCinetPay === null) return transferAnswer(response, "704", "INVALID_PARAM", { data: [] })
      const found = byClient !== null
        ? transfers.get(byClient)
        : [...transfers.values()].find((transfer) => transfer.transaction_id === byCinetPay)
      if (!found) return transferAnswer(response, "723", "NOT_FOUND", { description: "Aucun résultat pour cette recherche", data: [] })
      const { notify_url: _notifyUrl, ...reported } = found
      transferAnswer(response, 0, "OPERATION_SUCCES", { data: [reported] })
    }
    let balance: number | undefined

    const transferRoutes = (request: RecordedRequest, response: ServerResponse) => {
      const url = new URL(request.url, "http://fake.cinetpay")
      if (!url.pathname.startsWith("/v1/")) return false
      if (failures.count > 0) {
        failures.count--
        send(response, failures.status, failures.status === 429 ? JSON.stringify({ message: "Too Many Attempts." }) : "<html><body>Internal Server Error</body></html>")
        return true
      }
      if (request.method === "POST" && url.pathname === "/v1/auth/login") login(url, request, response)
      else if (request.method === "POST" && url.pathname === "/v1/transfer/contact") addContacts(url, request, response)
      else if (request.method === "POST" && url.pathname === "/v1/transfer/money/send/contact") sendMoney(url, request, response)
      else if (request.method === "GET" && url.pathname === "/v1/transfer/check/money") checkMoney(url, response)
      // [D] 708 NOT_ALLOWED: a wrong link or method.
      else transferAnswer(response, "708", "NOT_ALLOWED", { data: [] })
      return true
    }

    const server = yield* fakeHttpServer((request, response) => {
      const scripted = scriptedAnswers.shift()
      if (scripted) return send(response, scripted.status, scripted.body)
      if (unavailable) return send(response, 503, "<html><body>503 Service Temporarily Unavailable</body></html>")
      if (request.method === "POST" && request.url === "/v2/payment") return initialise(request, response)
      if (request.method === "POST" && request.url === "/v2/payment/check") return check(request, response)
      if (transferRoutes(request, response)) return
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
      },
      /** Every transfer made, by client_transaction_id. */
      transfers,
      /** Every transfer made, once each, in order. */
      transfersMade: () => transferOrder.map((id) => transfers.get(id)!),
      transferOf: (clientTransactionId: string) => {
        const found = transfers.get(clientTransactionId)
        if (!found) throw new Error(`fake CinetPay: no transfer ${clientTransactionId}`)
        return found
      },
      /** How many tokens were given. */
      logins: () => logins,
      /** Tokens given from now on live this long (5 minutes unless said). */
      setTokenLifetime: (milliseconds: number) => {
        tokenLifetimeMs = milliseconds
      },
      /** Every token given so far has expired (705 from now on). */
      expireTokens: () => {
        for (const token of tokens.keys()) tokens.set(token, 0)
      },
      /** From now on new transfers stay NEW until settled; otherwise they are VAL at once. */
      holdTransfers: (hold: boolean) => {
        holdTransfers = hold
      },
      /** CinetPay's verdict on a transfer: VAL (done) or REJ (rejected, with a comment), or a transition. */
      settleTransfer: (clientTransactionId: string, treatmentStatus: CinetPayTransfer["treatment_status"], comment?: string) => {
        const transfer = transfers.get(clientTransactionId)
        if (!transfer) throw new Error(`fake CinetPay: no transfer ${clientTransactionId}`)
        Object.assign(transfer, {
          treatment_status: treatmentStatus,
          sending_status: treatmentStatus === "VAL" ? "CONFIRM" : transfer.sending_status,
          transfer_valid: treatmentStatus === "VAL" ? "Y" : "N",
          comment: comment ?? (treatmentStatus === "REJ" ? "Transfert rejeté par l'opérateur" : transfer.comment),
          validated_at: treatmentStatus === "VAL" ? new Date().toISOString() : transfer.validated_at
        })
      },
      /** The merchant's transfer balance (602 beyond it); undefined: unlimited. */
      setTransferBalance: (xof: number | undefined) => {
        balance = xof
      },
      /** This national number (10 digits) is refused when added as a contact (802 INVALID_PHONE). */
      refuseTransfersTo: (phone: string) => {
        refusedPhones.add(phone.replace(/^\+225/u, ""))
      },
      /** The next call to this endpoint answers this code (701 at login, 602 or 724 at send...). */
      answerNextTransferCall: (endpoint: TransferEndpoint, code: string, message: string) => {
        scriptedCodes.push({ endpoint, code, message })
      },
      /** The next `count` transfer API requests get this HTTP status (500 or 429) before anything is done. */
      failNextTransferCalls: (count: number, status: 500 | 502 | 503 | 429 = 500) => {
        failures = { count, status }
      },
      /** The next transfer is made but answered only after `milliseconds` (past the client's timeout: a lost answer). */
      delayNextSendAnswer: (milliseconds: number) => {
        delayNextSendMs = milliseconds
      }
    }
  })

export type TransferEndpoint = "login" | "contact" | "send" | "check"

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
