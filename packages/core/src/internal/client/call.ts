// One call: the request validated (nothing sent otherwise), sent to its host, its attempts retried,
// in a client span that carries the HTTP attributes; a discovered host that stopped answering is
// dropped so that the next call looks it up again.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as AssistantError from "../../AssistantError.js"
import type * as FileSource from "../../FileSource.js"
import type { Route } from "./params.js"
import type * as Response from "./response.js"
import * as Retry from "./retry.js"
import type { Transport } from "./transport.js"
import { type Upload, uploadAttempt, type UploadState } from "./upload.js"

/**
 * Where a call goes: a fixed host, or an assistant's discovered one, which is dropped when it stops
 * answering and checked again when it answers 404.
 * @internal
 */
export interface Target {
  readonly host: Effect.Effect<string, AssistantError.CallError>
  readonly invalidate?: ((host: string) => Effect.Effect<void>) | undefined
  /** The assistant's new host, if `host` answered 404 because it moved. */
  readonly recheck?: ((host: string) => Effect.Effect<Option.Option<string>>) | undefined
}

/** @internal */
export const fixed = (host: string): Target => ({ host: Effect.succeed(host) })

/** @internal */
export interface CallSpec<A> {
  readonly name: string
  readonly target: Target
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  /** A JSON body. */
  readonly body?: unknown
  /** After `/assistant`, and the query. */
  readonly path: Either.Either<Route, AssistantError.InvalidRequestError>
  readonly decode: Response.BodyDecoder<A>
  readonly attributes: Record<string, string>
  readonly annotate?: ((span: Tracer.Span, a: A) => void) | undefined
  readonly upload?: Upload | undefined
  /** What a failure after retries becomes, knowing what the attempts before it met. */
  readonly recover?:
    | ((error: AssistantError.CallError, history: History) => Effect.Effect<A, AssistantError.CallError>)
    | undefined
}

/** What a call's attempts met before its last failure. @internal */
export interface History {
  readonly attempts: number
  /** An attempt failed in a way that leaves open whether the server did the work (a timeout, a reset, a 5xx). */
  readonly ambiguous: boolean
}

// A discovered host is dropped when it stops answering. A 404 from it is checked against the control
// plane (the 2026-04 API tells a missing assistant from a missing operation or file only in its words).
const unreachable = (error: AssistantError.CallError | FileSource.FileSourceError): boolean =>
  error._tag === "TransportError" &&
  (error.reason === "Dns" || (error.reason === "Transport" && error.code === "ECONNREFUSED"))

// A failure that proves the server did not act on the request: it refused it, or was never reached.
const definite = (error: AssistantError.CallError): boolean =>
  ("status" in error && (error.status === 503 || (error.status >= 400 && error.status < 500))) || unreachable(error)

const serverAttributes = (cache: Map<string, ReadonlyArray<readonly [string, string | number]>>, host: string) => {
  let attributes = cache.get(host)
  if (attributes === undefined) {
    const url = new URL(host)
    attributes = [
      ["server.address", url.hostname],
      ["server.port", url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port)],
      ["url.scheme", url.protocol.slice(0, -1)]
    ]
    if (cache.size < 1000) cache.set(host, attributes)
  }
  return attributes
}

// `retried` of an attempt counted, its last failure given to `recover` with what the attempts met.
const withHistory = <A>(
  attempt: Effect.Effect<A, AssistantError.CallError>,
  retried: (counted: Effect.Effect<A, AssistantError.CallError>) => Effect.Effect<A, AssistantError.CallError>,
  recover: (error: AssistantError.CallError, history: History) => Effect.Effect<A, AssistantError.CallError>
) =>
  Effect.suspend(() => {
    let attempts = 0
    let ambiguous = false
    let last: AssistantError.CallError | undefined
    const counted = Effect.suspend(() => {
      if (last !== undefined && !definite(last)) ambiguous = true
      attempts++
      return Effect.tapError(attempt, (e) => Effect.sync(() => (last = e)))
    })
    return Effect.catchAll(retried(counted), (error) => recover(error, { attempts, ambiguous }))
  })

