import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import * as Emulator from "../src/Emulator.js"
import * as FileSource from "../src/FileSource.js"

const input = (fields: typeof Emulator.CreateOperation.Encoded) =>
  Schema.decodeUnknownSync(Emulator.CreateOperation)(fields)

/** The client wired to the emulator's app in memory (no sockets), on the TestClock. */
const inMemory = (emulator: Emulator.Service) =>
  AssistantClient.layer({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1:1", retry: false }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))),
    Layer.orDie
  )

describe("Emulator", () => {
  it.effect("its listings read the query through HttpRouter's search params: a parameter given twice is a 400", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* Effect.orDie(emulator.create(input({ assistantName: "a", id: "op", durationMs: 0, outcome: "Completed" })))
      const get = (query: string) =>
        HttpClient.get(`http://127.0.0.1:1/assistant/operations/a${query}`, {
          headers: { "api-key": emulator.apiKey, "x-pinecone-api-version": "2026-04" }
        }).pipe(
          Effect.flatMap((response) => Effect.map(response.json, (body) => ({ status: response.status, body }))),
          Effect.provideService(HttpClient.HttpClient, Emulator.makeHttpClient(emulator)),
          Effect.orDie
        )
      const once = yield* get("?limit=1")
      assert.strictEqual(once.status, 200)
      assert.strictEqual((once.body as { operations: Array<unknown> }).operations.length, 1)
      const twice = yield* get("?limit=1&limit=2")
      assert.strictEqual(twice.status, 400)
      assert.deepStrictEqual((twice.body as { error: unknown }).error, {
        code: "INVALID_ARGUMENT",
        message: "Each query parameter may be given once."
      })
    }))

  it.effect("percent_complete rises with the emulator's clock; completion adds completed_on and ingestion_units", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* Effect.orDie(
        emulator.create(input({ assistantName: "a", id: "op", durationMs: 10_000, outcome: "Completed" }))
      )
      const describe = AssistantClient.describeOperation({ assistantName: "a", operationId: "op" }).pipe(
        Effect.provide(inMemory(emulator))
      )
      const percents: Array<number> = []
      for (let i = 0; i < 4; i++) {
        const op = yield* describe
        percents.push(Option.getOrThrow(op.percentComplete))
        assert.strictEqual(op.status, "Processing")
        assert.isTrue(Option.isNone(op.completedOn) && Option.isNone(op.ingestionUnits))
        yield* TestClock.adjust("2500 millis")
      }
      assert.deepStrictEqual(percents, [0, 25, 50, 75])
      const done = yield* describe
      assert.strictEqual(done.status, "Completed")
      assert.deepStrictEqual(done.percentComplete, Option.some(100))
      assert.isTrue(Option.isSome(done.completedOn) && Option.isSome(done.ingestionUnits))
    }))

  it.effect("in memory, an injected latency longer than the request timeout ends in TransportError Timeout", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* Effect.orDie(emulator.create(input({ assistantName: "a", id: "op", durationMs: 0, outcome: "Completed" })))
      yield* emulator.setFaults(Schema.decodeUnknownSync(Emulator.Faults)({ latencyMs: 5_000 }))
      const client = AssistantClient.layer({
        apiKey: Redacted.make(emulator.apiKey),
        host: "http://127.0.0.1:1",
        retry: false,
        requestTimeout: "1 second"
      }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))), Layer.orDie)
      const fiber = yield* AssistantClient.describeOperation({ assistantName: "a", operationId: "op" }).pipe(
        Effect.provide(client),
        Effect.flip,
        Effect.fork
      )
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "Timeout")
    }))

  it.effect("a scripted failure stops progress at its failure point and turns Failed there", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* Effect.orDie(
        emulator.create(
          input({
            assistantName: "a",
            id: "op",
            durationMs: 10_000,
            outcome: "Failed",
            failAtPercent: 40,
            errorMessage: "boom"
          })
        )
      )
      yield* TestClock.adjust("3999 millis")
      const before = Option.getOrThrow(yield* emulator.describe("a", "op"))
      assert.strictEqual(before.status, "Processing")
      assert.deepStrictEqual(before.percentComplete, Option.some(39))
      yield* TestClock.adjust("1 millis")
      const after = Option.getOrThrow(yield* emulator.describe("a", "op"))
      assert.strictEqual(after.status, "Failed")
      assert.deepStrictEqual(after.percentComplete, Option.some(40))
      assert.deepStrictEqual(after.errorMessage, Option.some("boom"))
      assert.isTrue(Option.isNone(after.ingestionUnits))
    }))

  it.effect("keeps at most maxOperations, evicting the oldest finished one, refusing when none is finished", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ maxOperations: 3 })
      const add = (id: string, durationMs: number) =>
        emulator.create(input({ assistantName: "a", id, durationMs, outcome: "Completed" }))
      yield* add("done-1", 0)
      yield* add("running", 60_000)
      yield* add("done-2", 0)
      yield* add("new-1", 60_000)
      assert.strictEqual(yield* emulator.size, 3)
      assert.isTrue(Option.isNone(yield* emulator.describe("a", "done-1")))
      assert.isTrue(Option.isSome(yield* emulator.describe("a", "done-2")))
      yield* add("new-2", 60_000)
      const refused = yield* Effect.flip(add("new-3", 60_000))
      assert.strictEqual(refused._tag, "ResourceExhaustedError")
      assert.strictEqual(yield* emulator.size, 3)
    }))

  it.effect("the demo seed: one completing in about 5 s, one failing at 40 %, one already complete", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: "demo" })
      const ops = yield* emulator.list("demo")
      assert.deepStrictEqual(ops.map((op) => [op.id, op.status]), [["op-upload-5s", "Processing"], [
        "op-fail-40",
        "Processing"
      ], ["op-done", "Completed"]])
      yield* TestClock.adjust("5 seconds")
      const later = yield* emulator.list("demo")
      assert.deepStrictEqual(later.map((op) => op.status), ["Completed", "Failed", "Completed"])
      assert.deepStrictEqual(later[1]!.percentComplete, Option.some(40))
    }))
})

