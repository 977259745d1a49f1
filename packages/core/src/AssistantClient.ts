/**
 * The `AssistantClient` service: typed access to the Pinecone Assistant data-plane API (2026-04).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as AssistantError from "./AssistantError.js"
import * as Deadline from "./internal/deadline.js"
import * as internal from "./internal/http.js"
import * as FastPath from "./internal/operationFastPath.js"
import * as RateLimit from "./internal/rateLimiter.js"
import { version } from "./internal/version.js"
import * as Operation from "./Operation.js"

/**
 * Which operation to describe.
 *
 * @since 0.1.0
 * @category models
 */
export interface DescribeOperationRequest {
  readonly assistantName: string
  readonly operationId: string
}

/**
 * Which operations to list: all of an assistant's, or those of one type and/or status.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOperationsRequest {
  readonly assistantName: string
  readonly operationType?: Operation.OperationType | undefined
  readonly status?: Operation.OperationStatus | undefined
  /** Operations per page, 1 to 100. */
  readonly limit?: number | undefined
}

/**
 * One page to fetch: a {@link ListOperationsRequest} and the token of the page (none for the first).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOperationsPageRequest extends ListOperationsRequest {
  readonly paginationToken?: string | undefined
}

/**
 * The service: every method fails only with the typed errors of {@link AssistantError}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `GET /assistant/operations/{assistant_name}/{operation_id}`, with transient failures retried.
   */
  readonly describeOperation: (
    request: DescribeOperationRequest
  ) => Effect.Effect<Operation.Operation, AssistantError.DescribeOperationError>
  /**
   * `GET /assistant/operations/{assistant_name}`: one page, with the same errors, retries and rate
   * budget as `describeOperation`.
   */
  readonly listOperationsPage: (
    request: ListOperationsPageRequest
  ) => Effect.Effect<Operation.OperationList, AssistantError.DescribeOperationError>
}

/**
 * The Assistant API client service.
 *
 * @since 0.1.0
 * @category tags
 */
export class AssistantClient extends Context.Tag("@effect-pinecone/core/AssistantClient")<AssistantClient, Service>() {}

/**
 * The default data-plane host (US). The EU host is `https://prod-eu-data.ke.pinecone.io`; the
 * control plane's describe-assistant returns the host of each assistant.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultHost = "https://prod-1-data.ke.pinecone.io"

/**
 * The API version this client is written against.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion = "2026-04"

/**
 * Options of {@link make} and {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Sent as `Api-Key`; never rendered in an error, log or span. */
  readonly apiKey: Redacted.Redacted
  /** The assistant's data-plane host; a bare host gets `https://`. Default {@link defaultHost}. */
  readonly host?: string | undefined
  /** Sent as `X-Pinecone-Api-Version`. Default {@link defaultApiVersion}. */
  readonly apiVersion?: string | undefined
  /**
   * Time allowed for one attempt, body included. Default 30 seconds. At the limit the request is
   * aborted through its `AbortSignal` and the attempt fails with `TransportError` `Timeout`. Every
   * `@effect/platform` client (fetch, undici, node:http) and `Emulator.makeHttpClient` honour the
   * signal; an `HttpClient` of your own must too, or its attempts are not cut off.
   */
  readonly requestTimeout?: Duration.DurationInput | undefined
  /**
   * How transient failures are retried (its input is the error), or `false` for never. Default
   * {@link defaultRetrySchedule}. Whatever the schedule, a retry never comes sooner than the
   * server's `Retry-After`.
   */
  readonly retry?: Schedule.Schedule<unknown, AssistantError.DescribeOperationError> | false | undefined
  /** A budget shared by every request of this client (token bucket: bursts up to the limit). */
  readonly maxRequestsPerSecond?: number | undefined
  /** Allow plain `http://` to a host that is not loopback. Default `false`. */
  readonly allowInsecure?: boolean | undefined
  /**
   * Also record `@effect/platform`'s `http.client` span for each attempt, as a child of the call's
   * span. Default `false`: the call's span is the client span and carries the HTTP attributes itself
   * (method, URL, server, status code, resend count), which spares a second span per request.
   */
  readonly httpSpans?: boolean | undefined
}

const fullJitter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>) =>
  Schedule.modifyDelayEffect(self, (_, delay) =>
    Effect.map(
      Effect.randomWith((random) => random.next),
      (r) => Duration.millis(Math.floor(r * Duration.toMillis(delay)))
    ))

