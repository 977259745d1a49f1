import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Supervisor from "effect/Supervisor"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import * as AssistantClientTest from "../src/AssistantClientTest.js"
import * as AssistantError from "../src/AssistantError.js"
import * as FileSource from "../src/FileSource.js"
import * as Operation from "../src/Operation.js"
import * as OperationPoller from "../src/OperationPoller.js"
import { dataHost, secretKey } from "./utils.js"

const snapshot = (status: string, percent?: number, extra: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(Operation.Operation)({
    id: "op-1",
    operation_type: "upload_file",
    status,
    created_on: "2026-04-01T00:00:00.000Z",
    ...(percent === undefined ? {} : { percent_complete: percent }),
    ...extra
  })

const apiError = <C extends AssistantError.ApiErrorCode>(
  code: C,
  status: number,
  retryAfter?: Duration.DurationInput
) =>
  new AssistantError.ApiErrorByCode[code]({
    status,
    message: code,
    details: Option.none(),
    requestId: Option.none(),
    retryAfter: retryAfter === undefined ? Option.none() : Option.some(Duration.decode(retryAfter))
  })

const target = { assistantName: "docs", operationId: "op-1" }

/** A test client that plays `steps` and records the clock time of each call. */
const scripted = (steps: ReadonlyArray<AssistantClientTest.ScriptStep>) => {
  const calls: Array<number> = []
  let i = 0
  const layer = AssistantClientTest.layerTest(() =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      calls.push(now)
      const step = steps[Math.min(i++, steps.length - 1)]!
      return step instanceof Operation.Operation ? Effect.succeed(step) : Effect.fail(step)
    })
  )
  return { calls, layer }
}

const runFor = <A, E>(
  effect: Effect.Effect<A, E, AssistantClient.AssistantClient>,
  layer: Layer.Layer<AssistantClient.AssistantClient>,
  time: Duration.DurationInput
) =>
  Effect.gen(function*() {
    const fiber = yield* effect.pipe(Effect.provide(layer), Effect.either, Effect.fork)
    yield* TestClock.adjust(time)
    return yield* Fiber.join(fiber)
  })

describe("OperationPoller.defaultSchedule", () => {
  it.effect("backs off from 500 ms by 1.5x, jittered down by at most 20%, never over 10 s", () =>
    Effect.gen(function*() {
      const inputs = Array.from({ length: 20 }, (_, i) => i)
      for (let run = 0; run < 20; run++) {
        const delays = Chunk.toReadonlyArray(
          yield* Schedule.run(Schedule.delays(OperationPoller.defaultSchedule), 0, inputs)
        )
          .map(Duration.toMillis)
        delays.forEach((d, i) => {
          const base = Math.min(500 * 1.5 ** i, 10_000)
          assert.isAtLeast(d, base * 0.8 - 1e-6, `delay ${i}`)
          assert.isAtMost(d, base + 1e-6, `delay ${i}`)
        })
      }
    }))
})

