import type { Command } from "commander"
import { Clock, Console, Effect, Option, Schema, SchemaTransformation } from "effect"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import { normalizePromotionCode, type Promotion, type PromotionBenefit, PromotionCode, PromotionTerms } from "@nelo/domain/orders/Promotion"
import type { Viewer } from "@nelo/domain/orders/orderAccess"
import { francs } from "@nelo/domain/shared/francs"
import { BasisPoints } from "@nelo/domain/shared/Xof"
import { runCommand } from "../runCommand.ts"
import { adminOption, OrdersCommandRefused, OrdersLayer, refuse, resolveAdmin, unwrapUnavailable } from "./ordersCommands.ts"

// ---------------------------------------------------------------------------------------------
// Reading the options: each one decoded by a Schema; a bad one is named in one French sentence.
// ---------------------------------------------------------------------------------------------

/** Digits only (no sign, decimals, exponent or spaces), then the domain's schema for that figure. */
export const WholeNumber = <S extends Schema.Codec<unknown, number | null>>(schema: S) =>
  Schema.String.pipe(
    Schema.check(Schema.isPattern(/^\d{1,12}$/u)),
    Schema.decodeTo(schema, SchemaTransformation.transform<S["Encoded"], string>({ decode: (typed) => Number(typed), encode: (value) => String(value) }))
  )

/**
 * A percentage as people type it (20, 12.5, 12,5, at most two decimals), turned exactly into basis
 * points without going through a float: 12.5 → 1,250. From 0.01 % to 100 %.
 */
const PercentAsBasisPoints = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{1,3}(?:[.,]\d{1,2})?$/u)),
  Schema.decodeTo(BasisPoints.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))), SchemaTransformation.transform({
    decode: (typed: string) => {
      const [whole = "0", fraction = ""] = typed.split(/[.,]/u)
      return Number(whole) * 100 + Number(fraction.padEnd(2, "0"))
    },
    encode: (basisPoints: number) => `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, "0")}`
  }))
)

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/u

/** A date and time that exist (no 30 February, no 25:00); the offset, when given, within ±14:00. */
const existingInstant = Schema.makeFilter((typed: string) => {
  const parts = isoPattern.exec(typed)
  if (parts === null) return false
  const [, year, month, day, hours = "00", minutes = "00", seconds = "00", offset = "Z"] = parts
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  const dayExists = calendar.getUTCFullYear() === Number(year) && calendar.getUTCMonth() === Number(month) - 1 && calendar.getUTCDate() === Number(day)
  const offsetFits = offset === "Z" || (Number(offset.slice(1, 3)) <= 14 && Number(offset.slice(4, 6)) <= 59)
  return dayExists && Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59 && offsetFits
}, { expected: "une date ISO 8601 qui existe" })

/**
 * An instant in ISO 8601: a day (2025-07-01, from midnight), or a day and a time with or without
 * its offset. Without an offset it is read in Abidjan's time, which is UTC all year.
 */
export const IsoInstant = Schema.String.pipe(
  Schema.check(Schema.isPattern(isoPattern), existingInstant),
  Schema.decodeTo(Schema.Date, SchemaTransformation.transform({
    decode: (typed: string) => {
      const instant = typed.replace(" ", "T")
      if (instant.length === 10) return new Date(`${instant}T00:00:00Z`)
      return new Date(/(?:Z|[+-]\d{2}:\d{2})$/u.test(instant) ? instant : `${instant}Z`)
    },
    encode: (date: Date) => date.toISOString()
  }))
)

export const ProviderUuid = Schema.String.pipe(Schema.check(Schema.isUUID()))

/** The option decoded by its schema, or the sentence that names it. */
export const decodeOption = <S extends Schema.Decoder<unknown>>(schema: S, typed: string, sentence: (typed: string) => string): Effect.Effect<S["Type"], OrdersCommandRefused> =>
  Option.match(Schema.decodeUnknownOption(schema)(typed.trim()), {
    onNone: () => Effect.fail(new OrdersCommandRefused({ message: sentence(typed.trim()) })),
    onSome: (value) => Effect.succeed(value)
  })

