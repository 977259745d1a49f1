import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import * as AssistantClientTest from "../src/AssistantClientTest.js"
import * as AssistantError from "../src/AssistantError.js"
import * as Operation from "../src/Operation.js"
import * as OperationPoller from "../src/OperationPoller.js"
import { clientLayer, errorBody, json } from "./utils.js"

const wire = (id: string, status = "Processing") => ({
  id,
  operation_type: "upload_file",
  status,
  created_on: "2026-04-01T00:00:00.000Z"
})

const op = (id: string, status: string, percent?: number) =>
  Schema.decodeUnknownSync(Operation.Operation)({
    ...wire(id, status),
    ...(percent === undefined ? {} : { percent_complete: percent })
  })

describe("AssistantClient.listOperations", () => {
  it.effect("follows pagination.next lazily, through an empty page that has a next token", () =>
    Effect.gen(function*() {
      const pages: Record<string, unknown> = {
        "": { operations: [wire("a"), wire("b")], pagination: { next: "t1" } },
        t1: { operations: [], pagination: { next: "t2" } },
        t2: { operations: [wire("c")], pagination: null },
        t3: { operations: [wire("never")] }
      }
      const { layer, requests } = clientLayer(({ url }) => json(pages[url.searchParams.get("pagination_token") ?? ""]))
      const ids = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.map((o) => o.id),
        Stream.runCollect,
        Effect.provide(layer)
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(ids), ["a", "b", "c"])
      assert.deepStrictEqual(requests.map((r) => r.url.searchParams.get("pagination_token")), [null, "t1", "t2"])
      assert.strictEqual(requests[0]!.url.pathname, "/assistant/operations/docs")
    }))

  it.effect("requests a page only when the consumer pulls", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(({ url }) => {
        const n = Number(url.searchParams.get("pagination_token") ?? "0")
        return json({ operations: [wire(`op-${n}`)], pagination: { next: String(n + 1) } })
      })
      const first = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.take(2),
        Stream.runCollect,
        Effect.provide(layer)
      )
      assert.strictEqual(Chunk.size(first), 2)
      assert.strictEqual(requests.length, 2)
    }))

  it.effect("sends the filters, the limit and the token as query parameters", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(() => json({ operations: [] }))
      yield* AssistantClient.listOperationsPage({
        assistantName: "my docs",
        status: "Processing",
        operationType: "upload_file",
        limit: 25,
        paginationToken: "dXNlcl9pZD11c2VyXzE="
      }).pipe(Effect.provide(layer))
      const url = requests[0]!.url
      assert.strictEqual(url.pathname, "/assistant/operations/my%20docs")
      assert.strictEqual(url.searchParams.get("status"), "Processing")
      assert.strictEqual(url.searchParams.get("operation_type"), "upload_file")
      assert.strictEqual(url.searchParams.get("limit"), "25")
      assert.strictEqual(url.searchParams.get("pagination_token"), "dXNlcl9pZD11c2VyXzE=")
    }))

  it.effect("refuses a limit outside 1..100 or a bad filter before sending", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(() => json({ operations: [] }))
      for (
        const request of [
          { assistantName: "docs", limit: 0 },
          { assistantName: "docs", limit: 101 },
          { assistantName: "docs", limit: 2.5 },
          { assistantName: "docs", status: "" },
          { assistantName: "" },
          { assistantName: "docs", paginationToken: "a\nb" }
        ]
      ) {
        const error = yield* Effect.flip(AssistantClient.listOperationsPage(request).pipe(Effect.provide(layer)))
        assert.strictEqual(error._tag, "InvalidRequestError", JSON.stringify(request))
      }
      assert.strictEqual(requests.length, 0)
    }))

  it.effect("a token the server rejects ends the stream with its typed error", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(({ url }) =>
        url.searchParams.get("pagination_token") === null
          ? json({ operations: [wire("a")], pagination: { next: "stale" } })
          : errorBody(400, "INVALID_ARGUMENT", "Invalid pagination token.")
      )
      const seen: Array<string> = []
      const error = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.runForEach((o) => Effect.sync(() => seen.push(o.id))),
        Effect.flip,
        Effect.provide(layer)
      )
      assert.deepStrictEqual(seen, ["a"])
      assert.strictEqual(error._tag, "InvalidArgumentError")
    }))

  it.effect("a server repeating the same token does not loop forever", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(() => json({ operations: [wire("a")], pagination: { next: "same" } }))
      const error = yield* AssistantClient.listOperations({ assistantName: "docs" }).pipe(
        Stream.runDrain,
        Effect.flip,
        Effect.provide(layer)
      )
      assert.strictEqual(error._tag, "MalformedResponseError")
      assert.strictEqual(requests.length, 2)
    }))

  it.effect("a malformed page is MalformedResponseError; missing operations decode as an empty page", () =>
    Effect.gen(function*() {
      const bad = clientLayer(() => json({ operations: [{ id: 1 }] }))
      const error = yield* Effect.flip(
        AssistantClient.listOperationsPage({ assistantName: "docs" }).pipe(Effect.provide(bad.layer))
      )
      assert.strictEqual(error._tag, "MalformedResponseError")
      const empty = clientLayer(() => json({}))
      const page = yield* AssistantClient.listOperationsPage({ assistantName: "docs" }).pipe(
        Effect.provide(empty.layer)
      )
      assert.deepStrictEqual(page.operations, [])
      assert.isTrue(Option.isNone(page.next))
    }))
})

