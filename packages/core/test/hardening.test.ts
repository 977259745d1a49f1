// Regression tests for the defects of the hardened request pipeline (issue 15): each fails without its fix.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { gzipSync } from "node:zlib"
import * as AssistantClient from "../src/AssistantClient.js"
import * as AssistantError from "../src/AssistantError.js"
import * as Emulator from "../src/Emulator.js"
import * as OperationPoller from "../src/OperationPoller.js"
import { clientLayer, completed, dataHost, json, processing, stubHttp } from "./utils.js"

const request = { assistantName: "docs", operationId: "op-1234-abcd-5678" }
const busy = (retryAfter: string) =>
  json({ status: 429, error: { code: "TOO_MANY_REQUESTS", message: "slow down" } }, 429, { "retry-after": retryAfter })

describe("a huge Retry-After", () => {
  for (
    const [name, value] of [["a billion seconds", "1000000000"], [
      "a date in year 9999",
      "Fri, 31 Dec 9999 23:59:59 GMT"
    ]]
  ) {
    it.scoped(`${name} ends describe at once with its typed error, retryAfter kept`, () =>
      Effect.gen(function*() {
        const { layer, requests } = clientLayer(() => busy(value), { retry: AssistantClient.defaultRetrySchedule })
        const fiber = yield* AssistantClient.describeOperation(request).pipe(
          Effect.provide(layer),
          Effect.flip,
          Effect.fork
        )
        yield* TestClock.adjust("1 millis")
        const error = yield* Fiber.join(fiber)
        assert.strictEqual(error._tag, "TooManyRequestsError")
        if (error._tag === "TooManyRequestsError") {
          assert.isTrue(Duration.greaterThan(Option.getOrThrow(error.retryAfter), Duration.days(365)))
        }
        assert.strictEqual(requests.length, 1)
      }))
  }

  it.scoped("a Retry-After within maxRetryAfter is waited out; past it (option lowered), not", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer((_, i) => i === 0 ? busy("30") : json(completed), {
        retry: AssistantClient.defaultRetrySchedule,
        maxRetryAfter: "10 seconds"
      })
      const result = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.either)
      assert.strictEqual(Either.isLeft(result) && result.left._tag, "TooManyRequestsError")
      assert.strictEqual(requests.length, 1)
      const waited = clientLayer((_, i) => i === 0 ? busy("30") : json(completed), {
        retry: AssistantClient.defaultRetrySchedule
      })
      const fiber = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(waited.layer), Effect.fork)
      yield* TestClock.adjust("30 seconds")
      assert.strictEqual((yield* Fiber.join(fiber)).status, "Completed")
    }))

  it.scoped("inside a wait, a Retry-After past the remaining budget ends the wait at once, the error on it", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer((_, i) => i === 0 ? json(processing) : busy("50"), {
        retry: AssistantClient.defaultRetrySchedule
      })
      const fiber = yield* OperationPoller.waitForOperation({ ...request, timeout: "40 seconds" }).pipe(
        Effect.provide(layer),
        Effect.flip,
        Effect.fork
      )
      yield* TestClock.adjust("2 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "WaitTimeoutError")
      if (error._tag !== "WaitTimeoutError") return
      assert.isBelow(Duration.toMillis(error.elapsed), 2000)
      const last = Option.getOrThrow(error.lastError)
      assert.strictEqual(last._tag, "TooManyRequestsError")
      assert.deepStrictEqual(AssistantError.retryAfterOf(last), Option.some(Duration.seconds(50)))
      assert.strictEqual(requests.length, 2)
    }))

  it.scoped("listOperations and waitForOperations end too", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() => busy("1000000000"), { retry: AssistantClient.defaultRetrySchedule })
      const listed = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.runCollect,
        Effect.provide(layer),
        Effect.flip,
        Effect.fork
      )
      const waited = yield* OperationPoller.waitForOperations({ assistantName: "docs", operationIds: ["a", "b", "c"] })
        .pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Fiber.join(listed))._tag, "TooManyRequestsError")
      const summary = yield* Fiber.join(waited)
      assert.isTrue(summary.timedOut)
      assert.deepStrictEqual(summary.unseen, ["a", "b", "c"])
      assert.strictEqual(Option.getOrThrow(summary.lastError)._tag, "TooManyRequestsError")
    }))

  it.scoped("no retry delay passes the timer maximum: a schedule of 100-day delays retries within 25 days", () =>
    Effect.gen(function*() {
      const unavailable = json({ status: 503, error: { code: "UNAVAILABLE", message: "down" } }, 503)
      const { layer, requests } = clientLayer((_, i) => i === 0 ? unavailable : json(completed), {
        retry: Schedule.spaced(Duration.days(100)).pipe(Schedule.intersect(Schedule.recurs(1)))
      })
      const fiber = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust(Duration.days(25))
      assert.strictEqual(requests.length, 2)
      assert.strictEqual((yield* Fiber.join(fiber)).status, "Completed")
    }))

  it.scoped("an out-of-range duration option is InvalidRequestError", () =>
    Effect.gen(function*() {
      const stub = stubHttp(() => json(completed))
      for (const option of [{ maxRetryAfter: Duration.days(30) }, { requestTimeout: Duration.days(30) }]) {
        const error = yield* AssistantClient.make({ apiKey: Redacted.make("k"), ...option }).pipe(
          Effect.provide(stub.layer),
          Effect.flip
        )
        assert.strictEqual(error._tag, "InvalidRequestError")
      }
    }))
})