export const decodeIfGiven = <S extends Schema.Decoder<unknown>>(schema: S, typed: string | undefined, sentence: (typed: string) => string) =>
  typed === undefined ? Effect.succeed(null) : decodeOption(schema, typed, sentence)

const fieldOf = PromotionTerms.fields
const tenMillion = "10 000 000"

const sentences = {
  label: () => "--label : le libellé que lit le client est obligatoire, de 2 à 120 caractères, en texte simple (par exemple « -20 % sur votre première commande »).",
  percent: (option: string) => (typed: string) => `${option} attend un pourcentage entre 0,01 et 100, avec au plus 2 décimales (par exemple 20 ou 12,5), pas « ${typed} ».`,
  amount: (option: string) => (typed: string) => `${option} attend un montant en francs CFA, un nombre entier entre 1 et ${tenMillion}, pas « ${typed} ».`,
  minimum: (typed: string) => `--minimum attend un montant d'articles en francs CFA, un nombre entier entre 0 et ${tenMillion}, pas « ${typed} ».`,
  maxUses: (typed: string) => `--max-uses attend un nombre entier d'utilisations entre 1 et ${tenMillion}, pas « ${typed} ».`,
  perCustomer: (typed: string) => `--per-customer attend un nombre entier d'utilisations par client entre 1 et 1 000, pas « ${typed} ».`,
  code: (typed: string) => `--code attend un code de 3 à 20 lettres ou chiffres, sans espace ni accent (par exemple BIENVENUE20), pas « ${typed} ».`,
  date: (option: string) => (typed: string) =>
    `${option} attend une date ISO 8601 qui existe, par exemple 2025-07-01 ou 2025-07-01T08:00 (heure d'Abidjan, UTC) ou 2025-07-01T08:00:00Z, pas « ${typed} ».`,
  provider: (typed: string) => `--provider attend l'identifiant (UUID) d'un commerce, pas « ${typed} ».`,
  fundedBy: (typed: string) => `--funded-by attend platform (la plateforme paie la réduction) ou provider (le commerce la paie), pas « ${typed} ».`
}

interface CreateOptions {
  readonly admin: string
  readonly label?: string
  readonly percent?: string
  readonly amount?: string
  readonly freeDelivery?: boolean
  readonly deliveryPercent?: string
  readonly code?: string
  readonly minimum?: string
  readonly cap?: string
  readonly starts?: string
  readonly ends?: string
  readonly maxUses?: string
  readonly budget?: string
  readonly perCustomer?: string
  readonly firstOrder?: boolean
  readonly provider?: string
  readonly fundedBy?: string
}

/** What the promotion gives: exactly one of the four options. */
const decodeBenefit = (options: CreateOptions) =>
  Effect.gen(function*() {
    const given = [
      options.percent === undefined ? [] : ["--percent"],
      options.amount === undefined ? [] : ["--amount"],
      options.freeDelivery === true ? ["--free-delivery"] : [],
      options.deliveryPercent === undefined ? [] : ["--delivery-percent"]
    ].flat()
    if (given.length === 0) return yield* refuse("Dites ce que donne la promotion : --percent, --amount, --free-delivery ou --delivery-percent.")
    if (given.length > 1) {
      return yield* refuse(`Une promotion donne une seule chose : ${given.slice(0, -1).join(", ")} et ${given.at(-1)} ne vont pas ensemble, gardez-en une.`)
    }
    if (options.percent !== undefined) {
      return { _tag: "PercentOff" as const, basisPoints: yield* decodeOption(PercentAsBasisPoints, options.percent, sentences.percent("--percent")) }
    }
    if (options.amount !== undefined) {
      const amountXof = yield* decodeOption(WholeNumber(fieldOf.maximumDiscountXof), options.amount, sentences.amount("--amount"))
      return { _tag: "AmountOff" as const, amountXof: amountXof! }
    }
    if (options.deliveryPercent !== undefined) {
      return { _tag: "DeliveryOff" as const, basisPoints: yield* decodeOption(PercentAsBasisPoints, options.deliveryPercent, sentences.percent("--delivery-percent")) }
    }
    return { _tag: "DeliveryOff" as const, basisPoints: BasisPoints.make(10_000) }
  })

