import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import * as AssistantClient from "../src/AssistantClient.js"
import * as AssistantError from "../src/AssistantError.js"
import { version } from "../src/internal/version.js"
import { errorExamples, operationExamples } from "./spec.js"
import {
  clientLayer,
  completed,
  dataHost,
  errorBody,
  json,
  processing,
  type Recorded,
  secretKey,
  stubHttp
} from "./utils.js"

const request = { assistantName: "example-assistant", operationId: "op-1234-abcd-5678" }

const describeWith = (
  respond: Parameters<typeof clientLayer>[0],
  options: Partial<AssistantClient.Options> = {},
  req: AssistantClient.DescribeOperationRequest = request
) => {
  const { layer, requests } = clientLayer(respond, options)
  return AssistantClient.describeOperation(req).pipe(
    Effect.provide(layer),
    Effect.either,
    Effect.map((result) => ({ result, requests }))
  )
}

const failureOf = <A, E>(result: import("effect/Either").Either<A, E>): E => {
  if (result._tag === "Right") throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  return result.left
}

/** Every rendering of an error a user or a log could see. */
const renderings = (error: unknown): Array<string> => [
  String(error),
  JSON.stringify(error),
  (error as Error).message,
  (error as Error).stack ?? "",
  Cause.pretty(Cause.fail(error))
]

