// The coordination of waits as a service of the client: its worker at every interruption point, under
// random interleavings, budgets and deadlines of the waits it serves, and what it costs beside waiting
// alone (in memory, on the TestClock).
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Fiber from "effect/Fiber"
import * as FiberRefs from "effect/FiberRefs"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import type * as AssistantError from "../src/AssistantError.js"
import * as Emulator from "../src/Emulator.js"
import * as Coordinator from "../src/internal/poller/coordinator.js"
import { currentBudget } from "../src/internal/throttle/budget.js"
import * as OperationPoller from "../src/OperationPoller.js"
import * as RateBudget from "../src/RateBudget.js"
import { json, type Recorded, stubHttp } from "./utils.js"

const on = (client: AssistantClient.Service) => Effect.provideService(AssistantClient.AssistantClient, client)

/**
 * A data plane whose operations never end: each answer (describe or the Processing listing) stamps
 * the operation with the Clock's time when the request arrived (in `ingestion_units`), then takes
 * `latency` to come back. `respond` may answer instead.
 */
const stamping = (options: {
  readonly ids: ReadonlyArray<string>
  readonly latency?: Duration.DurationInput
  readonly respond?: (recorded: Recorded, now: number) => Response | undefined
}) => {
  const op = (id: string, now: number) => ({
    id,
    status: "Processing",
    operation_type: "upload_file",
    created_on: "2026-01-01T00:00:00Z",
    ingestion_units: now
  })
  const stub = stubHttp((recorded) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const custom = options.respond?.(recorded, now)
      const path = recorded.url.pathname.split("/")
      // /assistant/operations/docs (the listing) or /assistant/operations/docs/{id}
      const answer = custom ?? (path.length === 4
        ? json({ operations: options.ids.map((id) => op(id, now)), pagination: null })
        : json(op(decodeURIComponent(path[4]!), now)))
      return Effect.as(Effect.sleep(options.latency ?? "200 millis"), answer)
    })
  )
  return stub
}

const clientOn = (layer: Layer.Layer<HttpClient.HttpClient>, options: Partial<AssistantClient.Options> = {}) =>
  AssistantClient.make({ apiKey: Redacted.make("k"), host: "https://data.example", retry: false, ...options }).pipe(
    Effect.provide(layer)
  )

const stampOf = (result: Either.Either<{ readonly ingestionUnits: Option.Option<number> }, unknown> | undefined) =>
  result !== undefined && Either.isRight(result) ? Option.getOrElse(result.right.ingestionUnits, () => -1) : -1