/** Every option decoded, in the order of the usage line; the start, when not given, is left to the caller (now). */
const decodeCreateOptions = (options: CreateOptions) =>
  Effect.gen(function*() {
    const label = yield* decodeOption(fieldOf.label, options.label ?? "", sentences.label)
    const benefit = yield* decodeBenefit(options)
    const code = yield* decodeIfGiven(PromotionCode, options.code, sentences.code)
    const minimumSubtotalXof = options.minimum === undefined ? 0 : yield* decodeOption(WholeNumber(fieldOf.minimumSubtotalXof), options.minimum, sentences.minimum)
    const maximumDiscountXof = yield* decodeIfGiven(WholeNumber(fieldOf.maximumDiscountXof), options.cap, sentences.amount("--cap"))
    const startsAt = yield* decodeIfGiven(IsoInstant, options.starts, sentences.date("--starts"))
    const endsAt = yield* decodeIfGiven(IsoInstant, options.ends, sentences.date("--ends"))
    const maximumUses = yield* decodeIfGiven(WholeNumber(fieldOf.maximumUses), options.maxUses, sentences.maxUses)
    const budgetXof = yield* decodeIfGiven(WholeNumber(fieldOf.budgetXof), options.budget, sentences.amount("--budget"))
    const perCustomerLimit = yield* decodeIfGiven(WholeNumber(fieldOf.perCustomerLimit), options.perCustomer, sentences.perCustomer)
    const providerId = yield* decodeIfGiven(ProviderUuid, options.provider, sentences.provider)
    const fundedBy = yield* decodeOption(fieldOf.fundedBy, options.fundedBy ?? "platform", sentences.fundedBy)
    return {
      label,
      benefit,
      code: code === null ? null : normalizePromotionCode(code),
      minimumSubtotalXof,
      maximumDiscountXof,
      startsAt,
      endsAt,
      maximumUses,
      budgetXof,
      perCustomerLimit,
      firstOrderOnly: options.firstOrder === true,
      providerId,
      fundedBy
    }
  })

// ---------------------------------------------------------------------------------------------
// Writing a promotion for an administrator
// ---------------------------------------------------------------------------------------------

/** 1,250 basis points → "12,5 %". */
const percentWords = (basisPoints: number) => `${String(basisPoints / 100).replace(".", ",")} %`

export const benefitWords = (benefit: PromotionBenefit) => {
  switch (benefit._tag) {
    case "PercentOff":
      return `-${percentWords(benefit.basisPoints)}`
    case "AmountOff":
      return `-${francs(benefit.amountXof)}`
    case "DeliveryOff":
      return benefit.basisPoints === 10_000 ? "livraison offerte" : `-${percentWords(benefit.basisPoints)} sur la livraison`
  }
}

/** Abidjan's time is UTC all year: "2025-07-01 08:00". */
const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ")

const promotionLine = (promotion: Promotion, providerName: string | null) => {
  const conditions = [
    promotion.minimumSubtotalXof > 0 ? `dès ${francs(promotion.minimumSubtotalXof)} d'articles` : [],
    promotion.maximumDiscountXof === null ? [] : `au plus ${francs(promotion.maximumDiscountXof)} par commande`,
    promotion.perCustomerLimit === null ? [] : `${promotion.perCustomerLimit} fois par client`,
    promotion.firstOrderOnly ? "première commande seulement" : []
  ].flat()
  return [
    promotion.code ?? "(automatique)",
    `« ${promotion.label} »`,
    `${benefitWords(promotion.benefit)}${conditions.length === 0 ? "" : ` (${conditions.join(", ")})`}`,
    promotion.maximumUses === null ? `${promotion.usesCount} utilisation(s), sans maximum` : `${promotion.usesCount}/${promotion.maximumUses} utilisations`,
    promotion.budgetXof === null ? `${francs(promotion.discountTotalXof)} accordés, sans budget` : `${francs(promotion.discountTotalXof)} accordés sur ${francs(promotion.budgetXof)}`,
    promotion.endsAt === null ? `à partir du ${when(promotion.startsAt)}, sans fin` : `du ${when(promotion.startsAt)} au ${when(promotion.endsAt)}`,
    promotion.providerId === null ? "tous les commerces" : `commerce ${providerName === null ? promotion.providerId : `${providerName} (${promotion.providerId})`}`,
    `financée par ${promotion.fundedBy === "platform" ? "la plateforme" : "le commerce"}`,
    promotion.active ? "active" : "inactive",
    `id ${promotion.id}`
  ].join(" | ")
}

