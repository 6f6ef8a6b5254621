import { describe, expect, it } from "vitest"
import { OpenApi } from "effect/http-api"
import { NeloApi } from "../../../apps/http/src/NeloApi.ts"

// The contract as a client generator reads it (/openapi.json, built here in-process): the mobile
// team's types must be usable as generated. So every schema a request or response can meet says
// its bounds: strings a maxLength (or an enum, a const, or an anchored pattern of bounded length),
// arrays a maxItems, numbers a minimum and a maximum, integers also a format (int32/int64) that
// holds their range, and nothing is left shapeless (a generator makes `{}` unknown). Admin
// operations need the adminBearer scheme; every 429 says when to come back in Retry-After.

type JsonSchema = Record<string, any>

interface Violation {
  readonly where: string
  readonly problem: string
}

/**
 * The longest text an anchored regex source can match: Infinity when it is not anchored at both
 * ends, has a top-level alternation (`^a|b$` is not anchored) or repeats without bound (*, +, {n,}).
 */
const patternMaximumLength = (source: string): number => {
  if (!source.startsWith("^") || !source.endsWith("$") || source.endsWith("\\$")) return Infinity
  let index = 0
  const alternation = (depth: number): number => {
    let longest = sequence(depth)
    while (source[index] === "|") {
      if (depth === 0) return Infinity
      index++
      longest = Math.max(longest, sequence(depth))
    }
    return longest
  }
  const sequence = (depth: number): number => {
    let total = 0
    while (index < source.length && source[index] !== "|" && source[index] !== ")") total += quantified(atom(depth))
    return total
  }
  const atom = (depth: number): number => {
    const char = source[index++]
    if (char === "^" || char === "$") return 0
    if (char === "(") {
      if (source[index] === "?") {
        const kind = source[index + 1]
        // (?:…) and lookaheads; (?<=…) (?<!…) lookbehinds; (?<name>…) named groups
        if (kind === ":" || kind === "=" || kind === "!") index += 2
        else if (kind === "<" && (source[index + 2] === "=" || source[index + 2] === "!")) index += 3
        else if (kind === "<") index = source.indexOf(">", index) + 1
      }
      const inner = alternation(depth + 1)
      if (source[index] !== ")") return Infinity
      index++
      return inner
    }
    if (char === "[") {
      if (source[index] === "^") index++
      if (source[index] === "]") index++
      while (index < source.length && source[index] !== "]") index += source[index] === "\\" ? 2 : 1
      index++
      return 1
    }
    if (char === "\\") {
      const escaped = source[index++]
      if (escaped === "u" && source[index] === "{") index = source.indexOf("}", index) + 1
      else if (escaped === "u") index += 4
      else if (escaped === "x") index += 2
      else if (escaped === "b" || escaped === "B") return 0
    }
    return 1
  }
  const quantified = (length: number): number => {
    let result: number
    const char = source[index]
    if (char === "*" || char === "+") {
      index++
      result = length === 0 ? 0 : Infinity
    } else if (char === "?") {
      index++
      result = length
    } else if (char === "{") {
      const match = /^\{(\d+)(,(\d*))?\}/u.exec(source.slice(index))
      if (match === null) return length
      index += match[0].length
      const upper = match[2] === undefined ? Number(match[1]) : match[3] === "" ? Infinity : Number(match[3])
      result = length === 0 ? 0 : length * upper
    } else {
      return length
    }
    if (source[index] === "?") index++ // lazy quantifier
    return result
  }
  const longest = alternation(0)
  return index === source.length ? longest : Infinity
}