describe("AssistantClient.describeOperation", () => {
  it.effect("decodes every example response of the spec", () =>
    Effect.gen(function*() {
      for (const [name, example] of Object.entries(operationExamples())) {
        const { result } = yield* describeWith(() => json(example))
        assert.isTrue(result._tag === "Right", name)
      }
    }))

  it.effect("sends the headers and the path the API expects", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* describeWith(() => json(processing), { host: "example-data.pinecone.io" })
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(requests.length, 1)
      const { request: sent, url } = requests[0]!
      assert.strictEqual(sent.method, "GET")
      assert.strictEqual(
        url.toString(),
        "https://example-data.pinecone.io/assistant/operations/example-assistant/op-1234-abcd-5678"
      )
      assert.strictEqual(sent.headers["api-key"], secretKey)
      assert.strictEqual(sent.headers["x-pinecone-api-version"], "2026-04")
      assert.strictEqual(sent.headers["accept"], "application/json")
      assert.strictEqual(sent.headers["user-agent"], `effect-pinecone/${version}`)
    }))

  it.effect("uses the default host, a custom API version, and accepts a host given with /assistant", () =>
    Effect.gen(function*() {
      const a = yield* describeWith(() => json(processing), { apiVersion: "2025-10" })
      assert.strictEqual(a.requests[0]!.url.origin, dataHost)
      assert.strictEqual(a.requests[0]!.request.headers["x-pinecone-api-version"], "2025-10")
      const b = yield* describeWith(() => json(processing), { host: "http://127.0.0.1:4100/assistant/" })
      assert.strictEqual(
        b.requests[0]!.url.toString(),
        "http://127.0.0.1:4100/assistant/operations/example-assistant/op-1234-abcd-5678"
      )
    }))

  it.effect("encodes each path parameter as exactly one segment", () =>
    Effect.gen(function*() {
      const names = ["../../x", "a/b", "%2F", "a?b=c", "x#y", "with space", "ünïcødé-名前", "..x", "a\\b"]
      for (const name of names) {
        const { requests, result } = yield* describeWith(() => json(processing), {}, {
          assistantName: name,
          operationId: name
        })
        assert.strictEqual(result._tag, "Right", name)
        const segments = requests[0]!.url.pathname.split("/")
        assert.deepStrictEqual(segments.slice(0, 3), ["", "assistant", "operations"])
        assert.strictEqual(segments.length, 5, name)
        assert.strictEqual(decodeURIComponent(segments[3]!), name)
        assert.strictEqual(decodeURIComponent(segments[4]!), name)
        assert.strictEqual(requests[0]!.url.search, "")
        assert.strictEqual(requests[0]!.url.hash, "")
      }
    }))

  it.effect("refuses invalid path parameters with InvalidRequestError and sends nothing", () =>
    Effect.gen(function*() {
      const bad = ["", ".", "..", "a\nb", "a\rb", "nul\u0000", "tab\t", "x".repeat(513), "\ud800lone"]
      for (const value of bad) {
        for (const req of [{ ...request, assistantName: value }, { ...request, operationId: value }]) {
          const { requests, result } = yield* describeWith(() => json(processing), {}, req)
          const error = failureOf(result)
          assert.strictEqual(error._tag, "InvalidRequestError", JSON.stringify(value))
          assert.strictEqual(requests.length, 0)
        }
      }
      const { result } = yield* describeWith(() => json(processing), {}, { ...request, operationId: "x".repeat(512) })
      assert.strictEqual(result._tag, "Right")
    }))

  it.effect("maps each of the 19 codes to its own class", () =>
    Effect.gen(function*() {
      assert.strictEqual(AssistantError.apiErrorCodes.length, 19)
      for (const code of AssistantError.apiErrorCodes) {
        const { result } = yield* describeWith(() =>
          json({ status: 409, error: { code, message: `about ${code}`, details: { why: code } } }, 409, {
            "x-pinecone-request-id": `req-${code}`
          })
        )
        const error = failureOf(result)
        const expectedTag = code.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase()) + "Error"
        assert.strictEqual(error._tag, expectedTag)
        assert.isTrue(error instanceof (AssistantError.ApiErrorByCode[code] as Function))
        assert.isTrue(AssistantError.isApiError(error))
        if (!AssistantError.isApiError(error)) return
        assert.strictEqual(AssistantError.codeOf(error), code)
        assert.strictEqual(error.status, 409)
        assert.strictEqual(error.message, `about ${code}`)
        assert.deepStrictEqual(error.details, Option.some({ why: code }))
        assert.deepStrictEqual(error.requestId, Option.some(`req-${code}`))
        assert.isTrue(Option.isNone(error.retryAfter))
      }
    }))

  it.effect("maps the spec's error examples", () =>
    Effect.gen(function*() {
      const tags: Array<string> = []
      for (const { body, status } of errorExamples()) {
        const { result } = yield* describeWith(() => json(body, status))
        tags.push(failureOf(result)._tag)
      }
      assert.deepStrictEqual(tags, ["UnauthenticatedError", "NotFoundError", "UnknownError"])
    }))

  it.effect("an unknown code or a body that is not an ErrorResponse is UnrecognizedApiError", () =>
    Effect.gen(function*() {
      const unknown = failureOf((yield* describeWith(() => errorBody(418, "TEAPOT"))).result)
      assert.strictEqual(unknown._tag, "UnrecognizedApiError")
      if (unknown._tag !== "UnrecognizedApiError") return
      assert.deepStrictEqual(unknown.code, Option.some("TEAPOT"))
      assert.strictEqual(unknown.status, 418)

      const html = "<html><body><h1>502 Bad Gateway</h1>" + "x".repeat(5000) + "</body></html>"
      const page = failureOf(
        (yield* describeWith(() => new Response(html, { status: 502, headers: { "content-type": "text/html" } })))
          .result
      )
      assert.strictEqual(page._tag, "UnrecognizedApiError")
      if (page._tag !== "UnrecognizedApiError") return
      assert.strictEqual(page.status, 502)
      assert.isTrue(Option.isNone(page.code))
      assert.isAtMost(page.body.length, 1024)
      assert.isTrue(page.body.startsWith("<html><body><h1>502 Bad Gateway</h1>"))
      assert.include(page.message, "HTTP 502")

      const empty = failureOf((yield* describeWith(() => new Response(null, { status: 500 }))).result)
      assert.strictEqual(empty._tag, "UnrecognizedApiError")
      const redirect = failureOf(
        (yield* describeWith(() => new Response(null, { status: 302, headers: { location: "https://evil.example/" } })))
          .result
      )
      assert.strictEqual(redirect._tag, "UnrecognizedApiError")
    }))

  it.effect("a 2xx body that is not a valid OperationModel is MalformedResponseError", () =>
    Effect.gen(function*() {
      const cases: Array<[string, () => Response, "NotJson" | "Schema" | "TooLarge"]> = [
        ["not JSON", () => new Response("{not json", { status: 200 }), "NotJson"],
        ["empty", () => new Response("", { status: 200 }), "NotJson"],
        ["wrong type", () => json({ ...processing, status: 42 }), "Schema"],
        ["missing id", () => json({ ...processing, id: undefined }), "Schema"],
        ["percent 150", () => json({ ...processing, percent_complete: 150 }), "Schema"],
        ["bad date", () => json({ ...processing, created_on: "not a date" }), "Schema"],
        ["array", () => json([processing]), "Schema"],
        ["2 MiB", () => json({ ...processing, padding: "x".repeat(2 * 1024 * 1024) }), "TooLarge"],
        [
          "2 MiB without Content-Length",
          () =>
            new Response(
              new ReadableStream({
                start(controller) {
                  for (let i = 0; i < 32; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(32))
                  controller.close()
                }
              }),
              { status: 200 }
            ),
          "TooLarge"
        ]
      ]
      for (const [name, respond, reason] of cases) {
        const error = failureOf((yield* describeWith(respond)).result)
        assert.strictEqual(error._tag, "MalformedResponseError", name)
        if (error._tag !== "MalformedResponseError") return
        assert.strictEqual(error.reason, reason, name)
        assert.strictEqual(error.status, 200)
        assert.isAtMost(error.summary.length, 1024)
      }
    }))

  it.effect("deeply nested bodies are malformed, never a defect (found by the fuzzer)", () =>
    Effect.gen(function*() {
      for (
        const body of ["[".repeat(50_000) + "]".repeat(50_000), `{"id":${"[".repeat(5_000)}1${"]".repeat(5_000)}}`]
      ) {
        const ok = failureOf((yield* describeWith(() => new Response(body, { status: 200 }))).result)
        assert.strictEqual(ok._tag, "MalformedResponseError")
        const error = failureOf((yield* describeWith(() => new Response(body, { status: 400 }))).result)
        assert.strictEqual(error._tag, "UnrecognizedApiError")
      }
    }))

  it.effect("a 2 MiB body is not read past the 1 MiB cap", () =>
    Effect.gen(function*() {
      let pulled = 0
      const body = () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              pulled += 64 * 1024
              controller.enqueue(new Uint8Array(64 * 1024).fill(32))
              if (pulled >= 2 * 1024 * 1024) controller.close()
            }
          }),
          { status: 200 }
        )
      const error = failureOf((yield* describeWith(body)).result)
      assert.strictEqual(error._tag, "MalformedResponseError")
      assert.isBelow(pulled, 1.5 * 1024 * 1024)
    }))

  it.effect("no response is TransportError, keeping the cause's message and code", () =>
    Effect.gen(function*() {
      const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })
      const { result } = yield* describeWith(() => Effect.fail(refused))
      const error = failureOf(result)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag !== "TransportError") return
      assert.strictEqual(error.reason, "Transport")
      assert.include(error.message, "ECONNREFUSED")
      // a field to tell it apart by, not the text: a refused connection wrapped as fetch wraps it
      assert.strictEqual(error.code, "ECONNREFUSED")
      const wrapped = new TypeError("fetch failed", { cause: refused })
      const fetchLike = failureOf((yield* describeWith(() => Effect.fail(wrapped))).result)
      assert.strictEqual(fetchLike._tag === "TransportError" && fetchLike.code, "ECONNREFUSED")
      const plain = failureOf((yield* describeWith(() => Effect.fail(new Error("socket hang up")))).result)
      assert.strictEqual(plain._tag === "TransportError" && plain.code, undefined)
    }))

  it.effect("a request over the timeout is aborted at the deadline and is TransportError Timeout", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(() => Effect.never, { requestTimeout: "2 seconds" })
      const fiber = yield* AssistantClient.describeOperation(request).pipe(
        Effect.provide(layer),
        Effect.either,
        Effect.fork
      )
      yield* TestClock.adjust("1999 millis")
      assert.strictEqual(requests.length, 1)
      assert.isFalse(requests[0]!.signal.aborted)
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 millis")
      const error = failureOf(yield* Fiber.join(fiber))
      assert.isTrue(requests[0]!.signal.aborted)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "Timeout")
    }))

  it.effect("an answer within the timeout is not cut off, and a later request is not cut by an earlier deadline", () =>
    Effect.gen(function*() {
      const abortedWhenAnswered: Array<boolean> = []
      const { layer } = clientLayer(
        (recorded) =>
          Effect.as(
            Effect.sleep("1800 millis"),
            json(completed)
          ).pipe(Effect.tap(() => Effect.sync(() => abortedWhenAnswered.push(recorded.signal.aborted)))),
        { requestTimeout: "2 seconds" }
      )
      yield* Effect.gen(function*() {
        const first = yield* Effect.fork(AssistantClient.describeOperation(request))
        yield* TestClock.adjust("1 second")
        // started at 1 s, answered at 2.8 s: past the first request's deadline (2 s), within its own
        const second = yield* Effect.fork(AssistantClient.describeOperation(request))
        yield* TestClock.adjust("1 second")
        yield* TestClock.adjust("1 second")
        assert.strictEqual((yield* Fiber.join(first)).status, "Completed")
        assert.strictEqual((yield* Fiber.join(second)).status, "Completed")
        assert.deepStrictEqual(abortedWhenAnswered, [false, false])
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a response that fails to decode aborts its request (the connection is not left open)", () =>
    Effect.gen(function*() {
      const { requests, result } = yield* describeWith(() => new Response("{", { status: 200 }))
      assert.strictEqual(failureOf(result)._tag, "MalformedResponseError")
      assert.isTrue(requests[0]!.signal.aborted)
    }))

  it.effect("Retry-After in seconds is honoured before the retry", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(
        (_, i) =>
          i === 0
            ? json({ status: 503, error: { code: "UNAVAILABLE", message: "busy" } }, 503, { "retry-after": "5" })
            : json(completed),
        { retry: AssistantClient.defaultRetrySchedule }
      )
      const fiber = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("4999 millis")
      assert.strictEqual(requests.length, 1)
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 millis")
      const op = yield* Fiber.join(fiber)
      assert.strictEqual(op.status, "Completed")
      assert.strictEqual(requests.length, 2)
    }))

  it.effect("Retry-After as an HTTP date is honoured", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-01-01T00:00:00Z"))
      const { layer, requests } = clientLayer(
        (_, i) =>
          i === 0
            ? json({ status: 429, error: { code: "TOO_MANY_REQUESTS", message: "slow down" } }, 429, {
              "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT"
            })
            : json(completed),
        { retry: AssistantClient.defaultRetrySchedule }
      )
      const fiber = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("29 seconds")
      assert.strictEqual(requests.length, 1)
      yield* TestClock.adjust("1 seconds")
      assert.strictEqual((yield* Fiber.join(fiber)).status, "Completed")
    }))

  it.effect("transient failures are retried at most 3 times; the last error is returned", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(() => errorBody(503, "UNAVAILABLE"), {
        retry: AssistantClient.defaultRetrySchedule
      })
      const fiber = yield* AssistantClient.describeOperation(request).pipe(
        Effect.provide(layer),
        Effect.flip,
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "UnavailableError")
      assert.strictEqual(requests.length, 4)
    }))

  it.effect("retries 429/500/502/503/504 and transport errors, not 400/401/403/404", () =>
    Effect.gen(function*() {
      const countFor = (respond: Parameters<typeof clientLayer>[0]) =>
        Effect.gen(function*() {
          const { layer, requests } = clientLayer(respond, { retry: Schedule.recurs(2) })
          yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.ignore)
          return requests.length
        })
      for (const status of [429, 500, 502, 503, 504]) {
        assert.strictEqual(yield* countFor(() => new Response("x", { status })), 3, String(status))
      }
      assert.strictEqual(yield* countFor(() => Effect.fail(new Error("ECONNRESET"))), 3)
      assert.strictEqual(yield* countFor(() => errorBody(400, "RESOURCE_EXHAUSTED")), 3)
      for (
        const [status, code] of [[400, "INVALID_ARGUMENT"], [401, "UNAUTHENTICATED"], [403, "FORBIDDEN"], [
          404,
          "NOT_FOUND"
        ]] as const
      ) {
        assert.strictEqual(yield* countFor(() => errorBody(status, code)), 1, code)
      }
      assert.strictEqual(yield* countFor(() => json({ bad: true })), 1)
    }))

  it.effect("the default retry delays are full-jitter exponential from 250 ms, capped at 20 s, 3 at most", () =>
    Effect.gen(function*() {
      for (let run = 0; run < 50; run++) {
        const delays = Array.from(
          yield* Schedule.run(Schedule.delays(AssistantClient.defaultRetrySchedule), 0, [1, 2, 3, 4, 5, 6])
        ).map(Duration.toMillis)
        // Schedule.run also reports the step on which the schedule ends; the recurrences are the first 3
        assert.strictEqual(delays.length, 4)
        delays.slice(0, 3).forEach((d, i) => {
          assert.isAtLeast(d, 0)
          assert.isAtMost(d, Math.min(250 * 2 ** i, 20000))
        })
      }
      const capped = Array.from(
        yield* Schedule.run(
          Schedule.delays(
            Schedule.exponential("250 millis", 2).pipe(
              Schedule.modifyDelay((_, d) => Duration.min(d, "20 seconds")),
              Schedule.intersect(Schedule.recurs(12))
            )
          ),
          0,
          Array.from({ length: 14 }, (_, i) => i)
        )
      ).map(Duration.toMillis)
      assert.strictEqual(capped[capped.length - 2], 20000)
    }))

  it.effect("retry: false sends exactly one request", () =>
    Effect.gen(function*() {
      const { requests } = yield* describeWith(() => errorBody(503, "UNAVAILABLE"), { retry: false })
      assert.strictEqual(requests.length, 1)
    }))

  it.effect("the API key appears in no rendering of any error", () =>
    Effect.gen(function*() {
      const responders: Array<Parameters<typeof clientLayer>[0]> = [
        ...AssistantError.apiErrorCodes.map((code) => () => errorBody(400, code)),
        () => errorBody(418, "TEAPOT"),
        () => new Response(`<html>${secretKey.slice(0, 3)}</html>`, { status: 502 }),
        () => new Response("{", { status: 200 }),
        () => json({ ...processing, status: 1 }),
        () => Effect.fail(new Error("socket hang up")),
        () => Effect.never
      ]
      for (const respond of responders) {
        const fiber = yield* describeWith(respond, { requestTimeout: "1 second" }).pipe(Effect.fork)
        yield* TestClock.adjust("1 second")
        const { result } = yield* Fiber.join(fiber)
        const error = failureOf(result)
        for (const text of renderings(error)) assert.notInclude(text, secretKey)
      }
      const invalid = failureOf(
        (yield* describeWith(() => json(processing), {}, { ...request, operationId: "" })).result
      )
      for (const text of renderings(invalid)) assert.notInclude(text, secretKey)
    }))

  it.effect("refuses plain http:// to a host that is not loopback unless allowed", () =>
    Effect.gen(function*() {
      const stub = stubHttp(() => json(processing))
      const build = (options: Partial<AssistantClient.Options>) =>
        AssistantClient.make({ apiKey: Redacted.make(secretKey), host: dataHost, ...options }).pipe(
          Effect.provide(stub.layer),
          Effect.scoped,
          Effect.exit
        )
      const refused = yield* build({ host: "http://example.com" })
      assert.isTrue(Exit.isFailure(refused))
      if (Exit.isFailure(refused)) {
        const error = Cause.failureOption(refused.cause)
        assert.strictEqual(Option.getOrThrow(error)._tag, "InvalidRequestError")
      }
      for (
        const host of ["http://localhost:4100", "http://127.0.0.1:1", "http://[::1]:80", "example.com", "https://x.io"]
      ) {
        assert.isTrue(Exit.isSuccess(yield* build({ host })), host)
      }
      assert.isTrue(Exit.isSuccess(yield* build({ host: "http://example.com", allowInsecure: true })))
      assert.isTrue(Exit.isFailure(yield* build({ host: "ftp://example.com" })))
      assert.isTrue(Exit.isFailure(yield* build({ host: "https://user:pw@example.com" })))
      assert.isTrue(Exit.isFailure(yield* build({ maxRequestsPerSecond: 0 })))
    }))

  it.effect("layerConfig reads PINECONE_API_KEY, PINECONE_ASSISTANT_HOST and PINECONE_API_VERSION", () =>
    Effect.gen(function*() {
      const stub = stubHttp(() => json(processing))
      const provider = ConfigProvider.fromMap(
        new Map([
          ["PINECONE_API_KEY", secretKey],
          ["PINECONE_ASSISTANT_HOST", "eu.example.io"],
          ["PINECONE_API_VERSION", "2026-07"]
        ])
      )
      yield* AssistantClient.describeOperation(request).pipe(
        Effect.provide(AssistantClient.layerConfig().pipe(Layer.provide(stub.layer))),
        Effect.withConfigProvider(provider)
      )
      const sent = stub.requests[0]!
      assert.strictEqual(sent.url.origin, "https://eu.example.io")
      assert.strictEqual(sent.request.headers["x-pinecone-api-version"], "2026-07")
      assert.strictEqual(sent.request.headers["api-key"], secretKey)

      const missing = yield* AssistantClient.describeOperation(request).pipe(
        Effect.provide(AssistantClient.layerConfig().pipe(Layer.provide(stub.layer))),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(missing))
      if (Exit.isFailure(missing)) {
        const rendered = Cause.pretty(missing.cause)
        assert.include(rendered, "PINECONE_API_KEY")
        // the message says what to do, not "<redacted>"
        assert.include(rendered, "PINECONE_API_KEY is not set: export your Pinecone API key")
        assert.notInclude(rendered, "<redacted>")
      }
    }))
})