describe("OperationPoller.waitForOperations", () => {
  const scripts = {
    "op-a": [op("op-a", "Processing", 10), op("op-a", "Completed", 100)],
    "op-b": [op("op-b", "Processing", 10), op("op-b", "Processing", 50), op("op-b", "Failed", 50)],
    "op-c": [op("op-c", "Processing", 0)],
    "op-d": [op("op-d", "Completed", 100)]
  }

  const run = <A, E>(
    effect: Effect.Effect<A, E, AssistantClient.AssistantClient>,
    layer = AssistantClientTest.layerTestScripted(scripts)
  ) =>
    Effect.gen(function*() {
      const fiber = yield* effect.pipe(Effect.provide(layer), Effect.fork)
      // in steps, so that no round can start only after the clock already jumped
      for (let i = 0; i < 3600 && fiber.unsafePoll() === null; i++) yield* TestClock.adjust("1 second")
      return yield* Fiber.join(fiber)
    })

  it.effect("partitions into completed, failed, still processing and not found; a failure does not abort the others", () =>
    Effect.gen(function*() {
      for (const strategy of ["describe", "list", "auto"] as const) {
        const summary = yield* run(OperationPoller.waitForOperations({
          assistantName: "docs",
          operationIds: ["op-a", "op-b", "op-c", "op-d", "op-x"],
          timeout: "1 minute",
          strategy
        }))
        assert.deepStrictEqual(summary.completed.map((o) => o.id).sort(), ["op-a", "op-d"], strategy)
        assert.deepStrictEqual(summary.failed.map((o) => o.id), ["op-b"], strategy)
        assert.deepStrictEqual(summary.processing.map((o) => o.id), ["op-c"], strategy)
        assert.deepStrictEqual(summary.notFound, ["op-x"], strategy)
        assert.isTrue(summary.timedOut)
      }
    }))

  it.effect("ends as soon as every operation is terminal, without timing out", () =>
    Effect.gen(function*() {
      const summary = yield* run(
        OperationPoller.waitForOperations({ assistantName: "docs", operationIds: ["op-a", "op-b", "op-d"] })
      )
      assert.isFalse(summary.timedOut)
      assert.strictEqual(summary.completed.length + summary.failed.length, 3)
      assert.isAtMost(summary.rounds, 4)
    }))

  it.effect("an error that concerns them all (401) fails the wait", () =>
    Effect.gen(function*() {
      const layer = AssistantClientTest.layerTest(() =>
        Effect.fail(
          new AssistantError.UnauthenticatedError({
            status: 401,
            message: "Invalid API key.",
            details: Option.none(),
            requestId: Option.none(),
            retryAfter: Option.none()
          })
        )
      )
      const error = yield* run(
        Effect.flip(
          OperationPoller.waitForOperations({ assistantName: "docs", operationIds: ["a", "b"], strategy: "describe" })
        ),
        layer
      )
      assert.strictEqual(error._tag, "UnauthenticatedError")
    }))

  it.effect(
    "list rounds send far fewer requests than describe rounds for many operations",
    () =>
      Effect.gen(function*() {
        const ids = Array.from({ length: 300 }, (_, i) => `op-${i}`)
        const count = (strategy: "list" | "describe") =>
          Effect.gen(function*() {
            let requests = 0
            const start = yield* Clock.currentTimeMillis
            const finishAt = (id: string) => start + 10_000 + 100 * Number(id.slice(3))
            const snapshotAt = (id: string, now: number) => op(id, now >= finishAt(id) ? "Completed" : "Processing", 0)
            const layer = AssistantClientTest.layerTest(
              ({ operationId }) =>
                Effect.map(Clock.currentTimeMillis, (now) => (requests++, snapshotAt(operationId, now))),
              {
                list: ({ paginationToken }) =>
                  Effect.map(Clock.currentTimeMillis, (now) => {
                    requests++
                    const processing = ids.filter((id) => now < finishAt(id)).map((id) => snapshotAt(id, now))
                    const from = Number(paginationToken ?? "0")
                    const page = processing.slice(from, from + 100)
                    return new Operation.OperationList({
                      operations: page,
                      pagination: from + 100 < processing.length
                        ? Option.some({ next: Option.some(String(from + 100)) })
                        : Option.none()
                    })
                  })
              }
            )
            const summary = yield* run(
              OperationPoller.waitForOperations({ assistantName: "docs", operationIds: ids, strategy }),
              layer
            )
            assert.strictEqual(summary.completed.length, 300)
            return requests
          })
        const listed = yield* count("list")
        const described = yield* count("describe")
        assert.isAbove(described, 1000)
        assert.isBelow(listed, described / 3)
      }),
    60_000
  )
})