const integerFormats: Record<string, { readonly minimum: number; readonly maximum: number }> = {
  int32: { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  // JSON numbers are exact up to 2^53: an int64 the API sends stays within what a client can read.
  int64: { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }
}

const typesOf = (schema: JsonSchema): ReadonlyArray<string> =>
  typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : []

const isObject = (value: unknown): value is JsonSchema => typeof value === "object" && value !== null && !Array.isArray(value)

/** A node's keywords with those of its allOf members, where the generator puts stacked checks. */
const withChecks = (schema: JsonSchema): JsonSchema => {
  let keywords: JsonSchema = { ...schema }
  for (const member of Array.isArray(schema.allOf) ? schema.allOf : []) {
    if (isObject(member) && member.$ref === undefined) keywords = { ...withChecks(member), ...keywords }
  }
  return keywords
}

interface Place {
  /** A multipart body: its file parts are bytes ({ type: string, format: binary }), bounded by the upload limit. */
  readonly multipart?: boolean
  /** A file downloaded as a stream (a statement's CSV): its bytes ({ type: string, format: binary }), as long as the period asked. */
  readonly download?: boolean
}

const checkSchema = (schema: unknown, where: string, violations: Array<Violation>, place: Place = {}): void => {
  if (schema === true || schema === false) return
  if (!isObject(schema)) {
    violations.push({ where, problem: "is not a schema" })
    return
  }
  if (typeof schema.$ref === "string") return // components are checked on their own
  const keywords = withChecks(schema)
  const types = typesOf(keywords)
  const fixed = Array.isArray(keywords.enum) || Object.hasOwn(keywords, "const")
  const composed = ["anyOf", "oneOf", "allOf"].some((key) => Array.isArray(schema[key])) || schema.not !== undefined
  if (types.length === 0 && !composed && !fixed) violations.push({ where, problem: "has no type: a generator makes it unknown" })
  if (!fixed) {
    for (const type of types) {
      if (type === "string") {
        const filePart = (place.multipart === true || place.download === true) && keywords.format === "binary"
        const bounded = typeof keywords.maxLength === "number" || (typeof keywords.pattern === "string" && patternMaximumLength(keywords.pattern) < Infinity)
        if (!bounded && !filePart) violations.push({ where, problem: "string without maxLength (nor enum, const or an anchored pattern of bounded length)" })
      }
      if (type === "array" && typeof keywords.maxItems !== "number") violations.push({ where, problem: "array without maxItems" })
      if (type === "integer" || type === "number") {
        const minimum = typeof keywords.minimum === "number" ? keywords.minimum : keywords.exclusiveMinimum
        const maximum = typeof keywords.maximum === "number" ? keywords.maximum : keywords.exclusiveMaximum
        const bounded = typeof minimum === "number" && typeof maximum === "number"
        if (!bounded) violations.push({ where, problem: `${type} without minimum and maximum` })
        if (type === "integer") {
          const range = integerFormats[keywords.format]
          if (range === undefined) violations.push({ where, problem: "integer without format int32 or int64" })
          else if (bounded && (minimum < range.minimum || maximum > range.maximum)) {
            violations.push({ where, problem: `integer in [${minimum}, ${maximum}] does not fit its format ${keywords.format}` })
          }
        }
      }
      if (type === "object" && !isObject(keywords.properties) && !isObject(keywords.additionalProperties)) {
        violations.push({ where, problem: "object without properties: a generator makes it a record of unknown" })
      }
    }
  }
  for (const [name, property] of Object.entries(isObject(schema.properties) ? schema.properties : {})) checkSchema(property, `${where}.${name}`, violations, place)
  if (schema.items !== undefined) checkSchema(schema.items, `${where}[]`, violations, place)
  if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((item: unknown, index: number) => checkSchema(item, `${where}[${index}]`, violations, place))
  if (isObject(schema.additionalProperties)) checkSchema(schema.additionalProperties, `${where}{*}`, violations, place)
  for (const [pattern, property] of Object.entries(isObject(schema.patternProperties) ? schema.patternProperties : {})) checkSchema(property, `${where}{${pattern}}`, violations, place)
  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(schema[key])) schema[key].forEach((member: unknown, index: number) => checkSchema(member, `${where}(${key} ${index})`, violations, place))
  }
  if (Array.isArray(schema.allOf)) {
    // Members without a type only add checks to this node (merged above); their nested shapes are still walked.
    schema.allOf.forEach((member: unknown, index: number) => {
      if (isObject(member) && member.$ref === undefined && typesOf(member).length === 0) {
        for (const [name, property] of Object.entries(isObject(member.properties) ? member.properties : {})) checkSchema(property, `${where}.${name}`, violations, place)
        if (member.items !== undefined) checkSchema(member.items, `${where}[]`, violations, place)
      } else {
        checkSchema(member, `${where}(allOf ${index})`, violations, place)
      }
    })
  }
}

const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const

const operationsOf = (spec: JsonSchema) =>
  Object.entries(spec.paths as Record<string, JsonSchema>).flatMap(([path, item]) =>
    methods.flatMap((method) => item[method] === undefined ? [] : [{ path, method, at: `${method.toUpperCase()} ${path}`, operation: item[method] as JsonSchema }]))

