// The client's transport: the HttpClient decorated once (headers, the key redacted, redirects
// refused, the platform's span off unless asked, an attempt's Scope tying its AbortSignal) and one
// attempt of a request: inside the rate budgets, its bounded body read under the request timeout.
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { constTrue, identity } from "effect/Function"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import * as AssistantError from "../../AssistantError.js"
import type * as RateBudget from "../../RateBudget.js"
import * as internal from "../http.js"
import { requestKind } from "../requestKind.js"
import * as Budget from "../throttle/budget.js"
import { version } from "../version.js"
import * as Response from "./response.js"
import type { Settings } from "./settings.js"

/** @internal */
export const withRedactedApiKey = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, internal.redactApiKey)

// Redirects are never followed: they would carry the Api-Key to another host. undici does not
// follow them; fetch does unless told otherwise.
const refuseRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, { ...Option.getOrUndefined(init), redirect: "manual" })
  )

const decorate = (settings: Settings, client: HttpClient.HttpClient) =>
  client.pipe(
    HttpClient.mapRequest((request) =>
      request.pipe(
        HttpClientRequest.setHeaders({
          "Api-Key": settings.apiKey,
          "X-Pinecone-Api-Version": settings.apiVersion,
          "User-Agent": `effect-pinecone/${version}`
        }),
        HttpClientRequest.acceptJson
      )
    ),
    settings.transformClient ?? identity,
    HttpClient.transform((effect) => {
      const redacted = refuseRedirects(withRedactedApiKey(effect))
      return settings.httpSpans ? redacted : Effect.locally(redacted, HttpClient.currentTracerDisabledWhen, constTrue)
    }),
    // the request's AbortSignal is tied to each attempt's Scope: closing it aborts the request
    HttpClient.withScope
  )

// One attempt in a Scope of its own, which ties its request's AbortSignal (HttpClient.withScope):
// closed when the attempt fails or is interrupted (a timeout included), which aborts whatever the
// transport still holds. After a success the body has been read in full: aborting then costs undici
// more than it saves (measured: about a sixth of a loopback call at 32 in flight), so the scope is
// left to the GC.
const scopedUntilFailure = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Effect.Effect<A, E> =>
  Effect.acquireUseRelease(
    Scope.make(),
    (scope) => Scope.extend(effect, scope),
    (scope, exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void
  )

/** @internal */
export type Transport = ReturnType<typeof make>

/** @internal */
export const make = (settings: Settings, client: HttpClient.HttpClient) => {
  const http = decorate(settings, client)
  // each request of a plan's kind draws on the budget in context or the client's own; the control
  // plane's requests have a kind of their own, so that a wait on an assistant never spends the
  // files' reads
  const kindOf = (request: HttpClientRequest.HttpClientRequest): RateBudget.Kind =>
    requestKind(request.method, request.url.slice(request.url.indexOf("/assistant/")))
  /** A request's turn: the rate budget's, then `maxRequestsPerSecond`'s (neither counts as a stall). */
  const budgeted =
    (request: HttpClientRequest.HttpClientRequest) =>
    <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Budget.budgeted(settings.ownBudget, kindOf(request))(settings.limiter(effect))

  const readResponse = <A>(
    response: HttpClientResponse.HttpClientResponse,
    decode: Response.BodyDecoder<A>,
    span: Tracer.Span
  ): Effect.Effect<A, AssistantError.CallError | HttpClientError.ResponseError> => {
    span.attribute("http.response.status_code", response.status)
    return Effect.flatMap(Response.readBounded(response, internal.maxBodyBytes), (body): Effect.Effect<
      A,
      AssistantError.CallError
    > => {
      const requestId = Option.fromNullable(response.headers[internal.requestIdHeader])
      if (response.status >= 200 && response.status < 300) return decode(response.status, requestId, body)
      return Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.fail(Response.errorFromBody({
          status: response.status,
          requestId,
          retryAfter: Response.parseRetryAfter(response.headers["retry-after"], now)
        }, body)))
    })
  }

  // no platform error leaves the client: no response, or a body that broke off, is TransportError
  const transportFailures = {
    RequestError: (e: HttpClientError.RequestError) => Effect.fail(Response.transportError(e)),
    ResponseError: (e: HttpClientError.ResponseError) => Effect.fail(Response.transportError(e))
  }

  const timeoutError = () =>
    new AssistantError.TransportError({
      reason: "Timeout",
      description: `no complete response within ${Duration.format(settings.requestTimeout)}`
    })

  /** A GET, DELETE or JSON request: the request and its bounded body under the request timeout. */
  const attempt = <A>(
    request: HttpClientRequest.HttpClientRequest,
    decode: Response.BodyDecoder<A>,
    span: Tracer.Span
  ): Effect.Effect<A, AssistantError.CallError> =>
    budgeted(request)(
      http.execute(request).pipe(
        Effect.flatMap((response) => readResponse(response, decode, span)),
        Effect.catchTags(transportFailures),
        Effect.timeoutFail({ duration: settings.requestTimeout, onTimeout: timeoutError }),
        scopedUntilFailure
      )
    )

  return { settings, http, budgeted, readResponse, transportFailures, scopedUntilFailure, attempt }
}
