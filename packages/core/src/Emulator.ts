/**
 * A local emulator of the Assistant operations endpoints (2026-04), built on `@effect/platform`'s
 * HTTP server abstractions: platform-independent, served by `@effect-pinecone/node`'s
 * `NodeEmulator` (or any platform's `HttpServer`). It answers as the API does (the same schemas as
 * the client), runs operations on its own clock, and injects faults on request.
 *
 * Control endpoints (no API key needed):
 * - `POST /_emulator/operations` creates an operation: `{ assistantName, id?, operationType?, fileId?,
 *   durationMs, outcome: "Completed" | "Failed", failAtPercent?, errorMessage? }` -> 201 OperationModel
 * - `POST /_emulator/faults` sets faults: `{ latencyMs?, rateLimitEveryNth?, retryAfterSeconds?,
 *   failNext?: { count, status, code } }` -> 200 with the faults in force
 * - `DELETE /_emulator` forgets every operation and fault -> 204
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AssistantError from "./AssistantError.js"
import { abortedBy, collectBounded } from "./internal/http.js"
import * as Operation from "./Operation.js"

/**
 * What `POST /_emulator/operations` takes.
 *
 * @since 0.1.0
 * @category schemas
 */
export class CreateOperation extends Schema.Class<CreateOperation>("@effect-pinecone/core/Emulator/CreateOperation")({
  assistantName: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(512)),
  id: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(512))),
  operationType: Schema.optional(Operation.OperationType),
  fileId: Schema.optional(Schema.String.pipe(Schema.maxLength(512))),
  durationMs: Schema.Int.pipe(Schema.between(0, 7 * 24 * 60 * 60 * 1000)),
  outcome: Schema.Literal("Completed", "Failed"),
  failAtPercent: Schema.optional(Schema.Int.pipe(Schema.between(0, 100))),
  errorMessage: Schema.optional(Schema.String.pipe(Schema.maxLength(4096))),
  /** Start the operation this long ago (so that it may already be finished). */
  startedAgoMs: Schema.optional(Schema.Int.pipe(Schema.between(0, 30 * 24 * 60 * 60 * 1000)))
}) {}

/**
 * What `POST /_emulator/faults` takes. Faults apply to the API endpoints, not the control ones.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Faults extends Schema.Class<Faults>("@effect-pinecone/core/Emulator/Faults")({
  /** Delay every API answer by this much. */
  latencyMs: Schema.optional(Schema.Int.pipe(Schema.between(0, 120_000))),
  /** Answer every n-th API request with 429 `TOO_MANY_REQUESTS`. */
  rateLimitEveryNth: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
  /** The `Retry-After` (seconds) sent with injected 429 and 5xx answers. */
  retryAfterSeconds: Schema.optional(Schema.Int.pipe(Schema.between(0, 3600))),
  /** Answer the next `count` API requests with this status and code. */
  failNext: Schema.optional(Schema.Struct({
    count: Schema.Int.pipe(Schema.between(1, 1_000_000)),
    status: Schema.Int.pipe(Schema.between(400, 599)),
    code: Schema.String
  }))
}) {}

/**
 * Options of the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The key clients must send as `Api-Key`. Default `"local-key"`. */
  readonly apiKey?: string | undefined
  /** Operations to create at start: `"demo"` for the demo set. */
  readonly seed?: "demo" | undefined
  /** At most this many operations are kept; the oldest finished ones are evicted. Default 10,000. */
  readonly maxOperations?: number | undefined
  /** Called with every answer the API endpoints send (for tests that validate them). */
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined
}