describe("OperationPoller.waitForOperation", () => {
  it.effect("onSnapshot sees every snapshot of waitForOperation, watchOperation and uploadFileAndWait", () =>
    Effect.gen(function*() {
      const steps = [snapshot("Processing", 10), snapshot("Processing", 10), snapshot("Completed", 100)]
      const seen: Array<string> = []
      const onSnapshot = (op: Operation.Operation) =>
        Effect.sync(() => void seen.push(`${op.status}:${Option.getOrElse(op.percentComplete, () => 0)}`))
      const wait = yield* runFor(
        OperationPoller.waitForOperation({ ...target, schedule: Schedule.spaced("1 second"), onSnapshot }),
        scripted(steps).layer,
        "10 seconds"
      )
      assert.strictEqual(Either.isRight(wait) && wait.right.status, "Completed")
      assert.deepStrictEqual(seen, ["Processing:10", "Processing:10", "Completed:100"])
      seen.length = 0
      // the stream emits changes only; onSnapshot still sees each snapshot
      const watched = yield* runFor(
        Stream.runCollect(
          OperationPoller.watchOperation({ ...target, schedule: Schedule.spaced("1 second"), onSnapshot })
        ),
        scripted(steps).layer,
        "10 seconds"
      )
      assert.strictEqual(Either.isRight(watched) && Chunk.size(watched.right), 2)
      assert.deepStrictEqual(seen, ["Processing:10", "Processing:10", "Completed:100"])
    }))

  it.effect("uploadFileAndWait takes lastPollTimeout: a describe hanging at the deadline ends it then", () =>
    Effect.gen(function*() {
      const layer = AssistantClientTest.layerTest(() => Effect.never, {
        files: { uploadFile: () => Effect.succeed(snapshot("Processing", 0, { file_id: "f-1" })) }
      })
      const fiber = yield* OperationPoller.uploadFileAndWait({
        assistantName: "docs",
        file: FileSource.fromBytes("a.md", new TextEncoder().encode("a")),
        timeout: "5 seconds",
        lastPollTimeout: "1 second"
      }).pipe(Effect.provide(layer), Effect.flip, Effect.fork)
      yield* TestClock.adjust("6 seconds")
      const error = fiber.unsafePoll()
      assert.isNotNull(error, "ended at timeout + lastPollTimeout, not after the default 30 s")
      const e = yield* Fiber.join(fiber)
      assert.strictEqual(e._tag, "WaitTimeoutError")
    }))

  it.effect("polls until Completed, first poll at once", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        snapshot("Processing", 0),
        snapshot("Processing", 40),
        snapshot("Processing", 80),
        snapshot("Completed", 100)
      ])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "1 minute")
      assert.strictEqual(result._tag, "Right")
      if (result._tag === "Right") assert.strictEqual(result.right.status, "Completed")
      assert.strictEqual(calls.length, 4)
      assert.strictEqual(calls[0], 0)
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!)
      gaps.forEach((gap, i) => {
        assert.isAtLeast(gap, 500 * 1.5 ** i * 0.8 - 1)
        assert.isAtMost(gap, 500 * 1.5 ** i + 1)
      })
    }))

  it.effect("Failed ends with OperationFailedError carrying the operation and its error_message", () =>
    Effect.gen(function*() {
      const failed = snapshot("Failed", 15, {
        error_message: "unsupported file format",
        completed_on: "2026-04-01T00:00:09.000Z"
      })
      const { layer } = scripted([snapshot("Processing", 5), failed])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "1 minute")
      assert.strictEqual(result._tag, "Left")
      if (result._tag !== "Left") return
      assert.strictEqual(result.left._tag, "OperationFailedError")
      if (result.left._tag !== "OperationFailedError") return
      assert.strictEqual(result.left.operation, failed)
      assert.include(result.left.message, "unsupported file format")
    }))

  it.effect("the budget ends it with WaitTimeoutError carrying the last snapshot; the last poll is at the deadline", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([snapshot("Processing", 10), snapshot("Processing", 11)])
      const result = yield* runFor(
        OperationPoller.waitForOperation({ ...target, timeout: "60 seconds", schedule: Schedule.spaced("45 seconds") }),
        layer,
        "5 minutes"
      )
      assert.deepStrictEqual(calls, [0, 45_000, 60_000])
      assert.strictEqual(result._tag, "Left")
      if (result._tag !== "Left" || result.left._tag !== "WaitTimeoutError") {
        return assert.fail("expected WaitTimeoutError")
      }
      assert.strictEqual(Duration.toMillis(result.left.elapsed), 60_000)
      assert.strictEqual(result.left.polls, 3)
      const waited = result.left.target
      assert.strictEqual(waited._tag, "Operation")
      if (waited._tag === "Operation") {
        assert.strictEqual(waited.operationId, "op-1")
        assert.deepStrictEqual(Option.map(waited.last, (op) => op.percentComplete), Option.some(Option.some(11)))
      }
      assert.include(result.left.message, "op-1")
    }))

  it.effect("the default budget is 30 minutes", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([snapshot("Processing", 10)])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "2 hours")
      assert.strictEqual(result._tag, "Left")
      if (result._tag === "Left" && result.left._tag === "WaitTimeoutError") {
        assert.strictEqual(Duration.toMillis(result.left.elapsed), 30 * 60_000)
      } else assert.fail("expected WaitTimeoutError")
      assert.strictEqual(calls[calls.length - 1], 30 * 60_000)
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!)
      assert.isAtMost(Math.max(...gaps), 10_000)
    }))

  it.effect("Duration.infinity never times out", () =>
    Effect.gen(function*() {
      const steps = [...Array.from({ length: 400 }, () => snapshot("Processing", 1)), snapshot("Completed", 100)]
      const { layer } = scripted(steps)
      const result = yield* runFor(
        OperationPoller.waitForOperation({ ...target, timeout: Duration.infinity }),
        layer,
        "2 hours"
      )
      assert.strictEqual(result._tag, "Right")
    }))

  it.effect("a schedule that ends ends the wait with WaitTimeoutError", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([snapshot("Processing", 10)])
      const result = yield* runFor(
        OperationPoller.waitForOperation({ ...target, schedule: Schedule.recurs(2) }),
        layer,
        "1 minute"
      )
      assert.strictEqual(calls.length, 3)
      assert.strictEqual(result._tag === "Left" && result.left._tag, "WaitTimeoutError")
    }))

  it.effect("Retry-After lengthens the next delay", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        snapshot("Processing", 10),
        apiError("TOO_MANY_REQUESTS", 429, "30 seconds"),
        snapshot("Completed", 100)
      ])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "5 minutes")
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(calls.length, 3)
      assert.isAtLeast(calls[2]! - calls[1]!, 30_000)
    }))

  it.effect("a 404 mid-wait ends it at once", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        snapshot("Processing", 10),
        apiError("NOT_FOUND", 404),
        snapshot("Completed", 100)
      ])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "5 minutes")
      assert.strictEqual(result._tag === "Left" && result.left._tag, "NotFoundError")
      assert.strictEqual(calls.length, 2)
    }))

  it.effect("401, 403 and a malformed answer end it at once too", () =>
    Effect.gen(function*() {
      for (
        const error of [
          apiError("UNAUTHENTICATED", 401),
          apiError("FORBIDDEN", 403),
          new AssistantError.MalformedResponseError({
            status: 200,
            reason: "Schema",
            summary: "x",
            requestId: Option.none()
          })
        ]
      ) {
        const { calls, layer } = scripted([error])
        const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "5 minutes")
        assert.strictEqual(result._tag === "Left" && result.left._tag, error._tag)
        assert.strictEqual(calls.length, 1)
      }
    }))

  it.effect("a 503 mid-wait is retried and the wait completes", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        snapshot("Processing", 10),
        apiError("UNAVAILABLE", 503),
        new AssistantError.TransportError({ reason: "Transport", description: "ECONNRESET" }),
        snapshot("Completed", 100)
      ])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "5 minutes")
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(calls.length, 4)
    }))

  it.effect("transient failures before any snapshot are spaced and do not end the wait", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        apiError("UNAVAILABLE", 503),
        apiError("UNAVAILABLE", 503),
        snapshot("Completed", 100)
      ])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "5 minutes")
      assert.strictEqual(result._tag, "Right")
      assert.deepStrictEqual(calls, [0, 1000, 2000])
    }))

  it.effect("an unknown status is not terminal", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([snapshot("Queued"), snapshot("Indexing", 50), snapshot("Completed", 100)])
      const result = yield* runFor(OperationPoller.waitForOperation(target), layer, "5 minutes")
      assert.strictEqual(result._tag, "Right")
      assert.strictEqual(calls.length, 3)
    }))

  it.effect("a caller's schedule receives each snapshot as input", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const { layer } = scripted([snapshot("Processing", 10), snapshot("Processing", 20), snapshot("Completed", 100)])
      const schedule = Schedule.spaced("1 second").pipe(
        Schedule.tapInput((op: Operation.Operation) => Effect.sync(() => seen.push(Operation.summary(op))))
      )
      const result = yield* runFor(OperationPoller.waitForOperation({ ...target, schedule }), layer, "1 minute")
      assert.strictEqual(result._tag, "Right")
      assert.deepStrictEqual(seen, ["op-1 upload_file Processing 10%", "op-1 upload_file Processing 20%"])
    }))

  it.effect("a poll still in flight at the deadline gets lastPollTimeout, then the wait ends", () =>
    Effect.gen(function*() {
      const layer = AssistantClientTest.layerTest(() => Effect.never)
      const result = yield* runFor(
        OperationPoller.waitForOperation({ ...target, timeout: "10 seconds", lastPollTimeout: "5 seconds" }),
        layer,
        "1 minute"
      )
      if (result._tag === "Left" && result.left._tag === "WaitTimeoutError") {
        assert.strictEqual(Duration.toMillis(result.left.elapsed), 15_000)
        assert.isTrue(result.left.target._tag === "Operation" && Option.isNone(result.left.target.last))
      } else assert.fail("expected WaitTimeoutError")
    }))
})

