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
import * as Tracer from "effect/Tracer"
import * as AssistantError from "../../AssistantError.js"
import type * as FileSource from "../../FileSource.js"
import type { Route } from "./params.js"
import type * as Response from "./response.js"
import * as Retry from "./retry.js"
import type { Transport } from "./transport.js"
import { type Upload, uploadAttempt, type UploadState } from "./upload.js"

/** Where a call goes: a fixed host, or an assistant's discovered one (which can be dropped). @internal */
export interface Target {
  readonly host: Effect.Effect<string, AssistantError.CallError>
  readonly invalidate: Effect.Effect<void> | undefined
}

/** @internal */
export const fixed = (host: string): Target => ({ host: Effect.succeed(host), invalidate: undefined })

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
  /**
   * The endpoint's documented 404 is "Assistant not found" (its path names only the assistant, or it
   * creates the item): a discovered host answering 404 is then dropped. Elsewhere a 404 is the item's.
   */
  readonly notFoundIsAssistant?: boolean | undefined
  /** What a failure after retries becomes, knowing how many attempts were made. */
  readonly recover?:
    | ((error: AssistantError.CallError, attempts: number) => Effect.Effect<A, AssistantError.CallError>)
    | undefined
}

// A discovered host is dropped when it stops answering, or when an endpoint whose only 404 is
// "Assistant not found" answers 404. The 2026-04 API tells a missing assistant from a missing
// operation or file only in its message's words: the endpoint's contract decides, never the text.
const movedAway = (
  error: AssistantError.CallError | FileSource.FileSourceError,
  notFoundIsAssistant: boolean
): boolean =>
  (error._tag === "TransportError" &&
    (error.reason === "Dns" || (error.reason === "Transport" && error.code === "ECONNREFUSED"))) ||
  (error._tag === "NotFoundError" && notFoundIsAssistant)

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

/** The `call` of one client. @internal */
export const make = (transport: Transport) => {
  const { settings } = transport
  const { retryable, uploadRetryable } = Retry.rules(settings.maxRetryAfterMillis)
  const attributesByHost = new Map<string, ReadonlyArray<readonly [string, string | number]>>()

  // the attempts of a call, retried: an upload's under its own rule and overall timeout; a call with
  // `recover` knowing how many attempts it made
  const attempts = <A, E extends AssistantError.CallError | FileSource.FileSourceError>(
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
      return Effect.suspend(() => {
        let tries = 0
        const counted = Effect.zipRight(Effect.sync(() => tries++), transport.attempt(request, spec.decode, span))
        return Effect.catchAll(
          Retry.withRetry(settings.retrySchedule, counted, span, retryable),
          (error) => recover!(error, tries)
        ) as Effect.Effect<A, E>
      })
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

  return <A, E extends AssistantError.CallError | FileSource.FileSourceError = AssistantError.CallError>(
    spec: CallSpec<A>
  ): Effect.Effect<A, E | AssistantError.CallError> =>
    Effect.useSpan(spec.name, { kind: "client", captureStackTrace: false, attributes: spec.attributes }, (span) => {
      if (Either.isLeft(spec.path)) return Effect.fail(spec.path.left)
      const route = spec.path.right
      span.attribute("http.request.method", spec.method)
      const { invalidate } = spec.target
      const host = invalidate === undefined ? spec.target.host : Effect.tapError(spec.target.host, () => invalidate)
      return Effect.flatMap(
        Effect.zip(host, FiberRef.get(HttpClient.currentTracerPropagation)),
        ([host, propagate]) => {
          const url = `${host}/assistant${route.path}`
          span.attribute(
            "url.full",
            route.query.length === 0 ? url : `${url}?${UrlParams.toString(UrlParams.fromInput(route.query))}`
          )
          for (const [key, value] of serverAttributes(attributesByHost, host)) span.attribute(key, value)
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
          // a host that stopped answering, or that says the assistant does not exist, is looked up again
          const invalidating = invalidate === undefined
            ? sent
            : Effect.tapError(
              sent,
              (error) => movedAway(error, spec.notFoundIsAssistant === true) ? invalidate : Effect.void
            )
          const parented = Effect.withParentSpan(invalidating, span)
          const annotate = spec.annotate
          return annotate === undefined ? parented : Effect.map(parented, (a) => {
            annotate(span, a)
            return a
          })
        }
      )
    })
}

/** @internal */
export type Call = ReturnType<typeof make>
