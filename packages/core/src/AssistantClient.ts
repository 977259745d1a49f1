/**
 * The `AssistantClient` service: typed access to the Pinecone Assistant data-plane API (2026-04).
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import { constTrue, identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as AssistantError from "./AssistantError.js"
import * as internal from "./internal/http.js"
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
  ) => Effect.Effect<Operation.Operation, AssistantError.CallError>
  /**
   * `GET /assistant/operations/{assistant_name}`: one page, with the same errors, retries and rate
   * budget as `describeOperation`.
   */
  readonly listOperationsPage: (
    request: ListOperationsPageRequest
  ) => Effect.Effect<Operation.OperationList, AssistantError.CallError>
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
   * server's `Retry-After`, and no delay is longer than the longest a timer can take (about 24.8 days).
   */
  readonly retry?: Schedule.Schedule<unknown, AssistantError.CallError> | false | undefined
  /**
   * The longest `Retry-After` the client waits out. Default 60 seconds. A server asking for longer
   * (or, inside a wait, for longer than the wait's remaining budget) ends the call at once with its
   * typed error, `retryAfter` on it, so that the caller can decide.
   */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
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
  /**
   * Wraps the `HttpClient` every call of this client uses (after the base URL and headers are set),
   * to add a header, log, or route requests: `transformClient: HttpClient.tapRequest(Console.log)`.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
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
 * The default longest `Retry-After` a call waits out.
 *
 * @since 0.2.0
 * @category retry
 */
export const defaultMaxRetryAfter: Duration.Duration = Duration.seconds(60)

/**
 * Lengthens each delay of `self` to at least the `Retry-After` of the error it is retrying, and
 * caps every delay at the longest a timer can take (past it, a timer never fires).
 *
 * @since 0.1.0
 * @category retry
 */
export const respectRetryAfter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>): Schedule.Schedule<Out, In, R> =>
  Schedule.zipWith(self, Schedule.identity<In>(), (out, input) => [out, input] as const).pipe(
    Schedule.modifyDelay(([, input], delay) =>
      internal.capDelay(Option.match(AssistantError.retryAfterOf(input), {
        onNone: () => delay,
        onSome: (retryAfter) => Duration.max(delay, retryAfter)
      }))
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

/**
 * Runs `effect` with its calls' retries bounded by `deadline` (epoch milliseconds on the Clock): a
 * `Retry-After` reaching past it ends the call at once with its error. The pollers use it, so that
 * a wait never sleeps past its budget inside a call.
 *
 * @since 0.2.0
 * @category retry
 */
export const withRetryDeadline = (deadline: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(effect, internal.currentRetryDeadline, deadline)

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
      params.set("pagination_token", yield* internal.checkToken(request.paginationToken))
    }
    const query = params.toString()
    return query === "" ? assistant : `${assistant}?${query}`
  })

const positiveDuration = (
  parameter: string,
  input: Duration.DurationInput
): Either.Either<Duration.Duration, AssistantError.InvalidRequestError> => {
  const duration = Duration.decodeUnknown(input)
  if (
    Option.isSome(duration) &&
    (Duration.equals(duration.value, Duration.infinity) || Duration.toMillis(duration.value) <= internal.maxTimerMillis)
  ) return Either.right(duration.value)
  return Either.left(
    new AssistantError.InvalidRequestError({
      parameter,
      reason: `must be a duration of at most ${internal.maxTimerMillis} ms, or infinity`
    })
  )
}

// Redirects are never followed: they would carry the Api-Key to another host. undici does not
// follow them; fetch does unless told otherwise.
const refuseRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, { ...Option.getOrUndefined(init), redirect: "manual" })
  )