describe("OperationPoller.watchOperation", () => {
  it.effect("emits the first snapshot, then each change of status or percent, ending on the terminal one", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        snapshot("Processing", 0),
        snapshot("Processing", 0),
        snapshot("Processing", 50),
        snapshot("Processing", 50),
        snapshot("Processing", 100),
        snapshot("Completed", 100),
        snapshot("Completed", 100)
      ])
      const fiber = yield* OperationPoller.watchOperation(target).pipe(
        Stream.runCollect,
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("5 minutes")
      const emitted = Chunk.toReadonlyArray(yield* Fiber.join(fiber)).map(Operation.summary)
      assert.deepStrictEqual(emitted, [
        "op-1 upload_file Processing 0%",
        "op-1 upload_file Processing 50%",
        "op-1 upload_file Processing 100%",
        "op-1 upload_file Completed 100%"
      ])
      assert.strictEqual(calls.length, 6)
    }))

  it.effect("a Failed operation is emitted and ends the stream without an error", () =>
    Effect.gen(function*() {
      const { layer } = scripted([snapshot("Processing", 0), snapshot("Failed", 40, { error_message: "bad" })])
      const fiber = yield* OperationPoller.watchOperation(target).pipe(
        Stream.runCollect,
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("1 minute")
      const emitted = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      assert.deepStrictEqual(emitted.map((op) => op.status), ["Processing", "Failed"])
    }))

  it.effect("fails with a non-transient error or the timeout", () =>
    Effect.gen(function*() {
      const notFound = scripted([snapshot("Processing", 0), apiError("NOT_FOUND", 404)])
      const a = yield* runFor(
        OperationPoller.watchOperation(target).pipe(Stream.runCollect),
        notFound.layer,
        "1 minute"
      )
      assert.strictEqual(a._tag === "Left" && a.left._tag, "NotFoundError")
      const forever = scripted([snapshot("Processing", 0)])
      const b = yield* runFor(
        OperationPoller.watchOperation({ ...target, timeout: "30 seconds" }).pipe(Stream.runCollect),
        forever.layer,
        "1 minute"
      )
      assert.strictEqual(b._tag === "Left" && b.left._tag, "WaitTimeoutError")
    }))

  it.effect("taking only the first snapshot stops the polling", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([
        snapshot("Processing", 0),
        snapshot("Processing", 10),
        snapshot("Processing", 20)
      ])
      const fiber = yield* OperationPoller.watchOperation(target).pipe(
        Stream.take(1),
        Stream.runCollect,
        Effect.provide(layer),
        Effect.fork
      )
      yield* TestClock.adjust("1 second")
      assert.strictEqual(Chunk.size(yield* Fiber.join(fiber)), 1)
      const before = calls.length
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(calls.length, before)
    }))
})