/**
 * An answer the emulator sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseEvent {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: unknown
}

/**
 * The emulator's state and its HTTP app.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly apiKey: string
  readonly create: (input: CreateOperation) => Effect.Effect<Operation.Operation, AssistantError.ApiError>
  readonly describe: (assistantName: string, operationId: string) => Effect.Effect<Option.Option<Operation.Operation>>
  readonly list: (assistantName: string) => Effect.Effect<ReadonlyArray<Operation.Operation>>
  readonly setFaults: (faults: Faults) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
  readonly size: Effect.Effect<number>
  readonly app: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("@effect-pinecone/core/Emulator")<Emulator, Service>() {}

/**
 * The largest request body the control endpoints read.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRequestBodyBytes = 64 * 1024

interface Stored {
  readonly input: CreateOperation
  readonly id: string
  readonly startedAt: number
  readonly seq: number
}

const finishTime = (op: Stored): number =>
  op.input.outcome === "Completed"
    ? op.startedAt + op.input.durationMs
    : op.startedAt + Math.round(op.input.durationMs * (op.input.failAtPercent ?? 50) / 100)

const snapshotAt = (op: Stored, now: number): Operation.Operation => {
  const { input } = op
  const finished = now >= finishTime(op)
  const elapsed = Math.max(0, now - op.startedAt)
  const percent = input.durationMs === 0 ? 100 : Math.min(100, Math.floor(100 * elapsed / input.durationMs))
  const common = {
    id: op.id,
    operationType: input.operationType ?? "upload_file",
    fileId: Option.fromNullable(input.fileId),
    createdOn: DateTime.unsafeMake(op.startedAt)
  }
  if (!finished) {
    return new Operation.Operation({
      ...common,
      status: "Processing",
      completedOn: Option.none(),
      percentComplete: Option.some(input.outcome === "Failed" ? Math.min(percent, input.failAtPercent ?? 50) : percent),
      errorMessage: Option.none(),
      ingestionUnits: Option.none()
    })
  }
  const completedOn = Option.some(DateTime.unsafeMake(finishTime(op)))
  return input.outcome === "Completed"
    ? new Operation.Operation({
      ...common,
      status: "Completed",
      completedOn,
      percentComplete: Option.some(100),
      errorMessage: Option.none(),
      ingestionUnits: Option.some(Math.max(1, Math.round(input.durationMs / 100)) / 10)
    })
    : new Operation.Operation({
      ...common,
      status: "Failed",
      completedOn,
      percentComplete: Option.some(input.failAtPercent ?? 50),
      errorMessage: Option.some(input.errorMessage ?? "File processing failed: unsupported file format."),
      ingestionUnits: Option.none()
    })
}

const apiError = (status: number, code: string, message: string) => ({ status, error: { code, message } })

const makeApiError = (code: AssistantError.ApiErrorCode, status: number, message: string): AssistantError.ApiError =>
  new AssistantError.ApiErrorByCode[code]({
    status,
    message,
    details: Option.none(),
    requestId: Option.none(),
    retryAfter: Option.none()
  })

/**
 * The operations of `--seed demo`, in assistant `demo`.
 *
 * @since 0.1.0
 * @category constants
 */
export const demoSeed: ReadonlyArray<typeof CreateOperation.Encoded> = [
  { assistantName: "demo", id: "op-upload-5s", fileId: "handbook.pdf", durationMs: 5000, outcome: "Completed" },
  {
    assistantName: "demo",
    id: "op-fail-40",
    fileId: "scan.tiff",
    durationMs: 5000,
    outcome: "Failed",
    failAtPercent: 40,
    errorMessage: "File processing failed: unsupported file format."
  },
  {
    assistantName: "demo",
    id: "op-done",
    operationType: "delete_file",
    fileId: "old-report.pdf",
    durationMs: 1500,
    outcome: "Completed",
    startedAgoMs: 60_000
  }
]

const encodeToken = (seq: number): string => btoa(`after:${seq}`).replace(/=+$/, "")

