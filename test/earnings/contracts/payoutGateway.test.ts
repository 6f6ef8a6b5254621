import { Effect, Redacted } from "effect"
import { makePayoutMemory } from "@nelo/adapters/memory/PayoutGatewaysMemory"
import { makeCinetPayTransferClient } from "@nelo/adapters/payments/CinetPayTransferClient"
import { makeWavePayoutClient } from "@nelo/adapters/payments/WavePayoutClient"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { fakeCinetPay } from "../../support/fakeCinetPay.ts"
import { fakeWave } from "../../support/fakeWave.ts"
import { type PayoutGatewayUnderTest, payoutGatewayContract } from "./payoutGatewayContract.ts"

/** Short enough for a lost answer to cost little time, long enough for a loaded machine. */
const requestTimeoutMs = 2_000
const lateAnswerMs = 5_000

const memorySubject = (gateway: Gateway) =>
  Effect.sync((): PayoutGatewayUnderTest => {
    const memory = makePayoutMemory(gateway)
    return {
      client: memory,
      paid: () => memory.accepted().map((request) => request.payoutId),
      holdNew: memory.holdNew,
      settle: (payoutId, state) => memory.settle(payoutId, state, state === "failed" ? "the recipient's account is blocked" : undefined),
      reverse: (payoutId) => memory.settle(payoutId, "reversed"),
      refuseMobile: memory.refuseMobile,
      setUnavailable: memory.setUnavailable,
      loseNextAnswer: memory.loseNextAnswer,
      multiplesOfFive: gateway === "cinetpay",
      problems: () => []
    }
  })

const waveSubject = Effect.gen(function*() {
  const apiKey = "wave_ci_prod_payout-contract-key"
  const wave = yield* fakeWave({ apiKey })
  const client = makeWavePayoutClient({ apiKey: Redacted.make(apiKey), baseUrl: wave.baseUrl, requestTimeoutMs })
  return {
    client,
    paid: () => wave.payoutsCreated().map((payout) => payout.client_reference!),
    holdNew: wave.holdPayouts,
    settle: (payoutId, state) => wave.settlePayout(payoutId, state),
    reverse: (payoutId) => wave.settlePayout(payoutId, "reversed"),
    refuseMobile: wave.refusePayoutsTo,
    setUnavailable: wave.setUnavailable,
    loseNextAnswer: () => wave.delayNextPayoutAnswer(lateAnswerMs),
    multiplesOfFive: false,
    problems: () => wave.problems
  } satisfies PayoutGatewayUnderTest
})

const cinetpaySubject = Effect.gen(function*() {
  const credentials = { apiKey: "cinetpay-payout-contract-apikey", siteId: "445566", transferPassword: "cinetpay-transfer-password" }
  const cinetpay = yield* fakeCinetPay(credentials)
  const client = makeCinetPayTransferClient({
    apiKey: Redacted.make(credentials.apiKey),
    password: Redacted.make(credentials.transferPassword),
    baseUrl: cinetpay.baseUrl,
    notifyUrl: "https://api.nelo.ci/api/v1/payouts/webhooks/cinetpay",
    requestTimeoutMs
  })
  return {
    client,
    paid: () => cinetpay.transfersMade().map((transfer) => transfer.client_transaction_id),
    holdNew: cinetpay.holdTransfers,
    settle: (payoutId, state) => cinetpay.settleTransfer(payoutId, state === "succeeded" ? "VAL" : "REJ"),
    reverse: undefined,
    refuseMobile: cinetpay.refuseTransfersTo,
    setUnavailable: cinetpay.setUnavailable,
    loseNextAnswer: () => cinetpay.delayNextSendAnswer(lateAnswerMs),
    multiplesOfFive: true,
    problems: () => cinetpay.problems
  } satisfies PayoutGatewayUnderTest
})

payoutGatewayContract("memory (wave)", memorySubject("wave"))
payoutGatewayContract("memory (cinetpay)", memorySubject("cinetpay"))
payoutGatewayContract("Wave payout client against a fake Wave API", waveSubject)
payoutGatewayContract("CinetPay transfer client against a fake CinetPay API", cinetpaySubject)
