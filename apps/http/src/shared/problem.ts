import { Effect, Schema, SchemaGetter, SchemaTransformation } from "effect"
import { HttpApiSchema } from "effect/http-api"

/**
 * RFC 9457: every error leaves the API as application/problem+json with a stable machine `code`
 * that clients switch on and a French `message` they may show as is; `type` names the problem.
 */
export const problemContentType = "application/problem+json"

export const problemType = <const Code extends string>(code: Code) => `urn:nelo:problem:${code}` as const

export const problemTitles = {
  400: "Invalid request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable"
} as const

export type ProblemStatus = keyof typeof problemTitles

/** Long enough for any sentence of ours; the bound is there so client generators get one. */
export const ProblemMessage = Schema.String.pipe(Schema.check(Schema.isMaxLength(2000)))

/** One literal or several: a single code shows in the OpenAPI as a plain enum, not a union of one. */
const oneOf = <const Value extends string>(values: ReadonlyArray<Value>) =>
  (values.length === 1 ? Schema.Literal(values[0]!) : Schema.Literals(values)) as unknown as Schema.Codec<Value>

/** The members every problem of ours carries, whatever its status and extensions. */
export const problemMembers = <const Status extends ProblemStatus, const Code extends string>(status: Status, codes: ReadonlyArray<Code>) => ({
  type: oneOf(codes.map(problemType)),
  status: Schema.Literal(status),
  title: Schema.Literal(problemTitles[status]),
  code: oneOf(codes),
  message: ProblemMessage
})

type ErrorClass = Schema.Top & { readonly identifier: string }

/** Several error classes answered alike (the stores that can be down): one problem, one name. */
export interface ErrorClasses<S extends ErrorClass> {
  readonly name: string
  readonly classes: ReadonlyArray<S>
}

interface ProblemOptions<E, Code extends string, Members extends Schema.Struct.Fields> {
  readonly status: ProblemStatus
  /** Every code this error can be answered with: the OpenAPI lists them as its enum. */
  readonly codes: readonly [Code, ...Array<Code>]
  /** Which of the codes an error gets; the first one when not given. */
  readonly code?: (error: E) => Code
  /** The French sentence, from the context's table of messages (shared with the CLI). */
  readonly message: (error: E) => string
  /** Extension members an app can use (an amount left, attempts left), taken from the error. */
  readonly members?: Members
  readonly toMembers?: (error: E) => Schema.Struct.Type<Members>
  /** How a client rebuilds the error from a body; by default, from the members. */
  readonly fromBody?: (body: Schema.Struct.Type<Members> & { readonly code: Code; readonly message: string }) => E
  /**
   * Answered without its cause (a store down): the cause is logged when the error is answered,
   * as what the operator needs and the caller must not see.
   */
  readonly logAs?: string
}

const pick = (source: any, keys: ReadonlyArray<string>) => {
  const picked: Record<string, unknown> = {}
  for (const key of keys) picked[key] = source[key]
  return picked
}

/**
 * The HTTP face of a domain error: a schema whose type is the domain's own error class and whose
 * wire form is a problem with its status, its code and its French message. An endpoint that lists
 * it answers the domain error as is (handlers catch nothing), the OpenAPI shows its codes, and a
 * client derived from the API decodes it back into the domain error.
 */
export const problem = <S extends ErrorClass, const Code extends string, const Members extends Schema.Struct.Fields = {}>(
  errors: S | ErrorClasses<S>,
  options: ProblemOptions<S["Type"], Code, Members>
) => {
  const classes: ReadonlyArray<S> = "classes" in errors ? errors.classes : [errors]
  const name = "classes" in errors ? errors.name : errors.identifier
  const errorClass = classes[0]!
  const codeOf = options.code ?? (() => options.codes[0])
  const memberKeys = Object.keys(options.members ?? {})
  const toMembers = options.toMembers ?? ((error: S["Type"]) => pick(error, memberKeys))
  const fromBody = options.fromBody ?? ((body: object) => new (errorClass as any)(pick(body, memberKeys)))
  const body = Schema.Struct({ ...problemMembers(options.status, options.codes), ...(options.members ?? {}) as Members })
    .annotate({ identifier: `${name}Problem` })
  const encode = (error: S["Type"]) => {
    const code = codeOf(error)
    return { type: problemType(code), status: options.status, title: problemTitles[options.status], code, message: options.message(error), ...toMembers(error) } as any
  }
  const logAs = options.logAs
  const transformation = logAs === undefined
    ? SchemaTransformation.transform<S["Type"], typeof body.Type>({ decode: fromBody as any, encode })
    : new SchemaTransformation.Transformation<S["Type"], typeof body.Type>(
      SchemaGetter.transform(fromBody as any),
      SchemaGetter.transformEffect((error: S["Type"]) =>
        Effect.as(Effect.logError(logAs).pipe(Effect.annotateLogs({ cause: String((error as { readonly cause?: unknown }).cause) })), encode(error)))
    )
  return body.pipe(
    Schema.decodeTo(classes.length === 1 ? Schema.toType(errorClass) : Schema.Union(classes.map((one) => Schema.toType(one))), transformation as any),
    HttpApiSchema.status(options.status),
    HttpApiSchema.asJson({ contentType: problemContentType })
  ).annotate({ description: problemTitles[options.status] }) as unknown as Schema.decodeTo<Schema.toType<S>, typeof body>
}