const decodeToken = (token: string): number | undefined => {
  try {
    const match = /^after:(\d{1,15})$/.exec(atob(token))
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

const decodeCreate = Schema.decodeUnknownEither(CreateOperation)
const decodeFaults = Schema.decodeUnknownEither(Faults)

/**
 * Builds an emulator (state and HTTP app); serve `app` with any `HttpServer`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const apiKey = options.apiKey ?? "local-key"
    const maxOperations = options.maxOperations ?? 10_000
    const assistants = new Map<string, Map<string, Stored>>()
    let total = 0
    let seq = 0
    let faults = new Faults({})
    let apiRequests = 0
    let failLeft = 0

    const evictOne = (now: number): boolean => {
      let oldest: Stored | undefined
      for (const ops of assistants.values()) {
        for (const op of ops.values()) {
          if (finishTime(op) <= now && (oldest === undefined || op.seq < oldest.seq)) oldest = op
        }
      }
      if (oldest === undefined) return false
      const ops = assistants.get(oldest.input.assistantName)!
      ops.delete(oldest.id)
      if (ops.size === 0) assistants.delete(oldest.input.assistantName)
      total--
      return true
    }

    const create = (input: CreateOperation) =>
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Operation.Operation, AssistantError.ApiError> => {
        const ops = assistants.get(input.assistantName)
        const id = input.id ?? `op-${(++seq).toString(36)}-${Math.random().toString(36).slice(2, 10)}`
        if (ops?.has(id)) {
          return Effect.fail(makeApiError("ALREADY_EXISTS", 409, `Operation ${id} already exists.`))
        }
        if (total >= maxOperations && !evictOne(now)) {
          return Effect.fail(
            makeApiError("RESOURCE_EXHAUSTED", 429, `The emulator keeps at most ${maxOperations} operations.`)
          )
        }
        const stored: Stored = { input, id, startedAt: now - (input.startedAgoMs ?? 0), seq: ++seq }
        const target = assistants.get(input.assistantName) ?? new Map<string, Stored>()
        target.set(id, stored)
        assistants.set(input.assistantName, target)
        total++
        return Effect.succeed(snapshotAt(stored, now))
      })

    const describe = (assistantName: string, operationId: string) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const stored = assistants.get(assistantName)?.get(operationId)
        return stored === undefined ? Option.none() : Option.some(snapshotAt(stored, now))
      })

    const list = (assistantName: string) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const ops = assistants.get(assistantName)
        return ops === undefined ? [] : Array.from(ops.values(), (op) => snapshotAt(op, now))
      })

    const reset = Effect.sync(() => {
      assistants.clear()
      total = 0
      faults = new Faults({})
      apiRequests = 0
      failLeft = 0
    })

    const setFaults = (next: Faults) =>
      Effect.sync(() => {
        faults = next
        apiRequests = 0
        failLeft = next.failNext?.count ?? 0
      })

    for (const input of options.seed === "demo" ? demoSeed : []) {
      yield* Effect.orDie(create(Schema.decodeUnknownSync(CreateOperation)(input)))
    }

    const send = (
      request: HttpServerRequest.HttpServerRequest,
      path: string,
      status: number,
      body: unknown,
      headers: Record<string, string> = {}
    ) => {
      options.onResponse?.({ method: request.method, path, status, body })
      return body === undefined
        ? HttpServerResponse.empty({ status, headers })
        : HttpServerResponse.unsafeJson(body, { status, headers })
    }

    const injectedFault = (): Option.Option<{ status: number; code: string; retryAfter: boolean }> => {
      apiRequests++
      if (failLeft > 0 && faults.failNext !== undefined) {
        failLeft--
        const { code, status } = faults.failNext
        return Option.some({ status, code, retryAfter: status === 429 || status >= 500 })
      }
      if (faults.rateLimitEveryNth !== undefined && apiRequests % faults.rateLimitEveryNth === 0) {
        return Option.some({ status: 429, code: "TOO_MANY_REQUESTS", retryAfter: true })
      }
      return Option.none()
    }

    const api = (request: HttpServerRequest.HttpServerRequest, path: string, segments: ReadonlyArray<string>) =>
      Effect.gen(function*() {
        if (faults.latencyMs !== undefined && faults.latencyMs > 0) yield* Effect.sleep(faults.latencyMs)
        const fault = injectedFault()
        if (Option.isSome(fault)) {
          const { code, retryAfter, status } = fault.value
          const headers: Record<string, string> = retryAfter
            ? { "retry-after": String(faults.retryAfterSeconds ?? 1) }
            : {}
          return send(request, path, status, apiError(status, code, `Injected fault: ${code}`), headers)
        }
        const key = request.headers["api-key"]
        if (key === undefined || key !== apiKey) {
          return send(request, path, 401, apiError(401, "UNAUTHENTICATED", "Invalid API key."))
        }
        if (request.headers["x-pinecone-api-version"] === undefined) {
          return send(
            request,
            path,
            400,
            apiError(400, "INVALID_ARGUMENT", "Missing required header: X-Pinecone-Api-Version.")
          )
        }
        if (request.method !== "GET") {
          return send(request, path, 405, apiError(405, "INVALID_ARGUMENT", `Method ${request.method} not allowed.`))
        }
        if (segments.length === 2) {
          const [assistantName, operationId] = segments as [string, string]
          if (!assistants.has(assistantName)) {
            return send(request, path, 404, apiError(404, "NOT_FOUND", `Assistant "${assistantName}" not found.`))
          }
          const op = yield* describe(assistantName, operationId)
          return Option.match(op, {
            onNone: () => send(request, path, 404, apiError(404, "NOT_FOUND", `Operation ${operationId} not found.`)),
            onSome: (op) => send(request, path, 200, Operation.encode(op))
          })
        }
        if (segments.length === 1) {
          const [assistantName] = segments as [string]
          if (!assistants.has(assistantName)) {
            return send(request, path, 404, apiError(404, "NOT_FOUND", `Assistant "${assistantName}" not found.`))
          }
          const page = yield* listPage(assistantName, new URLSearchParams(request.url.split("?")[1] ?? ""))
          return Either.match(page, {
            onLeft: (message) => send(request, path, 400, apiError(400, "INVALID_ARGUMENT", message)),
            onRight: (body) => send(request, path, 200, body)
          })
        }
        return send(request, path, 404, apiError(404, "NOT_FOUND", `No route for ${path}.`))
      })

    // Tokens are cursors ("after the operation created n-th"), so they stay valid while operations
    // are created, finish or are evicted.
    const listPage = (assistantName: string, query: URLSearchParams) =>
      Effect.map(Clock.currentTimeMillis, (now): Either.Either<unknown, string> => {
        const limitText = query.get("limit")
        const limit = limitText === null ? 100 : Number(limitText)
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          return Either.left("limit must be an integer from 1 to 100.")
        }
        let after = 0
        const token = query.get("pagination_token")
        if (token !== null) {
          const decoded = decodeToken(token)
          if (decoded === undefined) return Either.left("Invalid pagination token.")
          after = decoded
        }
        const status = query.get("status")
        const operationType = query.get("operation_type")
        const ops = Array.from(assistants.get(assistantName)!.values())
          .filter((op) => op.seq > after)
          .sort((a, b) => a.seq - b.seq)
          .map((op) => [op, snapshotAt(op, now)] as const)
          .filter(([, snap]) =>
            (status === null || snap.status === status) &&
            (operationType === null || snap.operationType === operationType)
          )
        const page = ops.slice(0, limit)
        const more = ops.length > limit
        return Either.right({
          operations: page.map(([, snap]) => Operation.encode(snap)),
          ...(more ? { pagination: { next: encodeToken(page[page.length - 1]![0].seq) } } : {})
        })
      })

    const badRequest = (request: HttpServerRequest.HttpServerRequest, path: string, message: string) =>
      send(request, path, 400, apiError(400, "INVALID_ARGUMENT", message))

    const control = (request: HttpServerRequest.HttpServerRequest, path: string, segments: ReadonlyArray<string>) =>
      Effect.gen(function*() {
        if (segments.length === 0 && request.method === "DELETE") {
          yield* reset
          return send(request, path, 204, undefined)
        }
        if (segments.length === 1 && request.method === "POST") {
          const body = yield* readJson(request)
          if (Either.isLeft(body)) return badRequest(request, path, body.left)
          if (segments[0] === "operations") {
            const input = decodeCreate(body.right)
            if (Either.isLeft(input)) {
              return badRequest(request, path, ParseResult.TreeFormatter.formatErrorSync(input.left))
            }
            return yield* create(input.right).pipe(
              Effect.map((op) => send(request, path, 201, Operation.encode(op))),
              Effect.catchAll((e) =>
                Effect.succeed(send(request, path, e.status, apiError(e.status, AssistantError.codeOf(e), e.message)))
              )
            )
          }
          if (segments[0] === "faults") {
            const input = decodeFaults(body.right)
            if (Either.isLeft(input)) {
              return badRequest(request, path, ParseResult.TreeFormatter.formatErrorSync(input.left))
            }
            yield* setFaults(input.right)
            return send(request, path, 200, Schema.encodeSync(Faults)(input.right))
          }
        }
        if (segments.length === 1 && segments[0] === "operations" && request.method === "GET") {
          const all = Array.from(assistants.keys())
          const ops = yield* Effect.forEach(all, list)
          return send(request, path, 200, { operations: ops.flat().map((op) => Operation.encode(op)) })
        }
        return send(request, path, 404, apiError(404, "NOT_FOUND", `No route for ${request.method} ${path}.`))
      })

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = request.url.split("?")[0]!.split("#")[0]!
      const raw = path.split("/").slice(1)
      let segments: Array<string>
      try {
        segments = raw.map(decodeURIComponent)
      } catch {
        return badRequest(request, path, "The path is not valid percent-encoding.")
      }
      if (segments[0] === "assistant" && segments[1] === "operations") {
        return yield* api(request, path, segments.slice(2))
      }
      if (segments[0] === "_emulator") return yield* control(request, path, segments.slice(1))
      return send(request, path, 404, apiError(404, "NOT_FOUND", `No route for ${path}.`))
    })

    return Emulator.of({
      apiKey,
      create,
      describe,
      list,
      setFaults,
      reset,
      size: Effect.sync(() => total),
      app
    })
  })

const readJson = (
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<Either.Either<unknown, string>> => {
  const declared = Number(request.headers["content-length"] ?? "0")
  if (declared > maxRequestBodyBytes) {
    return Effect.succeed(Either.left(`The request body is larger than ${maxRequestBodyBytes} bytes.`))
  }
  return collectBounded(request.stream, maxRequestBodyBytes).pipe(
    Effect.map((body) => {
      if (body._tag === "TooLarge") {
        return Either.left(`The request body is larger than ${maxRequestBodyBytes} bytes.`)
      }
      try {
        return Either.right(JSON.parse(new TextDecoder().decode(body.bytes)) as unknown)
      } catch {
        return Either.left("The request body is not JSON.")
      }
    }),
    Effect.catchAll((_: HttpServerError.RequestError) =>
      Effect.succeed(Either.left("The request body could not be read."))
    )
  )
}

/**
 * An `HttpClient` answered by the emulator's app in memory: no socket, and the emulator runs on the
 * caller's clock (the TestClock in a test). Give the client any host; only the path is used.
 *
 * @example
 * ```ts
 * import { AssistantClient, Emulator } from "@effect-pinecone/core"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const InMemory = Layer.unwrapEffect(
 *   Effect.map(Emulator.make({ seed: "demo" }), (emulator) =>
 *     AssistantClient.layer({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" }).pipe(
 *       Layer.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator)))
 *     ))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpClient = (emulator: Service): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => {
    const body = request.body._tag === "Uint8Array" || request.body._tag === "Raw"
      ? request.body.body as BodyInit
      : undefined
    const webRequest = new Request(url, { method: request.method, headers: request.headers, body: body ?? null })
    // like a real transport, a request still in flight (an injected latency) fails once its signal
    // aborts: that is how the client's request timeout ends it
    const aborted = abortedBy(signal, (cause) =>
      new HttpClientError.RequestError({ request, reason: "Transport", cause }))
    return Effect.raceFirst(
      Effect.map(
        Effect.provideService(emulator.app, HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(webRequest)),
        (response) =>
          HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
      ),
      aborted
    )
  })

/**
 * Serves an emulator on the `HttpServer` in context and provides it as a service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Emulator, never, HttpServer.HttpServer> =>
  Layer.scoped(
    Emulator,
    Effect.gen(function*() {
      const emulator = yield* make(options)
      yield* HttpServer.serveEffect(emulator.app)
      return emulator
    })
  )