describe("the body cap holds on decoded bytes", () => {
  it.scoped("a 64 KiB gzip body that decodes to 64 MiB is refused through fetch", () =>
    Effect.gen(function*() {
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
      assert.isBelow(bomb.length, 128 * 1024)
      // what fetch gives: the encoded length declared, the body decoded
      const { layer } = clientLayer(() =>
        new Response(
          new Response(new Blob([bomb]).stream().pipeThrough(new DecompressionStream("gzip"))).body,
          { status: 200, headers: { "content-encoding": "gzip", "content-length": String(bomb.length) } }
        )
      )
      const error = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.flip)
      assert.strictEqual(error._tag, "MalformedResponseError")
      if (error._tag === "MalformedResponseError") assert.strictEqual(error.reason, "TooLarge")
    }))
})

describe("pagination", () => {
  it.scoped("tokens cycling A -> B -> A end the stream instead of looping", () =>
    Effect.gen(function*() {
      const next: Record<string, string> = { "": "A", A: "B", B: "A" }
      const { layer, requests } = clientLayer(({ url }) =>
        json({ operations: [], pagination: { next: next[url.searchParams.get("pagination_token") ?? ""] } })
      )
      const error = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.runCollect,
        Effect.provide(layer),
        Effect.flip
      )
      assert.strictEqual(error._tag, "MalformedResponseError")
      assert.strictEqual(requests.length, 3)
    }))

  it.scoped("a 600-character token the server issued is followed", () =>
    Effect.gen(function*() {
      const token = "t".repeat(600)
      const { layer, requests } = clientLayer(({ url }) =>
        url.searchParams.get("pagination_token") === token
          ? json({ operations: [processing] })
          : json({ operations: [], pagination: { next: token } })
      )
      const ops = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.runCollect,
        Effect.provide(layer)
      )
      assert.strictEqual(Chunk.size(ops), 1)
      assert.strictEqual(requests.length, 2)
    }))

  it.scoped("a token with a control character is refused before sending", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(() => json({ operations: [], pagination: { next: "a\r\nb" } }))
      const error = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.runCollect,
        Effect.provide(layer),
        Effect.flip
      )
      assert.strictEqual(error._tag, "InvalidRequestError")
      assert.strictEqual(requests.length, 1)
    }))
})

describe("error details", () => {
  it.scoped("a __proto__ key inside details stays an own key, not the prototype", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() =>
        new Response(
          `{"status":404,"error":{"code":"NOT_FOUND","message":"gone","details":{"__proto__":{"polluted":true},"a":1}}}`,
          { status: 404 }
        )
      )
      const error = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.flip)
      assert.strictEqual(error._tag, "NotFoundError")
      if (error._tag !== "NotFoundError") return
      const details = Option.getOrThrow(error.details) as Record<string, unknown>
      assert.strictEqual(Object.getPrototypeOf(details), Object.prototype)
      assert.isTrue(Object.prototype.hasOwnProperty.call(details, "__proto__"))
      assert.isUndefined((details as { polluted?: unknown }).polluted)
      assert.strictEqual(details.a, 1)
    }))
})