// The attempts of a call, retried: an upload's under its own rule and overall timeout; a call with
// `recover` knowing what its attempts met.
const attemptsOf = (transport: Transport) => {
  const { settings } = transport
  const { retryable, uploadRetryable } = Retry.rules(settings.maxRetryAfterMillis)
  return <A, E extends AssistantError.CallError | FileSource.FileSourceError>(
    spec: CallSpec<A>,
    request: HttpClientRequest.HttpClientRequest,
    span: Tracer.Span
  ): Effect.Effect<A, E> => {
    const { recover, upload } = spec
    if (upload === undefined && recover === undefined) {
      return Retry.withRetry(
        settings.retrySchedule,
        transport.attempt(request, spec.decode, span),
        span,
        retryable
      ) as Effect.Effect<A, E>
    }
    if (upload === undefined) {
      return withHistory(
        transport.attempt(request, spec.decode, span),
        (counted) => Retry.withRetry(settings.retrySchedule, counted, span, retryable),
        recover!
      ) as Effect.Effect<A, E>
    }
    return Effect.suspend(() => {
      const state: UploadState = { sent: false }
      const once = uploadAttempt(transport, request, upload, state, spec.decode, span)
      const retried = Retry.withRetry(
        settings.retrySchedule,
        once,
        span,
        uploadRetryable({ create: upload.create, source: upload.source, sent: () => state.sent })
      )
      const uploadTimeout = settings.uploadTimeout
      return (uploadTimeout === undefined ? retried : Effect.timeoutFail(retried, {
        duration: uploadTimeout,
        onTimeout: () =>
          new AssistantError.TransportError({
            reason: "Timeout",
            description: `the upload took longer than ${Duration.format(uploadTimeout)}`
          })
      })) as Effect.Effect<A, E>
    })
  }
}

/** The `call` of one client. @internal */
export const make = (transport: Transport) => {
  const { settings } = transport
  const attributesByHost = new Map<string, ReadonlyArray<readonly [string, string | number]>>()

  const attempts = attemptsOf(transport)

  return <A, E extends AssistantError.CallError | FileSource.FileSourceError = AssistantError.CallError>(
    spec: CallSpec<A>
  ): Effect.Effect<A, E | AssistantError.CallError> =>
    Effect.useSpan(spec.name, { kind: "client", captureStackTrace: false, attributes: spec.attributes }, (span) => {
      if (Either.isLeft(spec.path)) return Effect.fail(spec.path.left)
      const route = spec.path.right
      span.attribute("http.request.method", spec.method)
      const { invalidate, recheck } = spec.target
      // one attempt's worth of the call on `host`: its request, its retries, the host dropped if it stopped answering
      const send = (host: string): Effect.Effect<A, E | AssistantError.CallError> => {
        const url = `${host}/assistant${route.path}`
        span.attribute(
          "url.full",
          route.query.length === 0 ? url : `${url}?${UrlParams.toString(UrlParams.fromInput(route.query))}`
        )
        for (const [key, value] of serverAttributes(attributesByHost, host)) span.attribute(key, value)
        return Effect.flatMap(FiberRef.get(HttpClient.currentTracerPropagation), (propagate) => {
          // without the platform's span, the trace context goes out from the call's span (unless
          // tracing is off, when the span is a no-op that must not propagate)
          const request = HttpClientRequest.make(spec.method)(url).pipe(
            route.query.length === 0 ? identity : HttpClientRequest.setUrlParams(route.query),
            propagate && !settings.httpSpans && !Context.get(span.context, Tracer.DisablePropagation)
              ? HttpClientRequest.setHeaders(HttpTraceContext.toHeaders(span))
              : identity,
            spec.body === undefined ? identity : HttpClientRequest.bodyUnsafeJson(spec.body)
          )
          const sent = attempts<A, E>(spec, request, span)
          return invalidate === undefined
            ? sent
            : Effect.tapError(sent, (error) => unreachable(error) ? invalidate(host) : Effect.void)
        })
      }
      // a 404 from a discovered host: if the assistant moved, the call is sent once more, to its new host
      // (an upload only if its source can be read again)
      const movable = recheck !== undefined && (spec.upload === undefined || spec.upload.source.replayable)
      const sendOrFollow = (host: string) =>
        !movable ? send(host) : Effect.catchIf(
          send(host),
          (error): error is AssistantError.NotFoundError => error._tag === "NotFoundError",
          (notFound) =>
            Effect.flatMap(
              recheck(host),
              Option.match({ onNone: () => Effect.fail(notFound), onSome: (moved) => send(moved) })
            )
        )
      const parented = Effect.withParentSpan(Effect.flatMap(spec.target.host, sendOrFollow), span)
      const annotate = spec.annotate
      return annotate === undefined ? parented : Effect.map(parented, (a) => {
        annotate(span, a)
        return a
      })
    })
}

/** @internal */
export type Call = ReturnType<typeof make>