/** The promotion's line, with its provider's name looked up (its id alone when the provider is gone). */
const describePromotion = (providers: ProviderRepository["Service"], promotion: Promotion) =>
  promotion.providerId === null
    ? Effect.succeed(promotionLine(promotion, null))
    : Effect.map(providers.findById(promotion.providerId), (found) => promotionLine(promotion, Option.isSome(found) ? found.value.name : null))

/** Every promotion (active ones only unless `all`), newest first, page after page. */
const everyPromotion = (viewer: Viewer, activeOnly: boolean) =>
  Effect.gen(function*() {
    const service = yield* Orders
    const found: Array<Promotion> = []
    let cursor: string | null = null
    do {
      const page: { readonly promotions: ReadonlyArray<Promotion>; readonly nextCursor: string | null } = yield* service.promotions.list(viewer, { activeOnly, cursor, limit: 100 })
      found.push(...page.promotions)
      cursor = page.nextCursor
    } while (cursor !== null)
    return found
  })

/** The promotion named by its id or its code (codes are read without regard to case). */
const findPromotion = (viewer: Viewer, typed: string) =>
  Effect.gen(function*() {
    const trimmed = typed.trim()
    if (Schema.is(ProviderUuid)(trimmed)) {
      return yield* (yield* Orders).promotions.get(viewer, trimmed.toLowerCase()).pipe(
        Effect.catchTag("PromotionNotFound", () => refuse(`Aucune promotion n'a l'identifiant ${trimmed}.`))
      )
    }
    if (Schema.is(PromotionCode)(trimmed)) {
      const code = normalizePromotionCode(trimmed)
      const found = (yield* everyPromotion(viewer, false)).find((promotion) => promotion.code === code)
      return found ?? (yield* refuse(`Aucune promotion n'a le code ${code}.`))
    }
    return yield* refuse(`« ${trimmed} » n'est ni l'identifiant (UUID) ni le code (3 à 20 lettres ou chiffres) d'une promotion.`)
  })

/** The domain's refusals of a promotion's terms, naming the option that set them. */
const explainTermsRefusal = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.mapError((error) => {
    const refused = error as unknown as { readonly _tag: string; readonly reason?: string; readonly code?: string }
    if (refused._tag === "PromotionCodeTaken") return new OrdersCommandRefused({ message: `--code : le code ${refused.code} est déjà pris par une autre promotion.` })
    if (refused._tag === "PromotionTermsInvalid" && refused.reason === "ends_before_start") {
      return new OrdersCommandRefused({ message: "--ends : la fin de la promotion doit venir après son début (--starts, maintenant par défaut)." })
    }
    if (refused._tag === "PromotionTermsInvalid" && refused.reason === "provider_not_found") {
      return new OrdersCommandRefused({ message: "--provider : aucun commerce n'a cet identifiant." })
    }
    return unwrapUnavailable(error)
  }))

const asViewer = (admin: { readonly id: Viewer["userId"]; readonly roles: Viewer["roles"] }): Viewer => ({ userId: admin.id, roles: admin.roles })

const adminHelp = "l'administrateur qui agit (son numéro ou son id)"

