// An HttpClient answered by an emulator's app in memory: no socket, on the caller's runtime.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { abortedBy } from "../http.js"

/** @internal */
export const httpClient = (
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.gen(function*() {
      const { body } = request
      // a streamed body (an upload) is pulled by the emulator as it parses it, on the caller's
      // runtime (its Clock, the TestClock in a test)
      const init: RequestInit & { duplex?: "half" } = body._tag === "Stream"
        ? {
          body: yield* Stream.toReadableStreamEffect(body.stream as Stream.Stream<Uint8Array, unknown>),
          duplex: "half"
        }
        : { body: body._tag === "Uint8Array" || body._tag === "Raw" ? body.body as BodyInit : null }
      const headers = { ...request.headers }
      if (body._tag === "Stream" || body._tag === "Uint8Array") {
        if (body.contentType !== undefined) headers["content-type"] ??= body.contentType
        if (body.contentLength !== undefined) headers["content-length"] ??= String(body.contentLength)
      }
      const webRequest = new Request(url, { method: request.method, headers, ...init, signal })
      // like a real transport, a request still in flight (an injected latency) fails once its signal
      // aborts: that is how the client's request timeout ends it
      const aborted = abortedBy(
        signal,
        (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      )
      return yield* Effect.raceFirst(
        Effect.map(
          Effect.provideService(
            app,
            HttpServerRequest.HttpServerRequest,
            HttpServerRequest.fromWeb(webRequest)
          ),
          (response) => HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
        ),
        aborted
      )
    })
  )
