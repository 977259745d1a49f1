// Independent waits on one client and assistant share their polls (in memory, on the TestClock).
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import * as Emulator from "../src/Emulator.js"
import * as FileSource from "../src/FileSource.js"
import * as OperationPoller from "../src/OperationPoller.js"
import { drive } from "./utils.js"

// every answer takes 200 ms of the emulator's clock, as a round trip does
const setup = Effect.gen(function*() {
  const requests: Array<{ method: string; path: string }> = []
  const emulator = yield* Emulator.make({
    onResponse: (e) => requests.push({ method: e.method, path: e.path })
  })
  yield* emulator.setFaults(new Emulator.Faults({ latencyMs: 200 }))
  const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
    .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))))
  const create = (assistantName: string, id: string, durationMs: number) =>
    Effect.orDie(emulator.create(new Emulator.CreateOperation({ assistantName, id, durationMs, outcome: "Completed" })))
  return { client, create, requests }
})

const on = (client: AssistantClient.Service) => Effect.provideService(AssistantClient.AssistantClient, client)
const lists = (requests: ReadonlyArray<{ method: string; path: string }>, assistant: string) =>
  requests.filter((r) => r.path === `/assistant/operations/${assistant}`).length
const describes = (requests: ReadonlyArray<{ method: string; path: string }>, assistant: string) =>
  requests.filter((r) => r.path.startsWith(`/assistant/operations/${assistant}/`)).length

const waitAll = (client: AssistantClient.Service, assistant: string, ids: ReadonlyArray<string>, coordinate: boolean) =>
  Effect.gen(function*() {
    const fibers = yield* Effect.forEach(ids, (operationId) =>
      Effect.fork(
        on(client)(OperationPoller.waitForOperation({
          assistantName: assistant,
          operationId,
          schedule: Schedule.spaced("1 second"),
          coordinate
        }))
      ))
    for (let i = 0; i < 200; i++) yield* TestClock.adjust("100 millis")
    return yield* Fiber.joinAll(fibers)
  })

describe("waits that share their polls", () => {
  it.scoped(
    "200 independent waits on one assistant cost shared rounds, not 200 describes a poll",
    () =>
      Effect.gen(function*() {
        const { client, create, requests } = yield* setup
        const ids = Array.from({ length: 200 }, (_, i) => `op-${i}`)
        for (const id of ids) yield* create("docs", id, 4500)
        const done = yield* waitAll(client, "docs", ids, true)
        assert.strictEqual(done.length, 200)
        assert.isTrue(done.every((op) => op.status === "Completed"))
        // each operation is described once, when it left the Processing list; the rest were listings
        // each operation is described about once, when it left the Processing list; the rest were
        // listings: at most 1.15 requests an operation (uncoordinated, below: more than 5)
        const shared = describes(requests, "docs") + lists(requests, "docs")
        assert.isAtMost(shared, 230, `${describes(requests, "docs")} describes, ${lists(requests, "docs")} listings`)
        assert.isAtLeast(lists(requests, "docs"), 5)

        const alone = yield* setup
        for (const id of ids) yield* alone.create("docs", id, 4500)
        yield* waitAll(alone.client, "docs", ids, false)
        assert.isAtLeast(describes(alone.requests, "docs"), 200 * 5, "uncoordinated: a describe per wait per poll")
        assert.strictEqual(lists(alone.requests, "docs"), 0)
      }),
    120_000
  )

  it.scoped("two assistants never share a round; an interrupted wait leaves the others unchanged", () =>
    Effect.gen(function*() {
      const { client, create, requests } = yield* setup
      for (const id of ["a1", "a2", "a3"]) yield* create("alpha", id, 2500)
      for (const id of ["b1", "b2", "b3"]) yield* create("beta", id, 2500)
      const start = (assistant: string, operationId: string) =>
        Effect.fork(
          on(client)(OperationPoller.waitForOperation({
            assistantName: assistant,
            operationId,
            schedule: Schedule.spaced("1 second")
          }))
        )
      const fibers = yield* Effect.all([
        start("alpha", "a1"),
        start("alpha", "a2"),
        start("alpha", "a3"),
        start("beta", "b1"),
        start("beta", "b2"),
        start("beta", "b3")
      ])
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fibers[0]!)
      for (let i = 0; i < 100; i++) yield* TestClock.adjust("100 millis")
      const rest = yield* Fiber.joinAll(fibers.slice(1))
      assert.isTrue(rest.every((op) => op.status === "Completed"))
      assert.deepStrictEqual(rest.map((op) => op.id), ["a2", "a3", "b1", "b2", "b3"])
      assert.isAbove(lists(requests, "alpha"), 0)
      assert.isAbove(lists(requests, "beta"), 0)
      // each assistant's rounds are its own: beta's three waits cost beta's listings and describes only
      assert.isAtMost(describes(requests, "beta"), 6)
      assert.isAtMost(describes(requests, "alpha"), 6)
    }))

  it.scoped("a wait polled every second and one polled every minute each keep their own pace", () =>
    Effect.gen(function*() {
      const { client, create } = yield* setup
      yield* create("docs", "fast", 30_000)
      yield* create("docs", "slow", 30_000)
      const timed = (operationId: string, every: "1 second" | "60 seconds") =>
        Effect.fork(
          on(client)(Effect.zipRight(
            OperationPoller.waitForOperation({ assistantName: "docs", operationId, schedule: Schedule.spaced(every) }),
            Clock.currentTimeMillis
          ))
        )
      const fast = yield* timed("fast", "1 second")
      const slow = yield* timed("slow", "60 seconds")
      for (let i = 0; i < 130; i++) yield* TestClock.adjust("500 millis")
      const fastAt = yield* Fiber.join(fast)
      const slowAt = yield* Fiber.join(slow)
      assert.isAtLeast(fastAt, 30_000)
      assert.isAtMost(fastAt, 31_500)
      // the slow one was not woken by the fast one's rounds: it saw Completed at its own next poll
      assert.isAtLeast(slowAt, 60_000)
      assert.isAtMost(slowAt, 61_000)
    }))
})