describe("options a header cannot carry", () => {
  const cases: ReadonlyArray<readonly [string, Partial<AssistantClient.Options>]> = [
    ["a key ending in \\r", { apiKey: Redacted.make("pcsk_abc\r") }],
    ["a key with a newline inside", { apiKey: Redacted.make("pcsk\nabc") }],
    ["a non-Latin-1 key", { apiKey: Redacted.make("pcsk_ключ") }],
    ["an empty key", { apiKey: Redacted.make("") }],
    ["a key with a trailing space", { apiKey: Redacted.make("pcsk_abc ") }],
    ["an empty API version", { apiVersion: "" }],
    ["an API version with a control character", { apiVersion: "2026-04\u0000" }]
  ]
  for (const [name, options] of cases) {
    it.scoped(`${name}: InvalidRequestError from make, on the in-memory client too, and nothing sent`, () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.make({ seed: "demo" })
        let sent = 0
        const client = HttpClient.tapRequest(Emulator.makeHttpClient(emulator), () => Effect.sync(() => sent++))
        const error = yield* AssistantClient.make({
          apiKey: Redacted.make("local-key"),
          host: "http://127.0.0.1",
          ...options
        })
          .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, client)), Effect.flip)
        assert.strictEqual(error._tag, "InvalidRequestError")
        assert.strictEqual(sent, 0)
        assert.notInclude(error.message, "pcsk")
      }))
  }
})

describe("transport failures that retrying cannot mend", () => {
  const failing = (code: string) =>
    HttpClient.make((req) =>
      Effect.fail(
        new HttpClientError.RequestError({
          request: req,
          reason: "Transport",
          cause: Object.assign(new Error(`getaddrinfo ${code} nowhere.invalid`), { code })
        })
      )
    )
  for (
    const [code, reason, retried] of [["ENOTFOUND", "Dns", false], ["DEPTH_ZERO_SELF_SIGNED_CERT", "Tls", false], [
      "ECONNREFUSED",
      "Transport",
      true
    ]] as const
  ) {
    it.scoped(`${code}: TransportError ${reason}${retried ? ", retried" : ", not retried"}`, () =>
      Effect.gen(function*() {
        let sent = 0
        const client = HttpClient.tapRequest(failing(code), () => Effect.sync(() => sent++))
        const fiber = yield* AssistantClient.describeOperation(request).pipe(
          Effect.provide(
            AssistantClient.layer({
              apiKey: Redacted.make("k"),
              host: dataHost,
              retry: AssistantClient.defaultRetrySchedule
            }).pipe(
              Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
              Layer.orDie
            )
          ),
          Effect.flip,
          Effect.fork
        )
        yield* TestClock.adjust("1 minute")
        const error = yield* Fiber.join(fiber)
        assert.strictEqual(error._tag, "TransportError")
        if (error._tag === "TransportError") assert.strictEqual(error.reason, reason)
        assert.strictEqual(sent, retried ? 4 : 1)
      }))
  }

  it.scoped("a wait against a name that does not resolve fails at once, not after its budget", () =>
    Effect.gen(function*() {
      const client = failing("ENOTFOUND")
      const exit = yield* OperationPoller.waitForOperation(request).pipe(
        Effect.provide(
          AssistantClient.layer({ apiKey: Redacted.make("k"), host: dataHost }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
            Layer.orDie
          )
        ),
        Effect.flip
      )
      assert.strictEqual(exit._tag, "TransportError")
    }))

  it.scoped("a wait that rides out transient failures reports each, and its WaitTimeoutError carries the last", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() =>
        json({ status: 503, error: { code: "UNAVAILABLE", message: "down for maintenance" } }, 503)
      )
      const seen: Array<string> = []
      const fiber = yield* OperationPoller.waitForOperation({
        ...request,
        timeout: "10 seconds",
        onRetry: (e) => Effect.sync(() => seen.push(e._tag))
      }).pipe(Effect.provide(layer), Effect.flip, Effect.fork)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "WaitTimeoutError")
      if (error._tag !== "WaitTimeoutError") return
      assert.strictEqual(Option.getOrThrow(error.lastError)._tag, "UnavailableError")
      assert.include(error.message, "down for maintenance")
      assert.isAbove(seen.length, 3)
    }))
})

describe("transformClient", () => {
  it.scoped("wraps the client every call uses", () =>
    Effect.gen(function*() {
      const stub = stubHttp(() => json(completed))
      const layer = AssistantClient.layer({
        apiKey: Redacted.make("k"),
        host: dataHost,
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-extra", "yes"))
      }).pipe(Layer.provide(stub.layer), Layer.orDie)
      yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer))
      assert.strictEqual(stub.requests[0]!.request.headers["x-extra"], "yes")
      assert.strictEqual(stub.requests[0]!.url.pathname, "/assistant/operations/docs/op-1234-abcd-5678")
    }))
})