/**
 * Builds the service on the `HttpClient` in context. Fails with `InvalidRequestError` for an
 * unusable option: a host that is not a URL (or plain `http://` to a non-loopback host without
 * `allowInsecure`), an API key or version a header cannot carry, a duration out of range.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, AssistantError.InvalidRequestError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const host = yield* internal.normalizeHost(options.host ?? defaultHost, options.allowInsecure === true)
    const apiKey = yield* internal.checkHeader("apiKey", Redacted.value(options.apiKey))
    const apiVersion = yield* internal.checkHeader("apiVersion", options.apiVersion ?? defaultApiVersion)
    const requestTimeout = yield* positiveDuration("requestTimeout", options.requestTimeout ?? "30 seconds")
    const maxRetryAfter = Duration.toMillis(
      yield* positiveDuration("maxRetryAfter", options.maxRetryAfter ?? defaultMaxRetryAfter)
    )
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
    const decodeOperation = internal.bodyDecoder(Operation.Operation)
    const decodeOperationList = internal.bodyDecoder(Operation.OperationList)
    const retrySchedule = options.retry === false
      ? undefined
      : respectRetryAfter(options.retry ?? defaultRetrySchedule)
    const httpSpans = options.httpSpans === true

    const url = new URL(host)
    const serverAttributes: ReadonlyArray<readonly [string, string | number]> = [
      ["server.address", url.hostname],
      ["server.port", url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port)],
      ["url.scheme", url.protocol.slice(0, -1)]
    ]

    const httpClient = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(
          HttpClientRequest.prependUrl(`${host}/assistant`),
          HttpClientRequest.setHeaders({
            "Api-Key": apiKey,
            "X-Pinecone-Api-Version": apiVersion,
            "User-Agent": `effect-pinecone/${version}`
          }),
          HttpClientRequest.acceptJson
        )
      ),
      options.transformClient ?? identity,
      HttpClient.transform((effect) => {
        const redacted = refuseRedirects(withRedactedApiKey(effect))
        return httpSpans ? redacted : Effect.locally(redacted, HttpClient.currentTracerDisabledWhen, constTrue)
      }),
      // the request's AbortSignal is tied to each attempt's Scope: closing it aborts the request
      HttpClient.withScope
    )

    const timeoutError = () =>
      new AssistantError.TransportError({
        reason: "Timeout",
        description: `no complete response within ${Duration.format(requestTimeout)}`
      })

    const readResponse = <A>(
      response: HttpClientResponse.HttpClientResponse,
      decode: internal.BodyDecoder<A>,
      span: Tracer.Span
    ): Effect.Effect<A, AssistantError.CallError | HttpClientError.ResponseError> => {
      span.attribute("http.response.status_code", response.status)
      return Effect.flatMap(internal.readBounded(response, internal.maxBodyBytes), (body): Effect.Effect<
        A,
        AssistantError.CallError
      > => {
        const requestId = Option.fromNullable(response.headers[internal.requestIdHeader])
        if (response.status >= 200 && response.status < 300) return decode(response.status, requestId, body)
        return Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.fail(internal.errorFromBody({
            status: response.status,
            requestId,
            retryAfter: internal.parseRetryAfter(response.headers["retry-after"], now)
          }, body)))
      })
    }

    // One attempt: the request and its bounded body under the request timeout, in a Scope of its
    // own, inside the shared rate budget (waiting for a token does
    // not count against the timeout).
    // The attempt's Scope ties its request's AbortSignal (HttpClient.withScope): closed when the attempt
    // fails or is interrupted (a timeout included), which aborts whatever the transport still holds.
    // After a success the body has been read in full: aborting then costs undici more than it saves
    // (measured: about a sixth of a loopback call at 32 in flight), so the scope is left to the GC.
    const scopedUntilFailure = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Effect.Effect<A, E> =>
      Effect.acquireUseRelease(
        Scope.make(),
        (scope) => Scope.extend(effect, scope),
        (scope, exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void
      )

    const attempt = <A>(
      request: HttpClientRequest.HttpClientRequest,
      decode: internal.BodyDecoder<A>,
      span: Tracer.Span
    ): Effect.Effect<A, AssistantError.CallError> =>
      limiter(
        httpClient.execute(request).pipe(
          Effect.flatMap((response) => readResponse(response, decode, span)),
          Effect.catchTags({
            RequestError: (e: HttpClientError.RequestError) => Effect.fail(internal.transportError(e)),
            ResponseError: (e: HttpClientError.ResponseError) => Effect.fail(internal.transportError(e))
          }),
          Effect.timeoutFail({ duration: requestTimeout, onTimeout: timeoutError }),
          scopedUntilFailure
        )
      )

    // A transient failure is retried unless its Retry-After reaches past maxRetryAfter or the
    // deadline of the wait the call runs in.
    const retryable = (error: AssistantError.CallError): Effect.Effect<boolean> => {
      if (!AssistantError.isTransient(error)) return Effect.succeed(false)
      const retryAfter = AssistantError.retryAfterOf(error)
      if (Option.isNone(retryAfter)) return Effect.succeed(true)
      const millis = Duration.toMillis(retryAfter.value)
      if (millis > maxRetryAfter) return Effect.succeed(false)
      return Effect.flatMap(FiberRef.get(internal.currentRetryDeadline), (deadline) =>
        deadline === Infinity
          ? Effect.succeed(true)
          : Effect.map(Clock.currentTimeMillis, (now) => now + millis <= deadline))
    }

    const withRetry = <A>(
      effect: Effect.Effect<A, AssistantError.CallError>,
      span: Tracer.Span
    ): Effect.Effect<A, AssistantError.CallError> => {
      if (retrySchedule === undefined) return effect
      let resends = 0
      const counted = Schedule.onDecision(retrySchedule, (_, decision) =>
        Effect.sync(() => {
          if (ScheduleDecision.isContinue(decision)) span.attribute("http.request.resend_count", ++resends)
        }))
      return Effect.retry(effect, { schedule: counted, while: retryable })
    }

    // One call: the request validated (nothing sent otherwise), its attempts retried, in a span.
    const call = <A>(
      path: Either.Either<string, AssistantError.InvalidRequestError>,
      decode: internal.BodyDecoder<A>,
      name: string,
      attributes: Record<string, string>,
      annotate?: (span: Tracer.Span, a: A) => void
    ): Effect.Effect<A, AssistantError.CallError> =>
      Effect.useSpan(name, { kind: "client", captureStackTrace: false, attributes }, (span) => {
        if (Either.isLeft(path)) return Effect.fail(path.left)
        span.attribute("http.request.method", "GET")
        span.attribute("url.full", `${host}/assistant/operations/${path.right}`)
        for (const [key, value] of serverAttributes) span.attribute(key, value)
        return Effect.flatMap(FiberRef.get(HttpClient.currentTracerPropagation), (propagate) => {
          // without the platform's span, the trace context goes out from the call's span (unless
          // tracing is off, when the span is a no-op that must not propagate)
          const request = HttpClientRequest.get(`/operations/${path.right}`).pipe(
            propagate && !httpSpans && !Context.get(span.context, Tracer.DisablePropagation)
              ? HttpClientRequest.setHeaders(HttpTraceContext.toHeaders(span))
              : identity
          )
          const attempts = Effect.withParentSpan(withRetry(attempt(request, decode, span), span), span)
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
  Layer.effect(AssistantClient, make(options))

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
  Layer.effect(
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
): Effect.Effect<Operation.Operation, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.describeOperation(request))

/**
 * One page of an assistant's operations, with the {@link AssistantClient} in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listOperationsPage = (
  request: ListOperationsPageRequest
): Effect.Effect<Operation.OperationList, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.listOperationsPage(request))

/**
 * The most pages one listing follows: past it, the listing ends with `MalformedResponseError`
 * rather than run on (100 operations a page: a million operations).
 *
 * @since 0.2.0
 * @category constants
 */