const capDelay = (max: Duration.DurationInput) => <Out, In, R>(self: Schedule.Schedule<Out, In, R>) =>
  Schedule.modifyDelay(self, (_, delay) => Duration.min(delay, max))

/**
 * The default retry policy: at most 3 retries, exponential backoff from 250 ms with full jitter
 * (each delay uniform between zero and the backoff), the backoff capped at 20 seconds.
 *
 * @since 0.1.0
 * @category retry
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("250 millis", 2).pipe(
  capDelay("20 seconds"),
  fullJitter,
  Schedule.intersect(Schedule.recurs(3))
)

/**
 * Lengthens each delay of `self` to at least the `Retry-After` of the error it is retrying.
 *
 * @since 0.1.0
 * @category retry
 */
export const respectRetryAfter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>): Schedule.Schedule<Out, In, R> =>
  Schedule.zipWith(self, Schedule.identity<In>(), (out, input) => [out, input] as const).pipe(
    Schedule.modifyDelay(([, input], delay) =>
      Option.match(AssistantError.retryAfterOf(input), {
        onNone: () => delay,
        onSome: (retryAfter) => Duration.max(delay, retryAfter)
      })
    ),
    Schedule.map(([out]) => out)
  )

/**
 * Runs `effect` with `api-key` among the redacted header names, so that the platform's spans and
 * any rendering of the request headers show `<redacted>` instead of the key.
 *
 * @since 0.1.0
 * @category utils
 */
export const withRedactedApiKey = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, internal.redactApiKey)

const validateRequest = (
  request: DescribeOperationRequest
): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.flatMap(
    internal.encodeSegment("assistantName", request.assistantName),
    (assistant) => Either.map(internal.encodeSegment("operationId", request.operationId), (id) => `${assistant}/${id}`)
  )

const validateList = (
  request: ListOperationsPageRequest
): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const params = new URLSearchParams()
    if (request.operationType !== undefined) {
      yield* internal.encodeSegment("operationType", request.operationType)
      params.set("operation_type", request.operationType)
    }
    if (request.status !== undefined) {
      yield* internal.encodeSegment("status", request.status)
      params.set("status", request.status)
    }
    if (request.limit !== undefined) {
      if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 100) {
        return yield* Either.left(
          new AssistantError.InvalidRequestError({ parameter: "limit", reason: "must be an integer from 1 to 100" })
        )
      }
      params.set("limit", String(request.limit))
    }
    if (request.paginationToken !== undefined) {
      yield* internal.encodeSegment("paginationToken", request.paginationToken)
      params.set("pagination_token", request.paginationToken)
    }
    const query = params.toString()
    return query === "" ? assistant : `${assistant}?${query}`
  })

