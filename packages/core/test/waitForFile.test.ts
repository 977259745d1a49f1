// Waiting for a file by id, and the 404 grace of a wait on an operation the program just started,
// against the in-memory emulator on the TestClock.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as AssistantClient from "../src/AssistantClient.js"
import * as Emulator from "../src/Emulator.js"
import * as FileSource from "../src/FileSource.js"
import * as OperationPoller from "../src/OperationPoller.js"
import { drive } from "./utils.js"

/** A client on an in-memory emulator whose describes of operations answer 404 the first `hide` times. */
const setup = (hide = 0) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make()
    yield* emulator.createAssistant("docs")
    const base = Emulator.makeHttpClient(emulator)
    let hidden = 0
    const describes: Array<number> = []
    const transport = HttpClient.make((request) => {
      const describe = request.method === "GET" && /\/assistant\/operations\/docs\/op-/.test(request.url)
      if (describe) describes.push(describes.length)
      if (describe && hidden < hide) {
        hidden++
        return Effect.succeed(HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify({ status: 404, error: { code: "NOT_FOUND", message: "Operation not found." } }), {
            status: 404,
            headers: { "content-type": "application/json" }
          })
        ))
      }
      return base.execute(request)
    })
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
      .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, transport)))
    return { emulator, client, describes }
  })

const on = (client: AssistantClient.Service) => Effect.provideService(AssistantClient.AssistantClient, client)
const bytes = (text: string) => new TextEncoder().encode(text)

describe("OperationPoller.waitForFile", () => {
  it.scoped("until Available; ProcessingFailed is FileProcessingFailedError with the operation's message", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      yield* emulator.setProcessing(new Emulator.ProcessingScript({ durationMs: 3000, outcome: "Completed" }))
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: 1000, outcome: "Failed", errorMessage: "Scanned page unreadable" }),
        "scan.pdf"
      )
      yield* on(client)(
        AssistantClient.upsertFile({
          assistantName: "docs",
          fileId: "guide",
          file: FileSource.fromBytes("guide.md", bytes("# g"))
        })
      )
      yield* on(client)(
        AssistantClient.upsertFile({
          assistantName: "docs",
          fileId: "scan",
          file: FileSource.fromBytes("scan.pdf", bytes("%PDF"))
        })
      )
      const statuses: Array<string> = []
      const ready = yield* drive(
        on(client)(OperationPoller.waitForFile({
          assistantName: "docs",
          fileId: "guide",
          onSnapshot: (f) => Effect.sync(() => statuses.push(Option.getOrElse(f.status, () => "?")))
        }))
      )
      assert.deepStrictEqual(ready.status, Option.some("Available"))
      assert.strictEqual(statuses[0], "Processing")
      assert.strictEqual(statuses.at(-1), "Available")
      const failed = yield* drive(
        on(client)(Effect.flip(OperationPoller.waitForFile({ assistantName: "docs", fileId: "scan" })))
      )
      assert.strictEqual(failed._tag, "FileProcessingFailedError")
      if (failed._tag === "FileProcessingFailedError") {
        assert.deepStrictEqual(failed.errorMessage, Option.some("Scanned page unreadable"))
        assert.include(failed.message, "File scan.pdf (scan) failed processing: Scanned page unreadable")
        assert.isTrue(Option.isSome(failed.operationId))
      }
    }))

  it.scoped("a budget spent while Processing is WaitTimeoutError of the file; an unknown file is NotFoundError", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      yield* emulator.setProcessing(new Emulator.ProcessingScript({ durationMs: 3_600_000, outcome: "Completed" }))
      yield* on(client)(
        AssistantClient.upsertFile({
          assistantName: "docs",
          fileId: "slow",
          file: FileSource.fromBytes("slow.md", bytes("s"))
        })
      )
      const timedOut = yield* drive(
        on(client)(
          Effect.flip(OperationPoller.waitForFile({ assistantName: "docs", fileId: "slow", timeout: "10 seconds" }))
        )
      )
      assert.strictEqual(timedOut._tag, "WaitTimeoutError")
      if (timedOut._tag === "WaitTimeoutError") {
        const target = timedOut.target
        assert.strictEqual(target._tag, "File")
        // the last snapshot is the file itself, not only its status
        if (target._tag === "File") {
          assert.strictEqual(target.fileId, "slow")
          assert.deepStrictEqual(Option.flatMap(target.last, (f) => f.status), Option.some("Processing"))
          assert.deepStrictEqual(Option.map(target.last, (f) => f.id), Option.some("slow"))
        }
        assert.include(timedOut.message, "Gave up waiting for file slow")
      }
      const missing = yield* on(client)(
        Effect.flip(OperationPoller.waitForFile({ assistantName: "docs", fileId: "nope" }))
      )
      assert.strictEqual(missing._tag, "NotFoundError")
    }))
})

describe("the 404 grace of an operation the program just started", () => {
  it.scoped("uploadFileAndWait rides out a few 404s of its own operation; a typed id's 404 ends a wait at once", () =>
    Effect.gen(function*() {
      const { client, describes } = yield* setup(3)
      const file = yield* drive(
        on(client)(OperationPoller.uploadFileAndWait({
          assistantName: "docs",
          file: FileSource.fromBytes("late.md", bytes("# late"))
        }))
      )
      assert.deepStrictEqual(file.status, Option.some("Available"))
      assert.isAbove(describes.length, 3, "the 404s were ridden out")

      const typed = yield* setup(1)
      const op = yield* on(typed.client)(
        AssistantClient.uploadFile({ assistantName: "docs", file: FileSource.fromBytes("a.md", bytes("a")) })
      )
      const error = yield* on(typed.client)(
        Effect.flip(OperationPoller.waitForOperation({ assistantName: "docs", operationId: op.id }))
      )
      assert.strictEqual(error._tag, "NotFoundError")

      // past the grace the 404 is the error it is
      const gone = yield* setup(1_000)
      const late = yield* drive(
        on(gone.client)(Effect.flip(OperationPoller.uploadFileAndWait({
          assistantName: "docs",
          file: FileSource.fromBytes("b.md", bytes("b")),
          notFoundGrace: "5 seconds"
        }))),
        "1 second"
      )
      assert.strictEqual(late._tag, "NotFoundError")
    }))

  it.scoped("waitForOperations keeps a just-started operation pending through its 404s with notFoundGrace", () =>
    Effect.gen(function*() {
      const { client } = yield* setup(2)
      const op = yield* on(client)(
        AssistantClient.uploadFile({ assistantName: "docs", file: FileSource.fromBytes("c.md", bytes("c")) })
      )
      const graced = yield* drive(
        on(client)(OperationPoller.waitForOperations({
          assistantName: "docs",
          operationIds: [op.id],
          notFoundGrace: "10 seconds"
        }))
      )
      assert.deepStrictEqual(graced.completed.map((o) => o.id), [op.id])
      assert.deepStrictEqual(graced.notFound, [])
      const plain = yield* setup(2)
      const op2 = yield* on(plain.client)(
        AssistantClient.uploadFile({ assistantName: "docs", file: FileSource.fromBytes("d.md", bytes("d")) })
      )
      const ended = yield* drive(
        on(plain.client)(OperationPoller.waitForOperations({
          assistantName: "docs",
          operationIds: [op2.id]
        }))
      )
      assert.deepStrictEqual(ended.notFound, [op2.id], "without the grace a 404 is not found at once")
    }))
})