describe("the coordination of waits", () => {
  it.scoped.prop(
    "no ask is answered with a snapshot older than it, and every ask not interrupted is answered",
    [
      fc.array(
        fc.record({
          at: fc.integer({ min: 0, max: 3000 }),
          ids: fc.subarray(["a", "b", "c", "d", "e", "f"], { minLength: 1 }),
          interruptAfter: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined })
        }),
        { minLength: 1, maxLength: 12 }
      ),
      fc.integer({ min: 1, max: 400 })
    ],
    ([asks, latency]) =>
      Effect.gen(function*() {
        const stub = stamping({ ids: ["a", "b", "c", "d", "e", "f"], latency: Duration.millis(latency) })
        const client = yield* clientOn(stub.layer)
        const coordination = Coordinator.coordinationOf(client)!
        const fibers = yield* Effect.forEach(asks, (a) =>
          Effect.fork(Effect.scoped(Effect.gen(function*() {
            // each ask is a wait of its own, joined for its life
            const handle = yield* coordination.join(Coordinator.operations, "docs")
            yield* Effect.sleep(Duration.millis(a.at))
            const askedAt = yield* Clock.currentTimeMillis
            const snapshot = handle.snapshots(a.ids, Infinity)
            const results = a.interruptAfter === undefined
              ? yield* Effect.map(snapshot, Option.some)
              : yield* Effect.timeoutOption(snapshot, Duration.millis(a.interruptAfter))
            return { askedAt, results }
          }))))
        for (let t = 0; t < 60; t++) yield* TestClock.adjust("100 millis")
        for (const [i, fiber] of fibers.entries()) {
          const exit = fiber.unsafePoll()
          assert.isNotNull(exit, `ask ${i} did not end`)
          const { askedAt, results } = yield* Fiber.join(fiber)
          if (Option.isNone(results)) {
            assert.isDefined(asks[i]!.interruptAfter, `ask ${i} was not answered`)
            continue
          }
          for (const id of asks[i]!.ids) {
            const stamp = stampOf(results.value.get(id) as any)
            assert.isAtLeast(stamp, askedAt, `ask ${i} for ${id} at ${askedAt} got a snapshot of ${stamp}`)
          }
        }
      }),
    { timeout: 60_000, fastCheck: { numRuns: 20 } }
  )

  it.scoped("a wait interrupted at any point of a round leaves the others and the next waits served", () =>
    Effect.gen(function*() {
      // points: queued before the worker takes it, waiting for a crowd's turn, its request in flight,
      // and at once after its answer
      for (const point of [0, 50, 150, 260, 400]) {
        const stub = stamping({ ids: ["a", "b", "c", "d"], latency: "200 millis" })
        const client = yield* clientOn(stub.layer)
        const wait = (operationId: string) =>
          on(client)(OperationPoller.waitForOperation({
            assistantName: "docs",
            operationId,
            schedule: Schedule.spaced("1 second"),
            timeout: "3 seconds"
          })).pipe(Effect.flip)
        const victim = yield* Effect.fork(wait("a"))
        const others = yield* Effect.forEach(["b", "c", "d"], (id) => Effect.fork(wait(id)))
        yield* TestClock.adjust(Duration.millis(point))
        yield* Fiber.interrupt(victim)
        const later = yield* Effect.fork(wait("a"))
        for (let t = 0; t < 100; t++) yield* TestClock.adjust("100 millis")
        for (const fiber of [...others, later]) {
          const error = yield* Fiber.join(fiber)
          assert.strictEqual(error._tag, "WaitTimeoutError", `interrupted at ${point} ms`)
          // each was polled until its deadline: it was answered all along
          assert.isAtLeast((error as AssistantError.WaitTimeoutError).polls, 2, `interrupted at ${point} ms`)
        }
      }
    }))

  it.scoped("a round whose waits are all gone is interrupted: its request is aborted", () =>
    Effect.gen(function*() {
      const stub = stamping({ ids: ["a"], latency: "10 seconds" })
      const client = yield* clientOn(stub.layer)
      const wait = yield* Effect.fork(
        on(client)(OperationPoller.waitForOperation({
          assistantName: "docs",
          operationId: "a"
        }))
      )
      yield* TestClock.adjust("1 second")
      assert.strictEqual(stub.requests.length, 1)
      assert.isFalse(stub.requests[0]!.signal.aborted)
      yield* Fiber.interrupt(wait)
      yield* TestClock.adjust("1 millis")
      assert.isTrue(stub.requests[0]!.signal.aborted, "the describe in flight was aborted")
    }))

  it.scoped("waits under different budgets never share a round; each round is charged to its waits' budget", () =>
    Effect.gen(function*() {
      // the listing answers none of them: each round lists once, gives the listing up, and describes
      const stub = stamping({ ids: [] })
      const client = yield* clientOn(stub.layer)
      const a = RateBudget.make({})
      const b = RateBudget.make({})
      const wait = (operationId: string) =>
        on(client)(OperationPoller.waitForOperation({
          assistantName: "docs",
          operationId,
          schedule: Schedule.spaced("1 second"),
          timeout: "5 seconds"
        })).pipe(Effect.flip)
      const all = Effect.all([
        Effect.forEach(["a1", "a2", "a3"], wait, { concurrency: "unbounded" }).pipe(RateBudget.withBudget(a)),
        Effect.forEach(["b1", "b2", "b3"], wait, { concurrency: "unbounded" }).pipe(RateBudget.withBudget(b)),
        Effect.forEach(["n1", "n2", "n3"], wait, { concurrency: "unbounded" })
      ], { concurrency: "unbounded" })
      const fiber = yield* Effect.fork(all)
      for (let t = 0; t < 100; t++) yield* TestClock.adjust("100 millis")
      yield* Fiber.join(fiber)
      const budgetOf = (r: Recorded) => Option.getOrUndefined(FiberRefs.getOrDefault(r.fiberRefs, currentBudget))
      const describes = stub.requests.filter((r) => r.url.pathname.split("/").length === 5)
      assert.isAbove(describes.length, 9)
      for (const r of describes) {
        const id = r.url.pathname.split("/")[4]!
        const expected = id.startsWith("a") ? a : id.startsWith("b") ? b : undefined
        assert.strictEqual(budgetOf(r), expected, `${id} was described under another budget`)
      }
      const listings = stub.requests.filter((r) => r.url.pathname.split("/").length === 4)
      assert.strictEqual(listings.length, 3, "each crowd listed once, in a round of its own")
      assert.deepStrictEqual([a, b, undefined].map((x) => listings.filter((r) => budgetOf(r) === x).length), [1, 1, 1])
      const stats = [yield* a.stats, yield* b.stats]
      assert.strictEqual(stats[0]!.reads.sent, stub.requests.filter((r) => budgetOf(r) === a).length)
      assert.strictEqual(stats[1]!.reads.sent, stub.requests.filter((r) => budgetOf(r) === b).length)
      assert.isAbove(stats[0]!.reads.sent, 0)
    }))

  it.scoped("a shared round never waits out a Retry-After past the nearest deadline of the waits it serves", () =>
    Effect.gen(function*() {
      // every request in the first 20 s is answered 429 with Retry-After: 20
      const stub = stamping({
        ids: ["long", "short", "late"],
        latency: "100 millis",
        respond: (_, now) => now < 20_000 ? tooMany() : undefined
      })
      const client = yield* clientOn(stub.layer, { retry: AssistantClient.defaultRetrySchedule })
      const wait = (operationId: string, timeout: Duration.DurationInput) =>
        Effect.zip(
          on(client)(OperationPoller.waitForOperation({ assistantName: "docs", operationId, timeout })).pipe(
            Effect.flip
          ),
          Clock.currentTimeMillis
        )
      const long = yield* Effect.fork(wait("long", "60 seconds"))
      const short = yield* Effect.fork(wait("short", "2 seconds"))
      for (let t = 0; t < 50; t++) yield* TestClock.adjust("100 millis")
      // a wait that asks while rounds are held back past its deadline is told so at once
      const late = yield* Effect.fork(wait("late", "3 seconds"))
      for (let t = 0; t < 20; t++) yield* TestClock.adjust("100 millis")
      const [shortError, shortAt] = yield* Fiber.join(short)
      assert.strictEqual(shortError._tag, "WaitTimeoutError")
      assert.isAtMost(shortAt, 2_000, "the 2 s wait ended within its deadline, as alone")
      const [lateError, lateAt] = yield* Fiber.join(late)
      assert.strictEqual(lateError._tag, "WaitTimeoutError")
      assert.isAtMost(lateAt, 5_000 + 100, "the late wait ended as it asked")
      yield* Fiber.interrupt(long)
    }))
})