/**
 * Builds the service on the `HttpClient` in context. Fails with `InvalidRequestError` for an
 * unusable host (including plain `http://` to a non-loopback host without `allowInsecure`). The
 * scope bounds the one fiber that keeps the request timeouts, which are measured on the Clock in
 * context here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, AssistantError.InvalidRequestError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const host = yield* internal.normalizeHost(options.host ?? defaultHost, options.allowInsecure === true)
    const requestTimeout = Duration.decode(options.requestTimeout ?? "30 seconds")
    const limit = options.maxRequestsPerSecond
    if (limit !== undefined && !(Number.isFinite(limit) && limit > 0)) {
      return yield* new AssistantError.InvalidRequestError({
        parameter: "maxRequestsPerSecond",
        reason: "must be a positive number"
      })
    }
    const limiter: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = limit === undefined
      ? identity
      : RateLimit.make(limit)
    const withinTimeout = yield* Deadline.make(requestTimeout)
    const decodeOperation = internal.bodyDecoder(Operation.Operation, FastPath.decodeOperation)
    const decodeOperationList = internal.bodyDecoder(Operation.OperationList)
    const retrySchedule = options.retry === false
      ? undefined
      : respectRetryAfter(options.retry ?? defaultRetrySchedule)

    const url = new URL(host)
    const urlPrefix = `${host}/assistant/operations/`
    const serverAttributes: ReadonlyArray<readonly [string, string | number]> = [
      ["http.request.method", "GET"],
      ["server.address", url.hostname],
      ["server.port", url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port)],
      ["url.scheme", url.protocol.slice(0, -1)]
    ]
    const httpSpans = options.httpSpans === true
    const attemptEnter = internal.attemptEnter(httpSpans)

    const httpClient = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(
          HttpClientRequest.prependUrl(`${host}/assistant`),
          HttpClientRequest.setHeaders({
            "Api-Key": Redacted.value(options.apiKey),
            "X-Pinecone-Api-Version": options.apiVersion ?? defaultApiVersion,
            "User-Agent": `effect-pinecone/${version}`
          }),
          HttpClientRequest.acceptJson
        )
      ),
      // the request's AbortSignal is tied to the Scope each attempt gets from the deadline
      HttpClient.withScope
    )

    const timeoutError = () =>
      new AssistantError.TransportError({
        reason: "Timeout",
        description: `no complete response within ${Duration.format(requestTimeout)}`
      })

    // One attempt: the request and its bounded body under the request timeout, inside the shared
    // rate budget (waiting for a token does not count against the timeout).
    const execute = <A>(
      path: string,
      decode: internal.BodyDecoder<A>,
      span: Tracer.Span,
      traceHeaders: Headers.Headers | undefined
    ): Effect.Effect<A, AssistantError.DescribeOperationError> =>
      limiter(withinTimeout(
        httpClient.get(path, traceHeaders === undefined ? undefined : { headers: traceHeaders }).pipe(
          Effect.flatMap((response) => {
            span.attribute("http.response.status_code", response.status)
            return Effect.flatMap(
              internal.readBounded(response, internal.maxBodyBytes),
              (body): Effect.Effect<A, AssistantError.DescribeOperationError> => {
                const requestId = Option.fromNullable(response.headers[internal.requestIdHeader])
                if (response.status >= 200 && response.status < 300) return decode(response.status, requestId, body)
                // the clock is read only for an error, whose Retry-After may be an HTTP date
                return Effect.flatMap(Clock.currentTimeMillis, (now) =>
                  Effect.fail(internal.errorFromBody({
                    status: response.status,
                    requestId,
                    retryAfter: internal.parseRetryAfter(response.headers["retry-after"], now)
                  }, body)))
              }
            )
          }),
          Effect.catchTags({
            RequestError: (e: HttpClientError.RequestError) => Effect.fail(internal.transportError(e)),
            ResponseError: (e: HttpClientError.ResponseError) => Effect.fail(internal.transportError(e))
          })
        ),
        timeoutError,
        attemptEnter(span)
      ))

    const withRetry = <A>(
      effect: Effect.Effect<A, AssistantError.DescribeOperationError>,
      span: Tracer.Span
    ): Effect.Effect<A, AssistantError.DescribeOperationError> =>
      retrySchedule === undefined
        ? effect
        : Effect.catchIf(effect, AssistantError.isTransient, (first) =>
          // The schedule is driven only once an attempt failed: a call that succeeds at once pays
          // nothing for retrying.
          Effect.flatMap(Schedule.driver(retrySchedule), (driver) => {
            let resends = 0
            const retry = (error: AssistantError.DescribeOperationError): Effect.Effect<
              A,
              AssistantError.DescribeOperationError
            > =>
              Effect.matchEffect(driver.next(error), {
                onFailure: () => Effect.fail(error),
                onSuccess: () => {
                  span.attribute("http.request.resend_count", ++resends)
                  return Effect.catchIf(effect, AssistantError.isTransient, retry)
                }
              })
            return retry(first)
          }))

    // One call: the request validated (nothing sent otherwise), its attempts retried, in a span.
    const call = <A>(
      path: Either.Either<string, AssistantError.InvalidRequestError>,
      decode: internal.BodyDecoder<A>,
      name: string,
      attributes: Record<string, string>,
      annotate?: (span: Tracer.Span, a: A) => void
    ): Effect.Effect<A, AssistantError.DescribeOperationError> =>
      Effect.useSpan(name, { kind: "client", captureStackTrace: false, attributes }, (span) => {
        if (Either.isLeft(path)) return Effect.fail(path.left)
        span.attribute("url.full", urlPrefix + path.right)
        for (const [key, value] of serverAttributes) span.attribute(key, value)
        return Effect.flatMap(FiberRef.get(HttpClient.currentTracerPropagation), (propagate) => {
          // without the platform's span, the trace context goes out from the call's span (unless
          // tracing is off, when the span is a no-op that must not propagate)
          const traceHeaders = propagate && !httpSpans && !Context.get(span.context, Tracer.DisablePropagation)
            ? HttpTraceContext.toHeaders(span)
            : undefined
          const attempts = withRetry(execute(`/operations/${path.right}`, decode, span, traceHeaders), span)
          return annotate === undefined ? attempts : Effect.map(attempts, (a) => {
            annotate(span, a)
            return a
          })
        })
      })

    const describeOperation = (request: DescribeOperationRequest) =>
      call(
        validateRequest(request),
        decodeOperation,
        "AssistantClient.describeOperation",
        {
          "pinecone.assistant.name": String(request.assistantName),
          "pinecone.operation.id": String(request.operationId)
        },
        (span, op) => span.attribute("pinecone.operation.status", op.status)
      )

    const listOperationsPage = (request: ListOperationsPageRequest) =>
      call(validateList(request), decodeOperationList, "AssistantClient.listOperationsPage", {
        "pinecone.assistant.name": String(request.assistantName)
      })

    return AssistantClient.of({ describeOperation, listOperationsPage })
  })

/**
 * A layer of {@link AssistantClient} from options; needs an `HttpClient` (the core never picks a
 * platform: use `@effect-pinecone/node` or `FetchHttpClient.layer`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<AssistantClient, AssistantError.InvalidRequestError, HttpClient.HttpClient> =>
  Layer.scoped(AssistantClient, make(options))

/**
 * {@link Options} read from `Config`: by default `PINECONE_API_KEY` (required, redacted),
 * `PINECONE_ASSISTANT_HOST` and `PINECONE_API_VERSION`. Any option can be given as a `Config` of
 * its own instead.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Partial<Config.Config.Wrap<Options>> = {}
): Layer.Layer<AssistantClient, AssistantError.InvalidRequestError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(
    AssistantClient,
    Effect.flatMap(
      Config.unwrap<Options>({
        apiKey: Config.redacted("PINECONE_API_KEY"),
        host: Config.string("PINECONE_ASSISTANT_HOST").pipe(Config.withDefault(defaultHost)),
        apiVersion: Config.string("PINECONE_API_VERSION").pipe(Config.withDefault(defaultApiVersion)),
        ...config
      } as Config.Config.Wrap<Options>),
      make
    )
  )

/**
 * Describes an operation with the {@link AssistantClient} in context.
 *
 * @example
 * ```ts
 * import { AssistantClient } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const program = AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-1" }).pipe(
 *   Effect.catchTag("NotFoundError", () => Effect.succeed(undefined))
 * )
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const describeOperation = (
  request: DescribeOperationRequest
): Effect.Effect<Operation.Operation, AssistantError.DescribeOperationError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.describeOperation(request))

/**
 * One page of an assistant's operations, with the {@link AssistantClient} in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listOperationsPage = (
  request: ListOperationsPageRequest
): Effect.Effect<Operation.OperationList, AssistantError.DescribeOperationError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.listOperationsPage(request))

/**
 * Every operation of an assistant (optionally of one type and/or status) as a Stream that follows
 * the pagination lazily: one page request at a time, only as the consumer pulls. An empty page that
 * still has a next token is followed; a token the server sends twice in a row ends the stream with
 * `MalformedResponseError` rather than looping.
 *
 * @example
 * ```ts
 * import { AssistantClient } from "@effect-pinecone/core"
 * import { Stream } from "effect"
 *
 * const processing = AssistantClient.listOperations({ assistantName: "docs", status: "Processing" }).pipe(
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const listOperations = (
  request: ListOperationsRequest
): Stream.Stream<Operation.Operation, AssistantError.DescribeOperationError, AssistantClient> =>
  Stream.unwrap(Effect.map(AssistantClient, (client) =>
    Stream.paginateChunkEffect(
      undefined as string | undefined,
      (token) =>
        Effect.flatMap(client.listOperationsPage({ ...request, paginationToken: token }), (page) => {
          const next = page.next
          if (Option.isSome(next) && next.value === token) {
            return Effect.fail(
              new AssistantError.MalformedResponseError({
                status: 200,
                reason: "Schema",
                summary: "the next pagination token is the one just used",
                requestId: Option.none()
              })
            )
          }
          return Effect.succeed([Chunk.unsafeFromArray(page.operations), next] as const)
        })
    )))

/**
 * A handler answering describe calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestHandler = (
  request: DescribeOperationRequest
) => Effect.Effect<Operation.Operation, AssistantError.DescribeOperationError>

/**
 * A handler answering list calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestListHandler = (
  request: ListOperationsPageRequest
) => Effect.Effect<Operation.OperationList, AssistantError.DescribeOperationError>

const notImplemented = () =>
  Effect.fail(
    new AssistantError.UnimplementedError({
      status: 501,
      message: "This test layer was given no list handler.",
      details: Option.none(),
      requestId: Option.none(),
      retryAfter: Option.none()
    })
  )

/**
 * An {@link AssistantClient} answered by `handler` (and `options.list` for list calls), with no HTTP
 * at all. Requests are validated as by the real client, so an invalid one fails with
 * `InvalidRequestError` before a handler runs.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined }
): Layer.Layer<AssistantClient> => Layer.succeed(AssistantClient, makeTest(handler, options))

/**
 * The service behind {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export const makeTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined }
): Service =>
  AssistantClient.of({
    describeOperation: (request) => {
      const path = validateRequest(request)
      return Either.isLeft(path) ? Effect.fail(path.left) : Effect.suspend(() => handler(request))
    },
    listOperationsPage: (request) => {
      const path = validateList(request)
      const list = options?.list
      return Either.isLeft(path)
        ? Effect.fail(path.left)
        : list === undefined
        ? notImplemented()
        : Effect.suspend(() => list(request))
    }
  })

/**
 * One step of a script: a snapshot to answer with, or an error to fail with.
 *
 * @since 0.1.0
 * @category testing
 */