export const maxListPages = 10_000

/**
 * Follows a paginated listing lazily: one page request at a time, only as the consumer pulls. An
 * empty page that still has a next token is followed; a token the server already sent in this
 * listing (A -> B -> A, or the same one twice), or more than {@link maxListPages} pages, ends the
 * stream with `MalformedResponseError` rather than looping.
 *
 * @since 0.2.0
 * @category utils
 */
export const paginate = <A, E, R>(
  page: (token: string | undefined) => Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<string>], E, R>
): Stream.Stream<A, E | AssistantError.MalformedResponseError, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    const malformed = (summary: string) =>
      new AssistantError.MalformedResponseError({ status: 200, reason: "Schema", summary, requestId: Option.none() })
    return Stream.paginateChunkEffect(
      undefined as string | undefined,
      (token) =>
        Effect.flatMap(page(token), ([items, next]) => {
          if (Option.isSome(next)) {
            if (seen.has(next.value) || next.value === token) {
              return Effect.fail(malformed("the next pagination token is one this listing already used"))
            }
            if (seen.size + 1 >= maxListPages) {
              return Effect.fail(malformed(`the listing has more than ${maxListPages} pages`))
            }
            seen.add(next.value)
          }
          return Effect.succeed([Chunk.unsafeFromArray(items), next] as const)
        })
    )
  })

/**
 * Every operation of an assistant (optionally of one type and/or status) as a Stream that follows
 * the pagination lazily (see {@link paginate}: a server cycling its tokens cannot make it loop).
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
): Stream.Stream<Operation.Operation, AssistantError.CallError, AssistantClient> =>
  Stream.unwrap(Effect.map(AssistantClient, (client) =>
    paginate((token) =>
      Effect.map(
        client.listOperationsPage({ ...request, paginationToken: token }),
        (page) => [page.operations, page.next] as const
      )
    )))

/**
 * A handler answering describe calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestHandler = (
  request: DescribeOperationRequest
) => Effect.Effect<Operation.Operation, AssistantError.CallError>

/**
 * A handler answering list calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestListHandler = (
  request: ListOperationsPageRequest
) => Effect.Effect<Operation.OperationList, AssistantError.CallError>

const notImplemented = () =>
  Effect.fail(AssistantError.make("UNIMPLEMENTED", 501, "This test layer was given no list handler."))

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
export type ScriptStep = Operation.Operation | AssistantError.CallError

const notFound = (what: string) => AssistantError.make("NOT_FOUND", 404, `${what} not found.`)

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
