// The control plane's assistant endpoints: their requests validated as the OAS says (nothing sent
// otherwise), their paths and bodies, how a retried create or delete is resolved, and the calls.
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Assistant from "../../Assistant.js"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as Files from "../files.js"
import * as internal from "../http.js"
import type { Call, Target } from "./call.js"
import type { Hosts } from "./hosts.js"
import * as Params from "./params.js"
import * as Response from "./response.js"

const encoder = new TextEncoder()
const maxInstructionsBytes = 16 * 1024

const invalid = (parameter: string, reason: string) =>
  Either.left(new AssistantError.InvalidRequestError({ parameter, reason }))

/** An assistant's name, as a path segment. @internal */
export const checkName = (name: unknown): Either.Either<string, AssistantError.InvalidRequestError> => {
  if (typeof name !== "string") return invalid("assistantName", "must be a string")
  const problem = Assistant.nameProblem(name)
  return problem === undefined ? Either.right(name) : invalid("assistantName", problem)
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
  readonly assistantName: string
  readonly instructions?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
  readonly region?: string | undefined
}): Either.Either<Record<string, unknown>, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const name = yield* checkName(request.assistantName)
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
  readonly assistantName: string
  readonly instructions?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
}): Either.Either<Record<string, unknown>, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    yield* checkName(request.assistantName)
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
}): Either.Either<Params.Route, AssistantError.InvalidRequestError> =>
  Either.map(Params.pageParams(request), (query) => Params.route("/assistants", query))

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
  // absent, null and "" are all no instructions
  (Option.getOrUndefined(assistant.instructions) || undefined) === (request.instructions || undefined) &&
  canonical(Option.getOrElse(assistant.metadata, () => ({}))) === canonical(request.metadata ?? {}) &&
  (request.region === undefined || Option.getOrElse(assistant.region, () => request.region) === request.region)

const decodeAssistant = Response.bodyDecoder(Assistant.Assistant)
const decodeAssistantList = Response.bodyDecoder(Assistant.AssistantList)
const decodeUpdate = Response.bodyDecoder(Assistant.UpdateAssistantResponse)
const decodeNothing: Response.BodyDecoder<void> = () => Either.void
const assistantPath = (name: string) => Either.map(checkName(name), (n) => Params.route(`/assistants/${n}`))

/** The control plane's describe-assistant (the host cache's lookup too). @internal */
export const describe = (call: Call, control: Target) => (request: AssistantClient.DescribeAssistantRequest) =>
  call<Assistant.Assistant>({
    name: "AssistantClient.describeAssistant",
    method: "GET",
    target: control,
    path: Either.map(
      internal.encodeSegment("assistantName", request.assistantName),
      (a) => Params.route(`/assistants/${a}`)
    ),
    decode: decodeAssistant,
    attributes: { "pinecone.assistant.name": String(request.assistantName) }
  })

/** The control plane's other endpoints; they keep the host cache up to date. @internal */
export const endpoints = (
  call: Call,
  control: Target,
  hosts: Hosts,
  allowInsecure: boolean,
  describeAssistant: ReturnType<typeof describe>
) => ({
  createAssistant: (request: AssistantClient.CreateAssistantRequest) => {
    const body = createBody(request)
    return call<Assistant.Assistant>({
      name: "AssistantClient.createAssistant",
      method: "POST",
      target: control,
      path: Either.map(body, () => Params.route("/assistants")),
      body: Either.getOrUndefined(body),
      decode: decodeAssistant,
      attributes: { "pinecone.assistant.name": String(request.assistantName) },
      // names are unique: a retry meeting ALREADY_EXISTS may meet an earlier attempt's assistant, but
      // only an attempt the server may have taken (a timeout, a reset, a 5xx): after a definite refusal
      // (a 429, a 503, a connection refused) the assistant is someone else's
      recover: (error, history) =>
        error._tag === "AlreadyExistsError" && history.ambiguous
          ? Effect.flatMap(
            describeAssistant({ assistantName: request.assistantName }),
            (assistant) => isTheOneAskedFor(assistant, request) ? Effect.succeed(assistant) : Effect.fail(error)
          )
          : Effect.fail(error)
    }).pipe(
      // its host is known now: no lookup for the calls that follow
      Effect.tap((assistant) =>
        Option.match(
          Option.flatMap(assistant.host, (h) => Either.getRight(internal.normalizeHost(h, allowInsecure))),
          { onNone: () => Effect.void, onSome: (host) => hosts.set(assistant.name, host) }
        )
      )
    )
  },
  listAssistantsPage: (request: AssistantClient.ListAssistantsPageRequest) =>
    call<Assistant.AssistantList>({
      name: "AssistantClient.listAssistantsPage",
      method: "GET",
      target: control,
      path: listPath(request),
      decode: decodeAssistantList,
      attributes: {}
    }),
  updateAssistant: (request: AssistantClient.UpdateAssistantRequest) => {
    const body = updateBody(request)
    return call<Assistant.UpdateAssistantResponse>({
      name: "AssistantClient.updateAssistant",
      method: "PATCH",
      target: control,
      path: Either.flatMap(body, () => assistantPath(request.assistantName)),
      body: Either.getOrUndefined(body),
      decode: decodeUpdate,
      attributes: { "pinecone.assistant.name": String(request.assistantName) }
    })
  },
  deleteAssistant: (request: AssistantClient.DeleteAssistantRequest) =>
    call<void>({
      name: "AssistantClient.deleteAssistant",
      method: "DELETE",
      target: control,
      path: assistantPath(request.assistantName),
      decode: decodeNothing,
      attributes: { "pinecone.assistant.name": String(request.assistantName) },
      // idempotent: a retry meeting NOT_FOUND found the first attempt's work done
      recover: (error, history) =>
        error._tag === "NotFoundError" && history.attempts > 1 ? Effect.void : Effect.fail(error)
    }).pipe(Effect.ensuring(hosts.invalidate(String(request.assistantName))))
})