export type ScriptStep = Operation.Operation | AssistantError.DescribeOperationError

const notFound = (what: string) =>
  new AssistantError.NotFoundError({
    status: 404,
    message: `${what} not found.`,
    details: Option.none(),
    requestId: Option.none(),
    retryAfter: Option.none()
  })

/**
 * An {@link AssistantClient} that plays scripts: each describe of an operation id answers the next
 * step of its script, the last step repeating; an unknown id (or another assistant, when one is
 * given) answers `NotFoundError` as the API does. A list call observes every scripted operation once
 * (advancing its script, skipping error steps), filtered by type and status, on one page.
 *
 * @example
 * ```ts
 * import { AssistantClient, Operation } from "@effect-pinecone/core"
 *
 * declare const processing: Operation.Operation
 * declare const completed: Operation.Operation
 * const TestClient = AssistantClient.layerTestScripted({ "op-1": [processing, completed] })
 * ```
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTestScripted = (
  scripts: Readonly<Record<string, ReadonlyArray<ScriptStep>>>,
  options?: { readonly assistantName?: string }
): Layer.Layer<AssistantClient> =>
  Layer.effect(
    AssistantClient,
    Effect.sync(() => {
      const calls = new Map<string, number>()
      const next = (operationId: string): ScriptStep | undefined => {
        const script = Object.prototype.hasOwnProperty.call(scripts, operationId) ? scripts[operationId] : undefined
        if (script === undefined || script.length === 0) return undefined
        const n = calls.get(operationId) ?? 0
        calls.set(operationId, n + 1)
        return script[Math.min(n, script.length - 1)]!
      }
      const assistantMatches = (name: string) => options?.assistantName === undefined || options.assistantName === name
      return makeTest(
        (request) => {
          const step = assistantMatches(request.assistantName) ? next(request.operationId) : undefined
          if (step === undefined) return Effect.fail(notFound(`Operation ${request.operationId}`))
          return step instanceof Operation.Operation ? Effect.succeed(step) : Effect.fail(step)
        },
        {
          list: (request) => {
            if (!assistantMatches(request.assistantName)) {
              return Effect.fail(notFound(`Assistant "${request.assistantName}"`))
            }
            const operations = Object.keys(scripts)
              .map(next)
              .filter((step): step is Operation.Operation => step instanceof Operation.Operation)
              .filter((op) =>
                (request.status === undefined || op.status === request.status) &&
                (request.operationType === undefined || op.operationType === request.operationType)
              )
            return Effect.succeed(new Operation.OperationList({ operations, pagination: Option.none() }))
          }
        }
      )
    })
  )
