import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as FiberRefs from "effect/FiberRefs"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import { abortedBy } from "../src/internal/http.js"

export const secretKey = "pcsk_TEST_SECRET_7f3a9c_DO_NOT_LEAK"

/** A data-plane host the stubs answer for (Pinecone's US one). */
export const dataHost = "https://prod-1-data.ke.pinecone.io"

export interface Recorded {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
  readonly signal: AbortSignal
  /** The services and FiberRefs the request was sent with. */
  readonly context: Context.Context<never>
  readonly fiberRefs: FiberRefs.FiberRefs
}

export type Responder = (recorded: Recorded, index: number) => Response | Effect.Effect<Response, unknown>

/**
 * A stub HttpClient: answers each request with `respond`, keeping every request it received, with
 * its AbortSignal and what it ran with. Like a real transport, an answer still pending fails when
 * the signal aborts.
 */
export const stubHttp = (respond: Responder) => {
  const requests: Array<Recorded> = []
  const client = HttpClient.make((request, url, signal, fiber) =>
    Effect.suspend(() => {
      const recorded = { request, url, signal, context: fiber.currentContext, fiberRefs: fiber.getFiberRefs() }
      requests.push(recorded)
      const answer = respond(recorded, requests.length - 1)
      return Effect.map(
        Effect.isEffect(answer)
          ? Effect.mapError(
            Effect.raceFirst(answer, abortedBy(signal, () => new Error("This operation was aborted"))),
            (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
          )
          : Effect.succeed(answer),
        (response) => HttpClientResponse.fromWeb(request, response)
      )
    })
  )
  return { requests, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

export const errorBody = (status: number, code: string, message = `${code} happened`) =>
  json({ status, error: { code, message } }, status)

/** The client on a stub, with the test key. */
export const clientLayer = (
  respond: Responder,
  options: Partial<AssistantClient.Options> = {}
) => {
  const stub = stubHttp(respond)
  const layer = AssistantClient.layer({
    apiKey: Redacted.make(secretKey),
    host: dataHost,
    retry: false,
    ...options
  }).pipe(
    Layer.provide(stub.layer),
    Layer.orDie
  )
  return { requests: stub.requests, layer }
}

export const processing = {
  created_on: "2025-10-01T12:30:00.000Z",
  file_id: "my-report-2025",
  id: "op-1234-abcd-5678",
  operation_type: "upload_file",
  percent_complete: 42,
  status: "Processing"
}

export const completed = {
  completed_on: "2025-10-01T12:35:00.000Z",
  created_on: "2025-10-01T12:30:00.000Z",
  file_id: "my-report-2025",
  id: "op-1234-abcd-5678",
  operation_type: "upload_file",
  percent_complete: 100,
  status: "Completed"
}

/** Runs `effect` with the TestClock moved on in steps until it ends (an in-memory emulator's clock). */
export const drive = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.DurationInput = "500 millis") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < 100_000; i++) {
      const exit = fiber.unsafePoll()
      if (exit !== null) {
        return yield* Exit.matchEffect(exit, { onFailure: Effect.failCause, onSuccess: Effect.succeed })
      }
      yield* TestClock.adjust(step)
    }
    return yield* Effect.dieMessage("the effect did not end")
  })