export const registerPromotionsCommands = (program: Command) => {
  const promotions = program.command("promotions").description("Promotions : codes promo et réductions automatiques.")

  promotions.command("list")
    .description("Les promotions actives (toutes avec --all), la plus récente d'abord : code, libellé, réduction, utilisations, montant accordé, période, commerce, qui paie.")
    .option("--all", "inclure les promotions désactivées")
    .requiredOption(adminOption, adminHelp)
    .action((options: { admin: string; all?: boolean }) =>
      runCommand(Effect.gen(function*() {
        const admin = yield* resolveAdmin(options.admin)
        const providers = yield* ProviderRepository
        const found = yield* everyPromotion(asViewer(admin), options.all !== true)
        if (found.length === 0) return yield* Console.log(options.all === true ? "Aucune promotion." : "Aucune promotion active.")
        for (const promotion of found) yield* Console.log(yield* describePromotion(providers, promotion))
        yield* Console.log(`${found.length} promotion(s)${options.all === true ? "" : " active(s)"}.`)
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(OrdersLayer))))

  promotions.command("create")
    .description("Crée une promotion, active dès --starts (maintenant par défaut). Un code la réserve à qui le tape ; sans code elle s'applique d'elle-même à chaque commande qui remplit ses conditions.")
    .requiredOption(adminOption, adminHelp)
    .option("--label <text>", "ce que lit le client, par exemple « -20 % sur votre première commande » (obligatoire)")
    .option("--percent <n>", "réduction en pourcentage des articles (20, 12.5 : au plus 2 décimales)")
    .option("--amount <francs>", "réduction fixe sur les articles, en francs CFA")
    .option("--free-delivery", "livraison offerte")
    .option("--delivery-percent <n>", "réduction en pourcentage des frais de livraison")
    .option("--code <CODE>", "le code que tape le client (3 à 20 lettres ou chiffres) ; sans code : automatique")
    .option("--minimum <francs>", "montant minimal d'articles, en francs CFA (0 par défaut)")
    .option("--cap <francs>", "réduction maximale par commande, en francs CFA")
    .option("--starts <ISO>", "début (2025-07-01 ou 2025-07-01T08:00, heure d'Abidjan = UTC) ; maintenant par défaut")
    .option("--ends <ISO>", "fin ; sans fin par défaut")
    .option("--max-uses <n>", "nombre maximal d'utilisations, tous clients confondus")
    .option("--budget <francs>", "total maximal des réductions accordées, en francs CFA")
    .option("--per-customer <n>", "nombre maximal d'utilisations par client")
    .option("--first-order", "réservée à la première commande d'un client")
    .option("--provider <uuid>", "réservée à ce commerce ; tous les commerces par défaut")
    .option("--funded-by <who>", "qui paie la réduction : platform (par défaut) ou provider")
    .action((options: CreateOptions) =>
      runCommand(Effect.gen(function*() {
        const decoded = yield* decodeCreateOptions(options)
        const admin = yield* resolveAdmin(options.admin)
        const startsAt = decoded.startsAt ?? new Date(yield* Clock.currentTimeMillis)
        const terms = yield* Schema.decodeUnknownEffect(PromotionTerms)({ ...decoded, startsAt }).pipe(
          // Every field was decoded above: a refusal here is a mistake of this command, not of the admin.
          Effect.orDie
        )
        const created = yield* (yield* Orders).promotions.create(asViewer(admin), terms).pipe(explainTermsRefusal)
        yield* Console.log(`Promotion créée par ${admin.fullName} :`)
        yield* Console.log(yield* describePromotion(yield* ProviderRepository, created))
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(OrdersLayer))))

  promotions.command("deactivate")
    .description("Désactive une promotion : elle ne s'applique plus à aucune nouvelle commande (les commandes qui l'ont utilisée la gardent).")
    .argument("<id-or-code>", "l'identifiant de la promotion, ou son code")
    .requiredOption(adminOption, adminHelp)
    .action((typed: string, options: { admin: string }) =>
      runCommand(Effect.gen(function*() {
        const admin = yield* resolveAdmin(options.admin)
        const viewer = asViewer(admin)
        const promotion = yield* findPromotion(viewer, typed)
        const providers = yield* ProviderRepository
        if (!promotion.active) {
          yield* Console.log("Cette promotion est déjà inactive : rien à faire.")
          return yield* Console.log(yield* describePromotion(providers, promotion))
        }
        const deactivated = yield* (yield* Orders).promotions.deactivate(viewer, promotion.id)
        yield* Console.log(`Promotion désactivée par ${admin.fullName} :`)
        yield* Console.log(yield* describePromotion(providers, deactivated))
      }).pipe(Effect.mapError(unwrapUnavailable), Effect.provide(OrdersLayer))))
}