/** A client over a stub HttpClient whose requests never answer: records each request's abort signal. */
const hangingHttp = () => {
  const signals: Array<AbortSignal> = []
  const client = HttpClient.make((_request, _url, signal) => {
    signals.push(signal)
    return Effect.never
  })
  const layer = AssistantClient.layer({
    apiKey: Redacted.make(secretKey),
    host: dataHost,
    retry: false
  }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
    Layer.orDie
  )
  return { signals, layer }
}

describe("interruption", () => {
  it.effect("interrupting a wait aborts the request in flight, sends nothing after, and leaves no fiber running", () =>
    Effect.gen(function*() {
      const { layer, signals } = hangingHttp()
      const supervisor = yield* Supervisor.track
      const fiber = yield* OperationPoller.waitForOperation(target).pipe(
        Effect.provide(layer),
        Effect.supervised(supervisor),
        Effect.fork
      )
      yield* TestClock.adjust("1 second")
      assert.strictEqual(signals.length, 1)
      assert.isFalse(signals[0]!.aborted)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(signals[0]!.aborted)
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(signals.length, 1)
      const children = yield* supervisor.value
      for (const child of children) assert.isNotNull(child.unsafePoll())
    }))

  it.effect("interrupting a wait during its sleep cancels it and sends nothing more", () =>
    Effect.gen(function*() {
      const { calls, layer } = scripted([snapshot("Processing", 0)])
      const supervisor = yield* Supervisor.track
      const fiber = yield* OperationPoller.waitForOperation(target).pipe(
        Effect.provide(layer),
        Effect.supervised(supervisor),
        Effect.fork
      )
      yield* TestClock.adjust("2 seconds")
      const before = calls.length
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(calls.length, before)
      for (const child of yield* supervisor.value) assert.isNotNull(child.unsafePoll())
    }))

  it.effect("stopping a watch aborts the request in flight and leaves no fiber running", () =>
    Effect.gen(function*() {
      const { layer, signals } = hangingHttp()
      const supervisor = yield* Supervisor.track
      const fiber = yield* OperationPoller.watchOperation(target).pipe(
        Stream.runDrain,
        Effect.provide(layer),
        Effect.supervised(supervisor),
        Effect.fork
      )
      yield* TestClock.adjust("1 second")
      assert.strictEqual(signals.length, 1)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(signals[0]!.aborted)
      for (const child of yield* supervisor.value) assert.isNotNull(child.unsafePoll())
    }))
})

