// The emulator's routes, by resource: the operations API (behind the key, version and fault checks)
// and the control endpoints.
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AssistantError from "../../AssistantError.js"
import * as Operation from "../../Operation.js"
import { requestKind } from "../requestKind.js"
import type { FaultState } from "./faults.js"
import type { Store } from "./operations.js"
import { errorBody, readJson, type Reporter, send } from "./respond.js"

/** A route's handler. @internal */
export type Handler = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | HttpServerRequest.ParsedSearchParams | HttpRouter.RouteContext
>

/** What the routes need. @internal */
export interface Deps {
  readonly apiKey: string
  readonly store: Store
  readonly faults: FaultState
  readonly report: Reporter | undefined
  readonly maxRequestBodyBytes: number
}

/** A path parameter of the route. @internal */
export const param = (name: string) => Effect.map(HttpRouter.params, (params) => params[name] ?? "")

/** A request's query parameters, each at most once. @internal */
export interface Query {
  readonly get: (name: string) => string | null
}

const SearchParams = Schema.Record({ key: Schema.String, value: Schema.String })

/**
 * The query, decoded with HttpServerRequest's search-params schema; a parameter given twice fails with
 * a message the emulator answers as a 400. @internal
 */
export const query: Effect.Effect<Either.Either<Query, string>, never, HttpServerRequest.ParsedSearchParams> = Effect
  .map(
    Effect.either(HttpServerRequest.schemaSearchParams(SearchParams)),
    Either.match({
      onLeft: () => Either.left("Each query parameter may be given once."),
      onRight: (params) => Either.right({ get: (name: string) => params[name] ?? null })
    })
  )

/**
 * Runs an API handler after the checks every API request passes, in the service's order: injected
 * latency and faults, then the key, then the version header.
 * @internal
 */
export const guarded = (deps: Pick<Deps, "apiKey" | "faults" | "report">) =>
<R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const reply = send(deps.report)
    const latency = deps.faults.latencyMs()
    if (latency > 0) yield* Effect.sleep(latency)
    const fault = deps.faults.next()
    if (Option.isSome(fault)) {
      const { code, headers, status } = fault.value
      return yield* reply(status, errorBody(status, code, `Injected fault: ${code}`), headers)
    }
    const request = yield* HttpServerRequest.HttpServerRequest
    const key = request.headers["api-key"]
    if (key === undefined || key !== deps.apiKey) {
      return yield* reply(401, errorBody(401, "UNAUTHENTICATED", "Invalid API key."))
    }
    if (request.headers["x-pinecone-api-version"] === undefined) {
      return yield* reply(400, errorBody(400, "INVALID_ARGUMENT", "Missing required header: X-Pinecone-Api-Version."))
    }
    // the plan's per-minute limits, per kind of request, as the service answers them
    const kind = requestKind(request.method, request.url)
    const limited = deps.faults.rateLimited(kind, yield* Clock.currentTimeMillis)
    if (Option.isSome(limited)) {
      return yield* reply(
        429,
        errorBody(429, "TOO_MANY_REQUESTS", `Too many ${kind} this minute: retry after ${limited.value} s.`),
        { "retry-after": String(limited.value) }
      )
    }
    return yield* handler
  })

/**
 * `GET /assistant/operations/{assistant_name}` and `.../{operation_id}`.
 * @internal
 */
export const operations = (deps: Deps): HttpRouter.HttpRouter => {
  const reply = send(deps.report)
  const guard = guarded(deps)
  const unknownAssistant = (name: string) => reply(404, errorBody(404, "NOT_FOUND", `Assistant "${name}" not found.`))
  const describe: Handler = Effect.gen(function*() {
    const assistantName = yield* param("assistant")
    const operationId = yield* param("operation")
    if (!deps.store.hasAssistant(assistantName)) return yield* unknownAssistant(assistantName)
    const op = yield* deps.store.describe(assistantName, operationId)
    return yield* Option.match(op, {
      onNone: () => reply(404, errorBody(404, "NOT_FOUND", `Operation ${operationId} not found.`)),
      onSome: (op) => reply(200, Operation.encode(op))
    })
  })
  const list: Handler = Effect.gen(function*() {
    const assistantName = yield* param("assistant")
    if (!deps.store.hasAssistant(assistantName)) return yield* unknownAssistant(assistantName)
    const search = yield* query
    if (Either.isLeft(search)) return yield* reply(400, errorBody(400, "INVALID_ARGUMENT", search.left))
    const page = yield* deps.store.listPage(assistantName, search.right)
    return yield* Either.match(page, {
      onLeft: (message) => reply(400, errorBody(400, "INVALID_ARGUMENT", message)),
      onRight: (body) => reply(200, body)
    })
  })
  return HttpRouter.empty.pipe(
    HttpRouter.get("/assistant/operations/:assistant", guard(list)),
    HttpRouter.get("/assistant/operations/:assistant/:operation", guard(describe))
  )
}

/**
 * A control endpoint's JSON body, decoded with `schema`: 400 if it is too large, not JSON or not of
 * the schema.
 * @internal
 */
