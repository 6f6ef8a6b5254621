import { Clock, Effect, Option, Redacted, Schema, Semaphore } from "effect"
import type { PayoutClient, PayoutRequest, PayoutStatus } from "@nelo/domain/earnings/PayoutGateway"
import { GatewayRefused, GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import { isXof } from "@nelo/domain/shared/Xof"
import { CinetPayEnvelope, cinetpayUnreadable, readCinetPayEnvelope, StringOrNumber } from "./cinetpayAnswers.ts"
import { type PaymentHttpResponse, paymentHttpRequest } from "./paymentHttpRequest.ts"
import { wholeFrancs } from "./wholeFrancs.ts"

const gateway = "cinetpay"

/** Where CinetPay would post its transfer notifications, under PUBLIC_API_URL. */
export const cinetpayTransferNotifyPath = "/api/v1/payouts/webhooks/cinetpay"

/**
 * A token lives 5 minutes [D: docs.cinetpay.com, transfer API, "Its lifetime is 5min"]; it is reused
 * for 4 and then renewed, so that a request never leaves with a token about to lapse on the way.
 */
export const cinetpayTokenReuseMs = 4 * 60_000

/**
 * [?] The contact form asks an email [D], which we do not keep for payees: this address stands for
 * all of them (contacts only label the merchant's address book). One place to change it.
 */
export const cinetpayContactEmail = "paiements@nelo.ci"

export interface CinetPayTransferSettings {
  /** The API key, the same as the checkout's (CINETPAY_API_KEY). */
  readonly apiKey: Redacted.Redacted<string>
  /** The API password defined for transfers in the merchant back office. */
  readonly password: Redacted.Redacted<string>
  /** https://client.cinetpay.com */
  readonly baseUrl: string
  /** PUBLIC_API_URL + cinetpayTransferNotifyPath; undefined when PUBLIC_API_URL is not set (left out of the transfer). */
  readonly notifyUrl: string | undefined
  readonly requestTimeoutMs: number
  /** How long a token is reused; cinetpayTokenReuseMs unless a test says otherwise. */
  readonly tokenReuseMs?: number
}

/**
 * Codes of the transfer API [D: docs.cinetpay.com/api/1.0-en/transfert/annexe]. CinetPay puts them
 * in the body, as a number or a string, under HTTP 200 as often as under a 4xx.
 */
const codes = {
  success: "0",
  badCredentials: "701",
  expiredToken: "705",
  invalidToken: "706",
  insufficientBalance: "602",
  notFound: "723",
  notMyContact: "724",
  alreadyMyContact: "726",
  transactionIdExists: "805"
} as const

/**
 * [assumed] Codes that do not say the request was refused: the token could not be made (702), an
 * execution or unknown error on their side (709, 710, 715), the operator unavailable (804). After a
 * send they may hide a transfer that was made, so they are outages: the send is asked again with the
 * same id (and checked first), never reported as refused, which would give the money back to
 * earnings while a transfer may be on its way.
 */
const outageCodes = new Set(["702", "709", "710", "715", "804"])

/**
 * treatment_status [D: docs.cinetpay.com/api/1.0-fr/transfert/statuts]: NEW waiting to be processed,
 * REC being processed, NOS waiting for confirmation or rejection (transitions); VAL done, REJ
 * rejected (final). Anything else (a status added later) is processing: it settles nothing. No
 * reversal is documented for transfers: "reversed" never comes from CinetPay.
 */
const stateOfTreatment = (status: string | undefined): PayoutStatus["state"] =>
  status === "VAL" ? "succeeded" : status === "REJ" ? "failed" : "processing"

const Envelope = CinetPayEnvelope
type Envelope = typeof Envelope.Type
const Token = Schema.Struct({ token: Schema.NonEmptyString })
/**
 * A transfer as the check (and the send) answer it. Documented fields [D, notification and check]:
 * transaction_id, client_transaction_id, lot, amount, receiver, sending_status (a "confirmation
 * status", its values undocumented), comment, treatment_status, operator_transaction_id, validated_at.
 * receiver_e164 is seen in third-party code [S].
 */
const Transfer = Schema.Struct({
  transaction_id: Schema.optional(Schema.NullOr(StringOrNumber)),
  client_transaction_id: Schema.optional(Schema.NullOr(StringOrNumber)),
  amount: Schema.optional(Schema.NullOr(StringOrNumber)),
  receiver: Schema.optional(Schema.NullOr(StringOrNumber)),
  receiver_e164: Schema.optional(Schema.NullOr(Schema.String)),
  treatment_status: Schema.optional(Schema.NullOr(Schema.String)),
  sending_status: Schema.optional(Schema.NullOr(Schema.String)),
  comment: Schema.optional(Schema.NullOr(Schema.String)),
  code: Schema.optional(Schema.NullOr(StringOrNumber)),
  status: Schema.optional(Schema.NullOr(Schema.String))
})
type Transfer = typeof Transfer.Type

const decodeToken = Schema.decodeUnknownOption(Token)
const decodeTransfer = Schema.decodeUnknownOption(Transfer)

const codeOf = (envelope: Envelope) => String(envelope.code).trim()

const unreadable = cinetpayUnreadable

const describe = (envelope: Envelope) =>
  `code ${codeOf(envelope)} ${envelope.message ?? ""}${envelope.description ? `: ${envelope.description}` : ""}`.trim()

/** A code that is not success: an outage when it does not say no (outageCodes), a refusal otherwise. */
const failureOf = (envelope: Envelope) =>
  outageCodes.has(codeOf(envelope))
    ? new GatewayUnavailable({ gateway, detail: describe(envelope) })
    : new GatewayRefused({ gateway, detail: describe(envelope) })

const readEnvelope = readCinetPayEnvelope

/**
 * The transfers in a data field: the send and contact answers nest them one level deeper
 * (`data: [[{...}]]`, as in CinetPay's own examples), the check answers `data: [{...}]` [S]; a single
 * object is read too.
 */
const transfersIn = (data: unknown): ReadonlyArray<Transfer> => {
  const items = Array.isArray(data) ? data.flat() : data === undefined || data === null ? [] : [data]
  return items.flatMap((item) => Option.toArray(decodeTransfer(item)))
}

const text = (value: string | number | null | undefined) => value === null || value === undefined ? "" : String(value).trim()

const statusOfTransfer = (transfer: Transfer): PayoutStatus => {
  const state = stateOfTreatment(transfer.treatment_status ?? undefined)
  const detail = [transfer.treatment_status, transfer.sending_status, transfer.comment].map((part) => text(part)).filter((part) => part !== "").join(" ")
  return { state, gatewayReference: text(transfer.transaction_id) || null, detail: state === "succeeded" || detail === "" ? null : detail }
}

/** The 10 national digits of an Ivorian number, CinetPay's `phone` beside `prefix` "225". */
const nationalNumber = (mobile: string) => /^\+225\d{10}$/u.test(mobile) ? mobile.slice(4) : undefined

/** The receiver a check reports is this number, when it reports one (E.164 or national digits). */
const sameReceiver = (transfer: Transfer, mobile: string) => {
  if (transfer.receiver_e164) return transfer.receiver_e164 === mobile
  const receiver = text(transfer.receiver).replace(/\D/gu, "")
  return receiver === "" || mobile.replace(/\D/gu, "").endsWith(receiver.slice(-10))
}

/**
 * [?] The contact's `name` and `surname` [D] from our one name: the first word, then the rest (or
 * the first word again for a single word). Only the merchant's address book shows them.
 */
const contactNames = (name: string) => {
  const words = name.trim().split(/\s+/u).filter((word) => word !== "")
  const first = words[0] ?? "Bénéficiaire"
  return { name: first, surname: words.length > 1 ? words.slice(1).join(" ") : first }
}

const form = (data: unknown) => new URLSearchParams({ data: JSON.stringify(data) }).toString()
const formHeaders = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }

/**
 * CinetPay's transfer API [D: docs.cinetpay.com/api/1.0-fr/transfert]: a token from
 * POST /v1/auth/login (apikey, password; 5 minutes), the payee added to the merchant's contacts
 * (POST /v1/transfer/contact; one already there answers 726, which is fine), the money sent to that
 * contact (POST /v1/transfer/money/send/contact) under our client_transaction_id (the payout's id),
 * and GET /v1/transfer/check/money?client_transaction_id= to read it. Amounts are whole francs in
 * multiples of 5.
 */
export const makeCinetPayTransferClient = (settings: CinetPayTransferSettings): PayoutClient => {
  const reuseMs = settings.tokenReuseMs ?? cinetpayTokenReuseMs
  let cached: { readonly token: string; readonly obtainedAtMs: number } | undefined
  // One login at a time: payouts sent together share the token instead of each logging in.
  const loginLock = Semaphore.makeUnsafe(1)

  const login = Effect.gen(function*() {
    const response = yield* paymentHttpRequest(gateway, `${settings.baseUrl}/v1/auth/login?lang=fr`, {
      method: "POST",
      headers: formHeaders,
      body: new URLSearchParams({ apikey: Redacted.value(settings.apiKey), password: Redacted.value(settings.password) }).toString()
    }, settings.requestTimeoutMs)
    const envelope = yield* readEnvelope(response)
    if (codeOf(envelope) !== codes.success) return yield* failureOf(envelope)
    const token = decodeToken(envelope.data)
    if (Option.isNone(token)) return yield* unreadable(response)
    return token.value.token
  })

  const currentToken = loginLock.withPermit(Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    if (cached !== undefined && now - cached.obtainedAtMs < reuseMs) return cached.token
    const token = yield* login
    cached = { token, obtainedAtMs: yield* Clock.currentTimeMillis }
    return token
  }))

  const forget = (token: string) =>
    Effect.sync(() => {
      if (cached?.token === token) cached = undefined
    })

  /**
   * One call with a token. An expired or invalid token (705, 706: the call was refused at the door,
   * nothing was done) is renewed once and the call made again; a new token refused as well is a
   * refusal.
   */
  const withToken = (call: (token: string) => Effect.Effect<PaymentHttpResponse, GatewayUnavailable>) =>
    Effect.gen(function*() {
      for (let attempt = 1; ; attempt++) {
        const token = yield* currentToken
        const envelope = yield* readEnvelope(yield* call(encodeURIComponent(token)))
        const code = codeOf(envelope)
        if ((code === codes.expiredToken || code === codes.invalidToken) && attempt === 1) {
          yield* forget(token)
          continue
        }
        return envelope
      }
    })

  /** Our transfer as the check reports it, or undefined when CinetPay has none under this id (723). */
  const check = (payoutId: string) =>
    Effect.gen(function*() {
      const envelope = yield* withToken((token) =>
        paymentHttpRequest(gateway, `${settings.baseUrl}/v1/transfer/check/money?token=${token}&lang=fr&client_transaction_id=${encodeURIComponent(payoutId)}`, {
          method: "GET",
          headers: { accept: "application/json" }
        }, settings.requestTimeoutMs)
      )
      const code = codeOf(envelope)
      if (code === codes.notFound) return undefined
      if (code !== codes.success) return yield* failureOf(envelope)
      const transfers = transfersIn(envelope.data)
      // [?] A success with an empty list is read as the documented 723.
      if (transfers.length === 0) return undefined
      const ours = transfers.filter((transfer) => text(transfer.client_transaction_id) === payoutId)
      if (ours.length !== 1) {
        return yield* new GatewayRefused({
          gateway,
          detail: `the check for ${payoutId} answered ${transfers.length} transfer(s), ${ours.length} under this id: a person must look`
        })
      }
      return ours[0]!
    })

  /** A transfer found under our id is this payout only if it is this amount to this number. */
  const sameTransfer = (transfer: Transfer, request: PayoutRequest) =>
    Effect.gen(function*() {
      const amount = transfer.amount === undefined || transfer.amount === null ? undefined : Option.getOrUndefined(wholeFrancs(transfer.amount))
      if (amount !== request.amountXof || !sameReceiver(transfer, request.mobile)) {
        return yield* new GatewayRefused({
          gateway,
          detail: `payout ${request.payoutId} was sent before with other details: ${text(transfer.amount)} to ${text(transfer.receiver_e164 ?? transfer.receiver)}`
        })
      }
      return statusOfTransfer(transfer)
    })

  const addContact = (request: PayoutRequest, phone: string) =>
    Effect.gen(function*() {
      const envelope = yield* withToken((token) =>
        paymentHttpRequest(gateway, `${settings.baseUrl}/v1/transfer/contact?token=${token}&lang=fr`, {
          method: "POST",
          headers: formHeaders,
          body: form([{ prefix: "225", phone, ...contactNames(request.name), email: cinetpayContactEmail }])
        }, settings.requestTimeoutMs)
      )
      if (codeOf(envelope) !== codes.success) return yield* failureOf(envelope)
      // Each contact has its own code: 0 added, 726 already there [D]; anything else is a refusal
      // of this number (717, 802...).
      for (const contact of transfersIn(envelope.data)) {
        const code = text(contact.code)
        if (code !== "" && code !== codes.success && code !== codes.alreadyMyContact) {
          return yield* new GatewayRefused({ gateway, detail: `contact ${phone} refused: code ${code} ${text(contact.status)}`.trim() })
        }
      }
    })

  return {
    gateway,
    send: (request) =>
      Effect.gen(function*() {
        if (!isXof(request.amountXof) || request.amountXof <= 0 || request.amountXof % 5 !== 0) {
          return yield* new GatewayRefused({ gateway, detail: `amount must be whole francs above zero in multiples of 5, got ${request.amountXof}` })
        }
        const phone = nationalNumber(request.mobile)
        if (phone === undefined) {
          return yield* new GatewayRefused({ gateway, detail: `${request.mobile} is not an Ivorian number (+225 and 10 digits)` })
        }
        // Asked first, every time: a send whose answer was lost (a timeout, a crash before the answer
        // was recorded) may have made the transfer, and the transfer API takes no idempotency key.
        // CinetPay documents 805 for a client_transaction_id used twice, but not whether a second
        // send is refused before or after money moves, nor whether every account enforces it; this
        // check costs one request and reads the transfer already made instead of counting on that.
        const existing = yield* check(request.payoutId)
        if (existing !== undefined) return yield* sameTransfer(existing, request)

        yield* addContact(request, phone)
        const envelope = yield* withToken((token) =>
          paymentHttpRequest(gateway, `${settings.baseUrl}/v1/transfer/money/send/contact?token=${token}&lang=fr`, {
            method: "POST",
            headers: formHeaders,
            body: form([{
              prefix: "225",
              phone,
              amount: request.amountXof,
              client_transaction_id: request.payoutId,
              ...(settings.notifyUrl === undefined ? {} : { notify_url: settings.notifyUrl })
            }])
          }, settings.requestTimeoutMs)
        )
        const code = codeOf(envelope)
        // Sent meanwhile by another attempt (a race with the check above): read that one.
        if (code === codes.transactionIdExists) {
          const made = yield* check(request.payoutId)
          if (made === undefined) return yield* new GatewayUnavailable({ gateway, detail: `${describe(envelope)}, yet the check finds no transfer ${request.payoutId}` })
          return yield* sameTransfer(made, request)
        }
        if (code !== codes.success) return yield* failureOf(envelope)
        const sent = transfersIn(envelope.data).find((transfer) => text(transfer.client_transaction_id) === request.payoutId) ?? transfersIn(envelope.data)[0]
        if (sent === undefined) {
          // Success without the transfer in it: it was most likely made; the check will say.
          const made = yield* check(request.payoutId)
          if (made === undefined) return yield* new GatewayUnavailable({ gateway, detail: `send answered success without a transfer, and the check finds none for ${request.payoutId}` })
          return yield* sameTransfer(made, request)
        }
        // Each transfer in a send has its own code [S: code 0 with status "success" in CinetPay's examples].
        const itemCode = text(sent.code)
        if (itemCode !== "" && itemCode !== codes.success) {
          return yield* failureOf({ code: itemCode, message: sent.status ?? null, description: sent.comment ?? null })
        }
        return statusOfTransfer(sent)
      }),

    statusOf: ({ payoutId, gatewayReference }) =>
      Effect.gen(function*() {
        const transfer = yield* check(payoutId)
        if (transfer === undefined) return { state: "unknown", gatewayReference: null, detail: null } satisfies PayoutStatus
        const status = statusOfTransfer(transfer)
        if (gatewayReference !== null && status.gatewayReference !== null && status.gatewayReference !== gatewayReference) {
          return yield* new GatewayRefused({ gateway, detail: `transfer ${status.gatewayReference} under ${payoutId} is not ${gatewayReference}` })
        }
        return status
      })
  }
}