describe("the shared request budget", () => {
  it.effect("200 concurrent waits stay within maxRequestsPerSecond", () =>
    Effect.gen(function*() {
      const limit = 20
      const times: Array<number> = []
      const client = HttpClient.make((request) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          times.push(now)
          const id = decodeURIComponent(request.url.split("/").pop()!)
          const done = now >= 20_000
          const body = JSON.stringify({
            id,
            operation_type: "upload_file",
            status: done ? "Completed" : "Processing",
            created_on: "2026-04-01T00:00:00.000Z",
            percent_complete: done ? 100 : Math.floor(now / 200)
          })
          return HttpClientResponse.fromWeb(request, new Response(body, { status: 200 }))
        })
      )
      const layer = AssistantClient.layer({
        apiKey: Redacted.make(secretKey),
        host: dataHost,
        maxRequestsPerSecond: limit
      }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
        Layer.orDie
      )
      const fiber = yield* Effect.forEach(
        Array.from({ length: 200 }, (_, i) => `op-${i}`),
        (operationId) => OperationPoller.waitForOperation({ assistantName: "docs", operationId }),
        { concurrency: "unbounded", discard: true }
      ).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("10 minutes")
      yield* Fiber.join(fiber)
      assert.isAtLeast(times.length, 400)
      // token bucket: by time t, at most limit * (1 + t / 1 s) requests have gone out
      times.forEach((t, i) => assert.isAtMost(i + 1, limit * (1 + t / 1000) + 1e-9, `request ${i} at ${t} ms`))
      // and over any whole second, no more than twice the limit (a full bucket plus its refill)
      for (let start = 0; start < times[times.length - 1]!; start += 250) {
        const n = times.filter((t) => t >= start && t < start + 1000).length
        assert.isAtMost(n, 2 * limit)
      }
    }), 60_000)
})
