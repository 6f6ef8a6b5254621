import { Effect, Redacted } from "effect"
import { makeGatewayMemory } from "@nelo/adapters/memory/PaymentGatewaysMemory"
import { makeCinetPayGateway } from "@nelo/adapters/payments/CinetPayGateway"
import { makeWaveGateway } from "@nelo/adapters/payments/WaveGateway"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { cinetpayNotification, fakeCinetPay } from "../../support/fakeCinetPay.ts"
import { fakeWave, waveWebhook } from "../../support/fakeWave.ts"
import { type GatewayUnderTest, paymentGatewayContract } from "./paymentGatewayContract.ts"

const returnPages = { successUrl: "https://nelo.ci/paiement/termine", errorUrl: "https://nelo.ci/paiement/echec", requestTimeoutMs: 2_000 }

const memorySubject = (gateway: Gateway) =>
  Effect.sync((): GatewayUnderTest => {
    const memory = makeGatewayMemory(gateway, { webhookSecret: `memory-${gateway}-secret` })
    return {
      client: memory,
      pay: memory.pay,
      refuse: memory.refuse,
      refusedState: "failed",
      expire: memory.expire,
      setUnavailable: memory.setUnavailable,
      signedWebhook: memory.signedWebhook,
      signatureHeader: "wave-signature",
      expectedEventId: (eventId) => eventId,
      signsTimestamps: true,
      refuseRefund: gateway === "wave" ? memory.refuseRefund : undefined,
      refunded: memory.refunded,
      problems: () => []
    }
  })

const waveSubject = Effect.gen(function*() {
  const apiKey = "wave_ci_prod_contract-key"
  const webhookSecret = "wave_ci_WHS_contract-secret"
  const wave = yield* fakeWave({ apiKey })
  const client = makeWaveGateway({ ...returnPages, apiKey: Redacted.make(apiKey), webhookSecrets: [Redacted.make(webhookSecret)], baseUrl: wave.baseUrl })
  return {
    client,
    pay: (intentId, overrides = {}) =>
      wave.pay(intentId, {
        ...(overrides.amountXof === undefined ? {} : { amount: String(overrides.amountXof) }),
        ...(overrides.currency === undefined ? {} : { currency: overrides.currency })
      }),
    refuse: wave.cancelPayment,
    refusedState: "pending",
    expire: wave.expire,
    setUnavailable: wave.setUnavailable,
    signedWebhook: (eventId, intentId, atMs) =>
      waveWebhook({ id: eventId, type: "checkout.session.completed", data: wave.sessionOf(intentId) }, { secrets: webhookSecret, signedAtMs: atMs }),
    signatureHeader: "wave-signature",
    expectedEventId: (eventId) => eventId,
    signsTimestamps: true,
    refuseRefund: wave.refuseRefund,
    refunded: () => wave.refunds.map((refund) => [...wave.sessions.values()].find((session) => session.id === refund.sessionId)!.client_reference!),
    problems: () => wave.problems
  } satisfies GatewayUnderTest
})

const cinetpaySubject = Effect.gen(function*() {
  const credentials = { apiKey: "cinetpay-contract-apikey", siteId: "445566" }
  const secretKey = "cinetpay-contract-secret-key"
  const cinetpay = yield* fakeCinetPay(credentials)
  const client = makeCinetPayGateway({
    apiKey: Redacted.make(credentials.apiKey),
    siteId: credentials.siteId,
    secretKey: Redacted.make(secretKey),
    baseUrl: cinetpay.baseUrl,
    notifyUrl: "https://api.nelo.ci/api/v1/payments/webhooks/cinetpay",
    returnUrl: returnPages.successUrl,
    requestTimeoutMs: returnPages.requestTimeoutMs
  })
  return {
    client,
    pay: (intentId, overrides = {}) =>
      cinetpay.pay(intentId, {
        ...(overrides.amountXof === undefined ? {} : { amount: String(overrides.amountXof) }),
        ...(overrides.currency === undefined ? {} : { currency: overrides.currency })
      }),
    refuse: (intentId) => cinetpay.refuse(intentId),
    refusedState: "failed",
    expire: undefined,
    setUnavailable: cinetpay.setUnavailable,
    signedWebhook: (_eventId, intentId, atMs) =>
      cinetpayNotification({ secretKey, siteId: credentials.siteId, transactionId: intentId, receivedAtMs: atMs }),
    signatureHeader: "x-token",
    // A notification has no event id: its token stands for one.
    expectedEventId: (_eventId, request) => request.headers["x-token"]!,
    signsTimestamps: false,
    refuseRefund: undefined,
    refunded: () => [],
    problems: () => cinetpay.problems
  } satisfies GatewayUnderTest
})

paymentGatewayContract("memory (wave)", memorySubject("wave"))
paymentGatewayContract("memory (cinetpay)", memorySubject("cinetpay"))
paymentGatewayContract("Wave client against a fake Wave API", waveSubject)
paymentGatewayContract("CinetPay client against a fake CinetPay API", cinetpaySubject)