export const jsonBody = (deps: Deps) => <A, I>(schema: Schema.Schema<A, I>, f: (input: A) => Handler): Handler =>
  Effect.flatMap(readJson(deps.maxRequestBodyBytes), (body) => {
    const badRequest = (message: string) => send(deps.report)(400, errorBody(400, "INVALID_ARGUMENT", message))
    if (Either.isLeft(body)) return badRequest(body.left)
    const input = Schema.decodeUnknownEither(schema)(body.right)
    return Either.isLeft(input) ? badRequest(ParseResult.TreeFormatter.formatErrorSync(input.left)) : f(input.right)
  })

/** What `POST /_emulator/operations/{assistant}/{id}/finish` takes. @internal */
export const FinishOperation = Schema.Struct({
  outcome: Schema.Literal("Completed", "Failed"),
  errorMessage: Schema.optional(Schema.String.pipe(Schema.maxLength(4096)))
})

/**
 * The control endpoints (no key needed).
 * @internal
 */
export const control = <CI, FI>(
  deps: Deps,
  schemas: {
    readonly create: Schema.Schema<Parameters<Store["create"]>[0], CI>
    readonly faults: Schema.Schema<Parameters<FaultState["set"]>[0], FI>
    /** Forgets everything the emulator holds: operations, files, assistants, scripts, faults. */
    readonly reset: Effect.Effect<void>
  }
): HttpRouter.HttpRouter => {
  const reply = send(deps.report)
  const withBody = jsonBody(deps)
  const apiFailure = (e: AssistantError.ApiError) =>
    reply(e.status, errorBody(e.status, AssistantError.codeOf(e), e.message))
  return HttpRouter.empty.pipe(
    HttpRouter.del(
      "/_emulator",
      Effect.zipRight(schemas.reset, reply(204, undefined))
    ),
    HttpRouter.post(
      "/_emulator/operations",
      withBody(schemas.create, (input) =>
        deps.store.create(input).pipe(
          Effect.flatMap((op) => reply(201, Operation.encode(op))),
          Effect.catchAll(apiFailure)
        ))
    ),
    HttpRouter.get(
      "/_emulator/operations",
      Effect.flatMap(deps.store.listAll, (ops) => reply(200, { operations: ops.map((op) => Operation.encode(op)) }))
    ),
    HttpRouter.post(
      "/_emulator/operations/:assistant/:operation/finish",
      withBody(FinishOperation, (input) =>
        Effect.gen(function*() {
          const assistantName = yield* param("assistant")
          const operationId = yield* param("operation")
          const op = yield* deps.store.finish(assistantName, operationId, input.outcome, input.errorMessage)
          return yield* Option.match(op, {
            onNone: () => reply(404, errorBody(404, "NOT_FOUND", `Operation ${operationId} not found.`)),
            onSome: (op) => reply(200, Operation.encode(op))
          })
        }))
    ),
    HttpRouter.post(
      "/_emulator/faults",
      withBody(schemas.faults, (input) =>
        Effect.zipRight(
          Effect.sync(() => deps.faults.set(input)),
          reply(200, Schema.encodeSync(schemas.faults)(input))
        ))
    )
  )
}

/**
 * The control endpoints of files and assistants (no key needed).
 * @internal
 */
export const filesControl = <S extends { readonly fileName?: string | undefined }, SI>(
  deps: Deps,
  options: {
    readonly processing: Schema.Schema<S, SI>
    readonly setProcessing: (script: S) => Effect.Effect<void>
    readonly createAssistant: (name: string) => Effect.Effect<void>
    readonly storedFiles: (assistantName: string) => Effect.Effect<ReadonlyArray<unknown>>
  }
): HttpRouter.HttpRouter => {
  const reply = send(deps.report)
  const withBody = jsonBody(deps)
  const AssistantName = Schema.Struct({
    name: Schema.String.pipe(
      Schema.minLength(1),
      Schema.maxLength(63),
      Schema.pattern(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
    )
  })
  return HttpRouter.empty.pipe(
    HttpRouter.post(
      "/_emulator/assistants",
      withBody(AssistantName, (input) => Effect.zipRight(options.createAssistant(input.name), reply(201, input)))
    ),
    HttpRouter.post(
      "/_emulator/files/processing",
      withBody(options.processing, (input) => Effect.zipRight(options.setProcessing(input), reply(204, undefined)))
    ),
    HttpRouter.get(
      "/_emulator/files/:assistant",
      Effect.flatMap(
        param("assistant"),
        (name) => Effect.flatMap(options.storedFiles(name), (files) => reply(200, { files }))
      )
    )
  )
}

/** `POST /_emulator/rate-limits`. @internal */
export const rateLimitsControl = <A, I>(
  deps: Deps,
  options: { readonly schema: Schema.Schema<A, I>; readonly set: (input: A) => Effect.Effect<void> }
): HttpRouter.HttpRouter =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      "/_emulator/rate-limits",
      jsonBody(deps)(options.schema, (input) => Effect.zipRight(options.set(input), send(deps.report)(204, undefined)))
    )
  )