describe("waitForOperations keeps its budget and its books", () => {
  const wire = (id: string, status = "Processing") => ({
    id,
    operation_type: "upload_file",
    status,
    created_on: "2026-04-01T00:00:00.000Z"
  })
  const isList = (url: URL) => url.pathname === "/assistant/operations/docs"
  const idOf = (url: URL) => url.pathname.split("/").pop()!

  it.scoped("against a server that never answers, timeout 5 s returns the partial summary at 5 s", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() => Effect.never)
      const fiber = yield* OperationPoller.waitForOperations({
        assistantName: "docs",
        operationIds: ["a", "b", "c", "d"],
        timeout: "5 seconds"
      }).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("5 seconds")
      const summary = yield* Fiber.join(fiber)
      assert.isTrue(summary.timedOut)
      assert.deepStrictEqual(summary.unseen, ["a", "b", "c", "d"])
    }))

  it.scoped("a listing whose tokens cycle is given up for describes, and the wait ends", () =>
    Effect.gen(function*() {
      const next: Record<string, string> = { "": "A", A: "B", B: "A" }
      const { layer } = clientLayer(({ url }) =>
        isList(url)
          ? json({ operations: [], pagination: { next: next[url.searchParams.get("pagination_token") ?? ""] } })
          : json(wire(idOf(url), "Completed"))
      )
      const fiber = yield* OperationPoller.waitForOperations({
        assistantName: "docs",
        operationIds: ["a", "b", "c", "d"],
        strategy: "list"
      }).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("1 minute")
      const summary = yield* Fiber.join(fiber)
      assert.strictEqual(summary.completed.length, 4)
      assert.isFalse(summary.timedOut)
    }))

  it.scoped("settles by the id asked for, even when the body names another", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(({ url }) =>
        json(wire(idOf(url) === "a" ? "someone-else" : idOf(url), "Completed"))
      )
      const summary = yield* OperationPoller.waitForOperations({
        assistantName: "docs",
        operationIds: ["a", "b"],
        strategy: "describe"
      }).pipe(Effect.provide(layer))
      assert.strictEqual(summary.completed.length, 2)
      assert.deepStrictEqual(summary.unseen, [])
      assert.deepStrictEqual(summary.processing, [])
      assert.isFalse(summary.timedOut)
    }))

  it.scoped("a listed entry already terminal (the server ignored status=Processing) settles", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(({ url }) =>
        isList(url)
          ? json({ operations: [wire("a", "Completed"), wire("b", "Failed"), wire("c", "Completed")] })
          : json(wire(idOf(url)))
      )
      const summary = yield* OperationPoller.waitForOperations({
        assistantName: "docs",
        operationIds: ["a", "b", "c"],
        strategy: "list"
      }).pipe(Effect.provide(layer))
      assert.strictEqual(summary.completed.length, 2)
      assert.strictEqual(summary.failed.length, 1)
      assert.strictEqual(requests.length, 1)
    }))

  it.scoped("a malformed describe is that operation's outcome, not the whole wait's", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(({ url }) =>
        idOf(url) === "bad" ? new Response("<html>", { status: 200 }) : json(wire(idOf(url), "Completed"))
      )
      const summary = yield* OperationPoller.waitForOperations({
        assistantName: "docs",
        operationIds: ["ok", "bad"],
        strategy: "describe"
      }).pipe(Effect.provide(layer))
      assert.strictEqual(summary.completed.length, 1)
      assert.deepStrictEqual(summary.malformed.map((m) => [m.operationId, m.error._tag]), [[
        "bad",
        "MalformedResponseError"
      ]])
    }))

  it.scoped("listing stops once its pages would outnumber the pending ids", () =>
    Effect.gen(function*() {
      // 20 pages of other operations, 3 pending ids that are Completed
      const { layer, requests } = clientLayer(({ url }) => {
        if (!isList(url)) return json(wire(idOf(url), "Completed"))
        const n = Number(url.searchParams.get("pagination_token") ?? "0")
        return json({
          operations: [wire(`other-${n}`)],
          ...(n < 19 ? { pagination: { next: String(n + 1) } } : {})
        })
      })
      const summary = yield* OperationPoller.waitForOperations({
        assistantName: "docs",
        operationIds: ["a", "b", "c"],
        strategy: "list"
      }).pipe(Effect.provide(layer))
      assert.strictEqual(summary.completed.length, 3)
      const pages = requests.filter((r) => isList(r.url)).length
      assert.isBelow(pages, 3)
      assert.strictEqual(requests.length - pages, 3)
    }))
})