describe("Emulator: what it keeps", () => {
  const clientOf = (emulator: Emulator.Service) =>
    Effect.map(
      AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1:1", retry: false }),
      (client) => client
    ).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))), Effect.orDie)
  const raw = (emulator: Emulator.Service, method: "GET" | "POST" | "DELETE" | "PATCH", path: string, body?: unknown) =>
    HttpClient.execute(
      HttpClientRequest.make(method)(`http://127.0.0.1:1${path}`).pipe(
        HttpClientRequest.setHeaders({ "api-key": emulator.apiKey, "x-pinecone-api-version": "2026-04" }),
        body === undefined ? (r) => r : HttpClientRequest.bodyUnsafeJson(body)
      )
    ).pipe(
      Effect.flatMap((response) =>
        Effect.map(Effect.orElseSucceed(response.json, () => null), (json) => ({ status: response.status, json }))
      ),
      Effect.provideService(HttpClient.HttpClient, Emulator.makeHttpClient(emulator)),
      Effect.orDie
    )

  it.scoped("a deleted or failed file keeps its status once its operation is evicted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ maxOperations: 3 })
      yield* emulator.createAssistant("docs")
      const client = yield* clientOf(emulator)
      yield* emulator.setProcessing({ durationMs: 1000, outcome: "Failed", errorMessage: "unreadable" }, "bad.md")
      const bytes = new TextEncoder().encode("x")
      yield* Effect.orDie(
        client.upsertFile({ assistantName: "docs", fileId: "bad", file: FileSource.fromBytes("bad.md", bytes) })
      )
      yield* Effect.orDie(
        client.upsertFile({ assistantName: "docs", fileId: "gone", file: FileSource.fromBytes("gone.md", bytes) })
      )
      yield* TestClock.adjust("3 seconds")
      yield* Effect.orDie(client.deleteFile({ assistantName: "docs", fileId: "gone" }))
      yield* TestClock.adjust("3 seconds")
      // three more operations evict the three above
      for (const id of ["x1", "x2", "x3"]) {
        yield* Effect.orDie(
          client.upsertFile({ assistantName: "docs", fileId: id, file: FileSource.fromBytes(`${id}.md`, bytes) })
        )
        yield* TestClock.adjust("3 seconds")
      }
      const bad = yield* Effect.orDie(client.describeFile({ assistantName: "docs", fileId: "bad" }))
      assert.deepStrictEqual(bad.status, Option.some("ProcessingFailed"))
      const gone = yield* Effect.flip(client.describeFile({ assistantName: "docs", fileId: "gone" }))
      assert.strictEqual(gone._tag, "NotFoundError")
      const listed = yield* Effect.orDie(client.listFilesPage({ assistantName: "docs" }))
      assert.deepStrictEqual(listed.files.map((f) => f.id).sort(), ["bad", "x1", "x2", "x3"])
    }))

  it.scoped("an assistant deleted and created again starts empty; reset forgets every assistant", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const create = raw(emulator, "POST", "/assistant/assistants", { name: "kb" })
      assert.strictEqual((yield* create).status, 200)
      yield* TestClock.adjust("10 seconds")
      yield* Effect.orDie(
        emulator.create(input({ assistantName: "kb", id: "op-old", durationMs: 0, outcome: "Completed" }))
      )
      assert.strictEqual((yield* raw(emulator, "DELETE", "/assistant/assistants/kb")).status, 200)
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual((yield* create).status, 200)
      yield* TestClock.adjust("10 seconds")
      const ops = yield* raw(emulator, "GET", "/assistant/operations/kb")
      assert.strictEqual(ops.status, 200)
      assert.deepStrictEqual((ops.json as { operations: Array<unknown> }).operations, [])
      // the emulator's reset endpoint forgets assistants too
      assert.strictEqual((yield* raw(emulator, "DELETE", "/_emulator")).status, 204)
      const listed = yield* raw(emulator, "GET", "/assistant/assistants")
      assert.deepStrictEqual((listed.json as { assistants: Array<unknown> }).assistants, [])
      assert.strictEqual((yield* raw(emulator, "GET", "/assistant/files/kb")).status, 404)
    }))

  it.scoped("the control plane counts instructions in UTF-8 bytes, as the API does", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      // 6,000 × 日 is 6,000 UTF-16 units but 18,000 bytes
      const wide = "日".repeat(6000)
      const created = yield* raw(emulator, "POST", "/assistant/assistants", { name: "kb", instructions: wide })
      assert.strictEqual(created.status, 400)
      assert.strictEqual(
        (yield* raw(emulator, "POST", "/assistant/assistants", { name: "kb", instructions: "日".repeat(5000) })).status,
        200
      )
      yield* TestClock.adjust("10 seconds")
      const updated = yield* raw(emulator, "PATCH", "/assistant/assistants/kb", { instructions: wide })
      assert.strictEqual(updated.status, 400)
    }))
})