describe("what each request runs with, and its span", () => {
  const parentOf = (recorded: Recorded): Tracer.Span => {
    const span = Option.getOrThrow(Context.getOption(recorded.context, Tracer.ParentSpan))
    assert.strictEqual(span._tag, "Span")
    return span as Tracer.Span
  }
  const refOf = <A>(recorded: Recorded, ref: FiberRef.FiberRef<A>) => FiberRefs.getOrDefault(recorded.fiberRefs, ref)
  // the caller's own request context, which the client extends and then gives back unchanged
  const callerState = Effect.all([
    Effect.serviceOption(FetchHttpClient.RequestInit),
    FiberRef.get(Headers.currentRedactedNames),
    FiberRef.get(HttpClient.currentTracerDisabledWhen),
    Effect.serviceOption(Tracer.ParentSpan)
  ])
  // 503, then the answer: a call with one resend; then 404 for every later request
  const flaky = (_: Recorded, i: number) =>
    i === 0 ? errorBody(503, "UNAVAILABLE") : i === 1 ? json(processing) : errorBody(404, "NOT_FOUND")
  const host = "example-data.pinecone.io"

  it.effect("each attempt: no redirects (RequestInit kept), key redacted, no platform span; caller's own after", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(flaky, { retry: Schedule.recurs(2) })
      yield* Effect.gen(function*() {
        const before = yield* callerState
        yield* AssistantClient.describeOperation(request)
        assert.deepStrictEqual(yield* callerState, before)
        assert.strictEqual((yield* Effect.flip(AssistantClient.describeOperation(request)))._tag, "NotFoundError")
        assert.deepStrictEqual(yield* callerState, before)
      }).pipe(
        Effect.provide(layer),
        Effect.provideService(FetchHttpClient.RequestInit, { credentials: "omit" })
      )
      assert.strictEqual(requests.length, 3)
      for (const sent of requests) {
        assert.deepStrictEqual(
          Context.getOption(sent.context, FetchHttpClient.RequestInit),
          Option.some<RequestInit>({ credentials: "omit", redirect: "manual" })
        )
        assert.include(refOf(sent, Headers.currentRedactedNames), "api-key")
        assert.isTrue(refOf(sent, HttpClient.currentTracerDisabledWhen)(sent.request))
        assert.strictEqual(parentOf(sent).name, "AssistantClient.describeOperation")
      }
      // a call of its own: the second call's span is not the first's
      assert.strictEqual(parentOf(requests[0]!), parentOf(requests[1]!))
      assert.notStrictEqual(parentOf(requests[1]!), parentOf(requests[2]!))
    }))

  it.effect("the call's span is the client span (HTTP attributes, resends); the trace context is sent from it", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(flaky, { retry: Schedule.recurs(2), host })
      yield* Effect.provide(AssistantClient.describeOperation(request), layer)
      const span = parentOf(requests[0]!)
      assert.strictEqual(span.kind, "client")
      assert.deepStrictEqual(Object.fromEntries(span.attributes), {
        "pinecone.assistant.name": "example-assistant",
        "pinecone.operation.id": "op-1234-abcd-5678",
        "pinecone.operation.status": "Processing",
        "http.request.method": "GET",
        "url.full": `https://${host}/assistant/operations/example-assistant/op-1234-abcd-5678`,
        "url.scheme": "https",
        "server.address": host,
        "server.port": 443,
        "http.response.status_code": 200,
        "http.request.resend_count": 1
      })
      for (const sent of requests) {
        assert.strictEqual(sent.request.headers["traceparent"], `00-${span.traceId}-${span.spanId}-01`)
        assert.strictEqual(sent.request.headers["b3"], `${span.traceId}-${span.spanId}-1`)
      }
      const quiet = clientLayer(() => json(processing))
      yield* AssistantClient.describeOperation(request).pipe(
        Effect.provide(quiet.layer),
        Effect.locally(HttpClient.currentTracerPropagation, false)
      )
      // and with tracing off, the call's span is a no-op, which has no trace context to send
      yield* AssistantClient.describeOperation(request).pipe(
        Effect.provide(quiet.layer),
        Effect.withTracerEnabled(false)
      )
      assert.strictEqual(quiet.requests.length, 2)
      for (const sent of quiet.requests) {
        assert.isUndefined(sent.request.headers["traceparent"])
        assert.isUndefined(sent.request.headers["b3"])
      }
    }))

  it.effect("httpSpans: true keeps a platform http.client span per attempt, under the call's span, key redacted", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(flaky, { retry: Schedule.recurs(2), httpSpans: true })
      yield* Effect.provide(AssistantClient.describeOperation(request), layer)
      const spans = requests.map(parentOf)
      const call = spans[0]!.parent
      assert.isTrue(
        Option.isSome(call) && call.value._tag === "Span" && call.value.name === "AssistantClient.describeOperation"
      )
      assert.notStrictEqual(spans[0], spans[1])
      for (const [i, span] of spans.entries()) {
        assert.strictEqual(span.name, "http.client GET")
        assert.deepStrictEqual(span.parent, call)
        assert.strictEqual(span.attributes.get("http.request.header.api-key"), "<redacted>")
        assert.strictEqual(requests[i]!.request.headers["traceparent"], `00-${span.traceId}-${span.spanId}-01`)
      }
    }))
})