const tooMany = () =>
  new Response(JSON.stringify({ error: { code: "TOO_MANY_REQUESTS", message: "Slow down." } }), {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": "20" }
  })

// The emulator with `old` operations processing for hours, and a client on it counting its requests.
const crowded = (old: number) =>
  Effect.gen(function*() {
    let requests = 0
    const emulator = yield* Emulator.make({ onResponse: () => void requests++ })
    yield* emulator.setFaults(new Emulator.Faults({ latencyMs: 100 }))
    for (let i = 0; i < old; i++) {
      yield* Effect.orDie(emulator.create(
        new Emulator.CreateOperation({
          assistantName: "docs",
          id: `old-${i}`,
          durationMs: 86_400_000,
          outcome: "Completed"
        })
      ))
    }
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
      .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))))
    const create = (id: string, durationMs: number) =>
      Effect.orDie(
        emulator.create(new Emulator.CreateOperation({ assistantName: "docs", id, durationMs, outcome: "Completed" }))
      )
    requests = 0
    return { client, create, requests: () => requests }
  })

const waitsCost = (
  old: number,
  waits: ReadonlyArray<{ readonly startMs: number; readonly durationMs: number; readonly timeoutMs: number }>,
  coordinate: boolean
) =>
  Effect.gen(function*() {
    const { client, create, requests } = yield* crowded(old)
    for (const [i, w] of waits.entries()) yield* create(`new-${i}`, w.startMs + w.durationMs)
    const fiber = yield* Effect.fork(Effect.forEach(waits, (w, i) =>
      Effect.delay(
        Effect.zip(
          on(client)(OperationPoller.waitForOperation({
            assistantName: "docs",
            operationId: `new-${i}`,
            schedule: Schedule.spaced("1 second"),
            timeout: Duration.millis(w.timeoutMs),
            coordinate
          })).pipe(Effect.exit),
          Clock.currentTimeMillis
        ),
        Duration.millis(w.startMs)
      ), { concurrency: "unbounded" }))
    const end = Math.max(...waits.map((w) => w.startMs + w.timeoutMs)) + 5_000
    for (let t = 0; t < end; t += 250) yield* TestClock.adjust("250 millis")
    const ended = yield* Fiber.join(fiber)
    assert.isTrue(ended.every(([e]) => Exit.isSuccess(e) || Exit.isFailure(e)))
    // the worker's lives: the spans of time some wait was joined
    const spans = waits.map((w, i) => [w.startMs, ended[i]![1]] as const).sort((a, b) => a[0] - b[0])
    let lives = 0
    let until = -Infinity
    for (const [from, to] of spans) {
      if (from > until) lives++
      until = Math.max(until, to)
    }
    return { requests: requests(), lives }
  })