/** Every schema a generator meets: the components, and each operation's parameters, bodies and headers. */
const contractViolations = (spec: JsonSchema): ReadonlyArray<Violation> => {
  const violations: Array<Violation> = []
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) checkSchema(schema, `#/components/schemas/${name}`, violations)
  for (const { at, operation } of operationsOf(spec)) {
    for (const parameter of operation.parameters ?? []) checkSchema(parameter.schema, `${at} ${parameter.in} ${parameter.name}`, violations)
    for (const [contentType, media] of Object.entries<JsonSchema>(operation.requestBody?.content ?? {})) {
      checkSchema(media.schema, `${at} request ${contentType}`, violations, { multipart: contentType === "multipart/form-data" })
    }
    for (const [status, response] of Object.entries<JsonSchema>(operation.responses ?? {})) {
      for (const [contentType, media] of Object.entries<JsonSchema>(response.content ?? {})) checkSchema(media.schema, `${at} ${status} ${contentType}`, violations, { download: contentType === "text/csv" })
      for (const [name, header] of Object.entries<JsonSchema>(response.headers ?? {})) checkSchema(header.schema, `${at} ${status} header ${name}`, violations)
    }
  }
  return violations
}

const describeAll = (violations: ReadonlyArray<Violation>) => violations.map(({ problem, where }) => `${where}: ${problem}`)

const spec = OpenApi.fromApi(NeloApi) as unknown as JsonSchema

