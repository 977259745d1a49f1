// The control plane's assistant endpoints: their requests validated as the OAS says (nothing sent
// otherwise), their paths and bodies, and how a retried create or delete is resolved.
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Assistant from "../../Assistant.js"
import * as AssistantError from "../../AssistantError.js"
import * as Files from "../files.js"
import * as internal from "../http.js"

const encoder = new TextEncoder()
const maxInstructionsBytes = 16 * 1024

const invalid = (parameter: string, reason: string) =>
  Either.left(new AssistantError.InvalidRequestError({ parameter, reason }))

/** An assistant's name, as a path segment. @internal */
export const checkName = (name: unknown): Either.Either<string, AssistantError.InvalidRequestError> => {
  if (typeof name !== "string") return invalid("name", "must be a string")
  const problem = Assistant.nameProblem(name)
  return problem === undefined ? Either.right(name) : invalid("name", problem)
}

const checkInstructions = (instructions: unknown): Either.Either<void, AssistantError.InvalidRequestError> => {
  if (instructions === undefined || instructions === null) return Either.void
  if (typeof instructions !== "string") return invalid("instructions", "must be a string")
  const bytes = encoder.encode(instructions).length
  return bytes > maxInstructionsBytes
    ? invalid("instructions", `is ${bytes} bytes; at most ${maxInstructionsBytes} are allowed`)
    : Either.void
}

const checkRegion = (region: unknown): Either.Either<void, AssistantError.InvalidRequestError> =>
  region === undefined ? Either.void : Either.map(internal.encodeSegment("region", region), () => undefined)

/** The body of `POST /assistants`, validated. @internal */
export const createBody = (request: {
  readonly name: string
  readonly instructions?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
  readonly region?: string | undefined
}): Either.Either<Record<string, unknown>, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const name = yield* checkName(request.name)
    yield* checkInstructions(request.instructions)
    yield* Files.checkMetadata(request.metadata)
    yield* checkRegion(request.region)
    return {
      name,
      ...(request.instructions === undefined ? {} : { instructions: request.instructions }),
      ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
      ...(request.region === undefined ? {} : { region: request.region })
    }
  })

/** The body of `PATCH /assistants/{name}`, validated. @internal */
export const updateBody = (request: {
  readonly name: string
  readonly instructions?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
}): Either.Either<Record<string, unknown>, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    yield* checkName(request.name)
    yield* checkInstructions(request.instructions)
    yield* Files.checkMetadata(request.metadata)
    if (request.instructions === undefined && request.metadata === undefined) {
      return yield* invalid("request", "give instructions, metadata or both")
    }
    return {
      ...(request.instructions === undefined ? {} : { instructions: request.instructions }),
      ...(request.metadata === undefined ? {} : { metadata: request.metadata })
    }
  })

/** `/assistants?limit=&pagination_token=`, validated. @internal */
export const listPath = (request: {
  readonly limit?: number | undefined
  readonly paginationToken?: string | undefined
}): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const params = new URLSearchParams()
    if (request.limit !== undefined) {
      if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 100) {
        return yield* invalid("limit", "must be an integer from 1 to 100")
      }
      params.set("limit", String(request.limit))
    }
    if (request.paginationToken !== undefined) {
      params.set("pagination_token", yield* internal.checkToken(request.paginationToken))
    }
    const query = params.toString()
    return query === "" ? "/assistants" : `/assistants?${query}`
  })

// JSON with its objects' keys sorted: two metadata objects equal in content compare equal.
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v)

/**
 * Whether an existing assistant is the one a create asked for (a retried create met ALREADY_EXISTS
 * after a first attempt the server may have taken): the same instructions, metadata and region.
 * @internal
 */
export const isTheOneAskedFor = (
  assistant: Assistant.Assistant,
  request: {
    readonly instructions?: string | undefined
    readonly metadata?: Readonly<Record<string, unknown>> | undefined
    readonly region?: string | undefined
  }
): boolean =>
  Option.getOrUndefined(assistant.instructions) === request.instructions &&
  canonical(Option.getOrElse(assistant.metadata, () => ({}))) === canonical(request.metadata ?? {}) &&
  (request.region === undefined || Option.getOrElse(assistant.region, () => request.region) === request.region)