describe("what coordination costs beside waiting alone", () => {
  it.scoped(
    // the case is 1,000 older operations and waits of 60 s (a row of `pnpm bench`): smaller here
    "5 waits of 30 s beside 500 older operations processing: at most 1 request and 5 % more than alone",
    () =>
      Effect.gen(function*() {
        const waits = Array.from(
          { length: 5 },
          (_, i) => ({ startMs: 2_000 * i, durationMs: 120_000, timeoutMs: 30_000 })
        )
        // all at once: each round has all five asks, and a listing of the old operations never finds them
        const together = waits.map((w) => ({ ...w, startMs: 0 }))
        for (const crowd of [waits, together]) {
          const shared = yield* waitsCost(500, crowd, true)
          const alone = yield* waitsCost(500, crowd, false)
          assert.isAtMost(
            shared.requests,
            alone.requests + 1,
            `coordinated ${shared.requests}, alone ${alone.requests}`
          )
        }
      }),
    120_000
  )

  it.scoped.prop(
    "over random mixes of old and new operations, coordination costs at most 5 % and a request a worker's life more than alone",
    [
      fc.integer({ min: 0, max: 250 }),
      fc.array(
        fc.record({
          startMs: fc.integer({ min: 0, max: 5_000 }),
          durationMs: fc.integer({ min: 0, max: 20_000 }),
          timeoutMs: fc.integer({ min: 5_000, max: 12_000 })
        }),
        { minLength: 1, maxLength: 8 }
      )
    ],
    ([old, waits]) =>
      Effect.gen(function*() {
        const shared = yield* waitsCost(old, waits, true)
        const alone = yield* waitsCost(old, waits, false)
        assert.isAtMost(
          shared.requests,
          alone.requests + shared.lives + Math.floor(alone.requests / Coordinator.describesPerPageOfBet),
          `${old} old, ${JSON.stringify(waits)}: coordinated ${shared.requests}, alone ${alone.requests}`
        )
      }),
    { timeout: 120_000, fastCheck: { numRuns: 10 } }
  )
})