describe("the OpenAPI contract", () => {
  it("the checks catch what they are meant to (a rule that cannot fail proves nothing)", () => {
    expect(patternMaximumLength("^\\d{4}$")).toBe(4)
    expect(patternMaximumLength("^\\d{1,5}$")).toBe(5)
    expect(patternMaximumLength("^[A-Za-z0-9_.:-]{8,100}$")).toBe(100)
    expect(patternMaximumLength("^(?:[0-9a-f]{8}-[0-9a-f]{4}|0{13})$")).toBe(13)
    expect(patternMaximumLength("^[+-]?(?:\\d+(?:\\.\\d+)?|\\.\\d+)$")).toBe(Infinity)
    expect(patternMaximumLength("^a|b$")).toBe(Infinity)
    expect(patternMaximumLength("\\d{4}")).toBe(Infinity)
    expect(patternMaximumLength("^\\d{2,}$")).toBe(Infinity)
    const problems = (schema: JsonSchema, place?: Place) => {
      const violations: Array<Violation> = []
      checkSchema(schema, "x", violations, place)
      return violations.map(({ problem }) => problem)
    }
    expect(problems({ type: "string" })).toHaveLength(1)
    expect(problems({ type: "string", pattern: "^[0-9]+$" })).toHaveLength(1)
    expect(problems({ type: "string", maxLength: 10 })).toEqual([])
    expect(problems({ type: "string", enum: ["a"] })).toEqual([])
    expect(problems({ type: "string", format: "binary" }, { multipart: true })).toEqual([])
    expect(problems({ type: "string", format: "binary" })).toHaveLength(1)
    expect(problems({ type: "array", items: { type: "string", maxLength: 1 } })).toEqual(["array without maxItems"])
    expect(problems({ type: "integer", minimum: 0, maximum: 10 })).toEqual(["integer without format int32 or int64"])
    expect(problems({ type: "integer", format: "int32", minimum: 0, maximum: 2 ** 31 })).toHaveLength(1)
    expect(problems({ type: "integer", format: "int64", minimum: 0 })).toEqual(["integer without minimum and maximum"])
    expect(problems({ type: "number", allOf: [{ minimum: 0, maximum: 1 }] })).toEqual([])
    expect(problems({ anyOf: [{ type: "number" }, { type: "string", enum: ["NaN"] }] })).toEqual(["number without minimum and maximum"])
    expect(problems({ type: "object", properties: { a: {} } })).toEqual(["has no type: a generator makes it unknown"])
    expect(problems({ type: "object" })).toHaveLength(1)
  })

  it("every string, array and number a request or a response can carry is bounded, every integer has a format", () => {
    expect(describeAll(contractViolations(spec))).toEqual([])
  })

  it("numbers in the query string say what text is accepted", () => {
    const numeric = operationsOf(spec).flatMap(({ at, operation }) =>
      (operation.parameters ?? [])
        .filter((parameter: JsonSchema) => ["limit", "lat", "lng", "radiusM"].includes(parameter.name))
        .map((parameter: JsonSchema) => ({ at: `${at} ${parameter.name}`, schema: parameter.schema as JsonSchema })))
    expect(numeric.length).toBeGreaterThanOrEqual(7)
    for (const { at, schema } of numeric) {
      expect(schema.type, at).toBe("string")
      expect(typeof schema.pattern, at).toBe("string")
      expect(schema.maxLength, at).toBeLessThanOrEqual(64)
      // The range is in the description, for the people who read the generated docs.
      expect(schema.description, at).toMatch(/ de -?\d+ à \d+/u)
    }
  })

  it("admin operations need an administrator's bearer token (adminBearer), and only they do", () => {
    expect(spec.components.securitySchemes.adminBearer).toEqual({ type: "http", scheme: "Bearer", description: "jeton d'un compte administrateur" })
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "Bearer" })
    const operations = operationsOf(spec)
    const admin = operations.filter(({ path }) => path.startsWith("/api/v1/admin/"))
    expect(admin.map(({ at }) => at).sort()).toEqual([
      "GET /api/v1/admin/deliveries",
      "GET /api/v1/admin/deliveries/{deliveryId}",
      "GET /api/v1/admin/delivery-fees",
      "GET /api/v1/admin/drivers/cash",
      "GET /api/v1/admin/promotions",
      "GET /api/v1/admin/promotions/{promotionId}",
      "GET /api/v1/admin/reports/revenue",
      "POST /api/v1/admin/deliveries/{deliveryId}/assign",
      "POST /api/v1/admin/deliveries/{deliveryId}/complete",
      "POST /api/v1/admin/drivers/{driverId}/cash-remittances",
      "POST /api/v1/admin/orders/{orderId}/refund",
      "POST /api/v1/admin/promotions",
      "POST /api/v1/admin/promotions/{promotionId}/deactivate",
      "POST /api/v1/admin/wallets/{userId}/freeze",
      "POST /api/v1/admin/wallets/{userId}/unfreeze",
      "PUT /api/v1/admin/delivery-fees",
      "PUT /api/v1/admin/orders/{orderId}/cancel",
      "PUT /api/v1/admin/promotions/{promotionId}",
      "PUT /api/v1/admin/users/{id}/roles"
    ])
    const notMarked = admin.filter(({ operation }) =>
      !Array.isArray(operation.security) || operation.security.length === 0 ||
      operation.security.some((requirement: JsonSchema) => !Object.hasOwn(requirement, "adminBearer") || Object.hasOwn(requirement, "bearer")))
    expect(notMarked.map(({ at }) => at)).toEqual([])
    for (const { at, operation } of admin) {
      // The token is checked first (401), then the role (403 forbidden).
      expect(Object.keys(operation.responses), at).toEqual(expect.arrayContaining(["401", "403"]))
    }
    const elsewhere = operations.filter(({ operation, path }) =>
      !path.startsWith("/api/v1/admin/") && (operation.security ?? []).some((requirement: JsonSchema) => Object.hasOwn(requirement, "adminBearer")))
    expect(elsewhere.map(({ at }) => at)).toEqual([])
  })

  it("rate-limited operations document 429 with a Retry-After header in seconds", () => {
    const limited = operationsOf(spec).filter(({ operation }) => operation.responses?.["429"] !== undefined)
    expect(limited.map(({ operation }) => operation.operationId).sort()).toEqual(expect.arrayContaining(["auth.login", "auth.sendOtp", "payoutAccounts.requestDriverNumber", "payoutAccounts.requestProviderNumber", "users.setPin", "wallet.transfer"]))
    for (const { at, operation } of limited) {
      const response = operation.responses["429"]
      expect(response.headers?.["retry-after"]?.required, `${at} Retry-After`).toBe(true)
      expect(response.headers["retry-after"].schema, `${at} Retry-After`).toMatchObject({ type: "string", pattern: "^\\d{1,5}$" })
      expect(response.content?.["application/problem+json"]?.schema, at).toEqual({ $ref: "#/components/schemas/TooManyRequestsProblem" })
    }
    const body = spec.components.schemas.TooManyRequestsProblem
    expect(body.required).toEqual(expect.arrayContaining(["code", "message", "limit", "retryAfterSeconds"]))
    expect(body.properties.retryAfterSeconds).toMatchObject({ type: "integer", minimum: 1, maximum: 86_400 })
  })
})