// answers 429 (Retry-After: 5) to every request while the clock is within [from, until)
const stormy = (from: number, until: number) =>
  Effect.gen(function*() {
    const t0 = yield* Clock.currentTimeMillis
    const requests: Array<{ at: number; path: string; status: number }> = []
    const emulator = yield* Emulator.make()
    const base = Emulator.makeHttpClient(emulator)
    const transport = HttpClient.make((request) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const at = now - t0
        const path = new URL(request.url).pathname
        if (at >= from && at < until) {
          requests.push({ at, path, status: 429 })
          return Effect.succeed(HttpClientResponse.fromWeb(
            request,
            new Response(JSON.stringify({ error: { code: "TOO_MANY_REQUESTS", message: "Slow down." } }), {
              status: 429,
              headers: { "content-type": "application/json", "retry-after": "5" }
            })
          ))
        }
        requests.push({ at, path, status: 200 })
        return base.execute(request)
      })
    )
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
      .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, transport)))
    const create = (id: string, durationMs: number) =>
      Effect.orDie(
        emulator.create(new Emulator.CreateOperation({ assistantName: "docs", id, durationMs, outcome: "Completed" }))
      )
    return { client, create, requests }
  })

describe("shared rounds under pressure, of files, and with waitForOperations", () => {
  it.scoped("a 429 storm slows the shared rounds for everyone once, not once per wait", () =>
    Effect.gen(function*() {
      const run = (coordinate: boolean) =>
        Effect.gen(function*() {
          const { client, create, requests } = yield* stormy(1_500, 4_000)
          const ids = Array.from({ length: 50 }, (_, i) => `op-${i}`)
          for (const id of ids) yield* create(id, 8_000)
          const done = yield* drive(
            Effect.forEach(ids, (operationId) =>
              on(client)(OperationPoller.waitForOperation({
                assistantName: "docs",
                operationId,
                schedule: Schedule.spaced("1 second"),
                coordinate
              })), { concurrency: "unbounded" }),
            "100 millis"
          )
          assert.isTrue(done.every((op) => op.status === "Completed"))
          return requests
        })
      const shared = yield* run(true)
      const tooMany = shared.filter((r) => r.status === 429)
      // the round in flight when the storm began met it; every wait then held back until its Retry-After
      assert.isAtLeast(tooMany.length, 1)
      assert.isAtMost(tooMany.length, 2, tooMany.map((r) => `${r.at} ${r.path}`).join(", "))
      const firstAfter = shared.find((r) => r.at > tooMany[0]!.at && r.status === 200)!
      assert.isAtLeast(firstAfter.at - tooMany[0]!.at, 5_000, "nothing was sent before the Retry-After passed")
      const alone = yield* run(false)
      assert.isAtLeast(alone.filter((r) => r.status === 429).length, 50, "uncoordinated: each wait meets the storm")
    }))

  it.scoped("30 waitForFile calls share list-files rounds; uncoordinated they describe each file each poll", () =>
    Effect.gen(function*() {
      const run = (coordinate: boolean) =>
        Effect.gen(function*() {
          const requests: Array<{ method: string; path: string }> = []
          const emulator = yield* Emulator.make({
            onResponse: (e) => requests.push({ method: e.method, path: e.path })
          })
          yield* emulator.createAssistant("docs")
          const client = yield* AssistantClient.make({
            apiKey: Redacted.make(emulator.apiKey),
            host: "http://127.0.0.1"
          }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))))
          const ids = Array.from({ length: 30 }, (_, i) => `file-${i}`)
          for (const [i, fileId] of ids.entries()) {
            yield* emulator.setProcessing(
              new Emulator.ProcessingScript({
                durationMs: 2_000 + 100 * i,
                outcome: i === 7 ? "Failed" : "Completed",
                errorMessage: "Scanned page unreadable"
              }),
              `${fileId}.md`
            )
            yield* on(client)(AssistantClient.upsertFile({
              assistantName: "docs",
              fileId,
              file: FileSource.fromBytes(`${fileId}.md`, new TextEncoder().encode(fileId))
            }))
          }
          requests.length = 0
          const outcomes = yield* drive(
            Effect.forEach(ids, (fileId) =>
              on(client)(
                Effect.either(OperationPoller.waitForFile({
                  assistantName: "docs",
                  fileId,
                  schedule: Schedule.spaced("1 second"),
                  coordinate
                }))
              ), { concurrency: "unbounded" }),
            "100 millis"
          )
          return { outcomes, requests }
        })
      const shared = yield* run(true)
      assert.strictEqual(shared.outcomes.filter(Either.isRight).length, 29)
      const failed = shared.outcomes.find(Either.isLeft)!
      assert.strictEqual(failed.left._tag, "FileProcessingFailedError")
      const listings = shared.requests.filter((r) => r.path === "/assistant/files/docs").length
      const describedFiles = shared.requests.filter((r) => r.path.startsWith("/assistant/files/docs/")).length
      assert.isAtLeast(listings, 3)
      // a listing answered the crowd; the last few files, fewer than a crowd, were described
      assert.isAtMost(listings + describedFiles, 30, `${listings} listings, ${describedFiles} describes`)
      const alone = yield* run(false)
      assert.strictEqual(alone.outcomes.filter(Either.isRight).length, 29)
      const aloneDescribes = alone.requests.filter((r) => r.path.startsWith("/assistant/files/docs/")).length
      assert.strictEqual(alone.requests.filter((r) => r.path === "/assistant/files/docs").length, 0)
      assert.isAtLeast(aloneDescribes, 30 * 3, "uncoordinated: a describe per file per poll")
    }))

  it.scoped("waitForOperations and independent waits on one assistant share their rounds", () =>
    Effect.gen(function*() {
      const run = (many: boolean, single: boolean) =>
        Effect.gen(function*() {
          const { client, create, requests } = yield* setup
          const batch = Array.from({ length: 20 }, (_, i) => `batch-${i}`)
          const own = Array.from({ length: 20 }, (_, i) => `own-${i}`)
          for (const id of [...batch, ...own]) yield* create("docs", id, 6_000)
          const spaced = Schedule.spaced("1 second")
          yield* drive(
            Effect.all([
              // it asks 10 ms after the others, within the window of their round
              many
                ? Effect.zipRight(
                  Effect.sleep("10 millis"),
                  on(client)(OperationPoller.waitForOperations({
                    assistantName: "docs",
                    operationIds: batch,
                    schedule: spaced
                  }))
                )
                : Effect.void,
              single
                ? Effect.forEach(own, (operationId) =>
                  on(client)(
                    OperationPoller.waitForOperation({ assistantName: "docs", operationId, schedule: spaced })
                  ), {
                  concurrency: "unbounded"
                })
                : Effect.void
            ], { concurrency: "unbounded" }),
            "100 millis"
          )
          return lists(requests, "docs")
        })
      const together = yield* run(true, true)
      const apart = (yield* run(true, false)) + (yield* run(false, true))
      // one listing serves both kinds of wait
      assert.isAtMost(together, Math.ceil(apart * 0.7), `${together} listings together, ${apart} apart`)
    }))
})
