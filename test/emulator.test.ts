import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { request as httpRequest } from "node:http"
import { apiKey, driveClock, makeValidator, sent, TestLive } from "./helpers.js"

const create = (input: typeof Emulator.CreateOperation.Encoded) =>
  Effect.flatMap(
    Emulator.Emulator,
    (emulator) => Effect.orDie(emulator.create(Schema.decodeUnknownSync(Emulator.CreateOperation)(input)))
  )

const raw = (path: string, init: RequestInit = {}) =>
  Effect.flatMap(NodeEmulator.url, (url) =>
    Effect.promise(async () => {
      const response = await fetch(`${url}${path}`, init)
      const text = await response.text()
      return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
    }))

const postJson = (path: string, body: unknown) =>
  raw(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } })

const headers = { "api-key": apiKey, "x-pinecone-api-version": "2026-04" }

describe("the client against the emulator, over real sockets", () => {
  it.effect("watches an operation to completion, its progress rising", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-ok", durationMs: 5000, outcome: "Completed", fileId: "a.pdf" })
      const snapshots = Chunk.toReadonlyArray(
        yield* driveClock(
          Stream.runCollect(OperationPoller.watchOperation({ assistantName: "docs", operationId: "op-ok" }))
        )
      )
      const percents = snapshots.map((op) => Option.getOrElse(op.percentComplete, () => -1))
      assert.isAtLeast(snapshots.length, 3)
      percents.slice(1).forEach((p, i) => assert.isAtLeast(p, percents[i]!))
      const last = snapshots[snapshots.length - 1]!
      assert.strictEqual(last.status, "Completed")
      assert.deepStrictEqual(last.percentComplete, Option.some(100))
      assert.isTrue(Option.isSome(last.completedOn))
      assert.isTrue(Option.isSome(last.ingestionUnits))
      assert.deepStrictEqual(last.fileId, Option.some("a.pdf"))
      assert.isTrue(snapshots.slice(0, -1).every((op) => op.status === "Processing" && Option.isNone(op.completedOn)))
    }).pipe(Effect.provide(TestLive())))

  it.effect("a scripted failure turns Failed at its failure point: OperationFailedError", () =>
    Effect.gen(function*() {
      yield* create({
        assistantName: "docs",
        id: "op-bad",
        durationMs: 10_000,
        outcome: "Failed",
        failAtPercent: 40,
        errorMessage: "corrupt PDF"
      })
      const error = yield* driveClock(
        Effect.flip(OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-bad" }))
      )
      assert.strictEqual(error._tag, "OperationFailedError")
      if (error._tag !== "OperationFailedError") return
      assert.include(error.message, "corrupt PDF")
      assert.deepStrictEqual(error.operation.percentComplete, Option.some(40))
      const now = yield* Clock.currentTimeMillis
      assert.isAtLeast(now, 4000)
    }).pipe(Effect.provide(TestLive())))

  it.effect("404 for an unknown operation or assistant", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-x", durationMs: 0, outcome: "Completed" })
      const a = yield* Effect.flip(AssistantClient.describeOperation({ assistantName: "docs", operationId: "nope" }))
      const b = yield* Effect.flip(AssistantClient.describeOperation({ assistantName: "ghost", operationId: "op-x" }))
      assert.strictEqual(a._tag, "NotFoundError")
      assert.strictEqual(b._tag, "NotFoundError")
      assert.include(b.message, "ghost")
      const ok = yield* AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-x" })
      assert.strictEqual(ok.status, "Completed")
    }).pipe(Effect.provide(TestLive())))

  it.effect("401 for a wrong key", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-x", durationMs: 0, outcome: "Completed" })
      const error = yield* Effect.flip(
        AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-x" })
      )
      assert.strictEqual(error._tag, "UnauthenticatedError")
    }).pipe(Effect.provide(TestLive({ apiKey: Redacted.make("not-the-key") }))))

  it.effect("answers 401 without a key, 400 without an API version, as ErrorResponse", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-x", durationMs: 0, outcome: "Completed" })
      const noKey = yield* raw("/assistant/operations/docs/op-x", { headers: { "x-pinecone-api-version": "2026-04" } })
      assert.strictEqual(noKey.status, 401)
      assert.strictEqual(noKey.body.error.code, "UNAUTHENTICATED")
      const wrongKey = yield* raw("/assistant/operations/docs/op-x", { headers: { ...headers, "api-key": "wrong" } })
      assert.strictEqual(wrongKey.status, 401)
      const noVersion = yield* raw("/assistant/operations/docs/op-x", { headers: { "api-key": apiKey } })
      assert.strictEqual(noVersion.status, 400)
      assert.strictEqual(noVersion.body.error.code, "INVALID_ARGUMENT")
      const ok = yield* raw("/assistant/operations/docs/op-x", { headers })
      assert.strictEqual(ok.status, 200)
      assert.strictEqual(ok.body.status, "Completed")
      assert.strictEqual(ok.headers.get("content-type"), "application/json")
    }).pipe(Effect.provide(TestLive())))

  it.effect("a known path asked with another method (HEAD too) is 405 naming the allowed ones; an unknown one 404", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-h", durationMs: 0, outcome: "Completed" })
      for (const method of ["HEAD", "POST", "PATCH", "PUT"]) {
        const answer = yield* raw("/assistant/operations/docs/op-h", { method, headers })
        assert.strictEqual(answer.status, 405, method)
        assert.strictEqual(answer.headers.get("allow"), "GET", method)
        if (method !== "HEAD") assert.strictEqual(answer.body.error.code, "INVALID_ARGUMENT")
      }
      const files = yield* raw("/assistant/files/docs", { method: "HEAD", headers })
      assert.strictEqual(files.status, 405)
      assert.deepStrictEqual(files.headers.get("allow")?.split(", ").sort(), ["GET", "POST"])
      const unknown = yield* raw("/assistant/nothing/here", { method: "HEAD", headers })
      assert.strictEqual(unknown.status, 404)
      const got = yield* raw("/assistant/operations/docs/op-h", { headers })
      assert.strictEqual(got.status, 200)
    }).pipe(Effect.provide(TestLive())))

  it.effect("a malformed upload is a 4xx ErrorResponse: no boundary, not multipart, a truncated body", () =>
    Effect.gen(function*() {
      yield* Effect.flatMap(Emulator.Emulator, (e) => e.createAssistant("docs"))
      const bodies: ReadonlyArray<readonly [string, string]> = [
        ["multipart/form-data", "--x\r\n"],
        ["application/json", "{}"],
        ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\""]
      ]
      for (const [contentType, body] of bodies) {
        const answer = yield* raw("/assistant/files/docs", {
          method: "POST",
          headers: { ...headers, "content-type": contentType },
          body
        })
        assert.strictEqual(answer.status, 400, `${contentType}: ${JSON.stringify(answer.body)}`)
        assert.strictEqual(answer.body.error.code, "INVALID_ARGUMENT")
        assert.isString(answer.body.error.message)
      }
    }).pipe(Effect.provide(TestLive())))

  it.effect("file names in any script go through as sent and are listed back as sent, by a browser's form too", () =>
    Effect.gen(function*() {
      yield* Effect.flatMap(Emulator.Emulator, (e) => e.createAssistant("docs"))
      const names = ["日本語.md", "📄 notes.txt", "caf\u00e9.md", "cafe\u0301.md", "quote \"it\".md"]
      for (const name of names.slice(0, 2)) {
        yield* AssistantClient.uploadFile({
          assistantName: "docs",
          file: FileSource.fromBytes(name, new TextEncoder().encode(name))
        })
      }
      for (const name of names.slice(2)) {
        const form = new FormData()
        form.append("file", new Blob([name]), name)
        const answer = yield* raw("/assistant/files/docs", { method: "POST", headers, body: form })
        assert.strictEqual(answer.status, 202, `${name}: ${JSON.stringify(answer.body)}`)
      }
      const stored = yield* Effect.flatMap(Emulator.Emulator, (e) => e.storedFiles("docs"))
      const listed = new Set(stored.map((f) => f.name))
      // a browser writes a double quote in a filename as %22 (WHATWG): stored as it came
      for (const name of names.slice(0, 4)) assert.isTrue(listed.has(name), `${name} in ${[...listed].join(" | ")}`)
      assert.strictEqual(stored.length, 5)
    }).pipe(Effect.provide(TestLive())))

  it.effect("an injected 429 with Retry-After is honoured, then the call succeeds", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-x", durationMs: 0, outcome: "Completed" })
      const faults = yield* postJson("/_emulator/faults", {
        retryAfterSeconds: 3,
        failNext: { count: 1, status: 429, code: "TOO_MANY_REQUESTS" }
      })
      assert.strictEqual(faults.status, 200)
      const start = yield* Clock.currentTimeMillis
      const op = yield* driveClock(AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-x" }))
      assert.strictEqual(op.status, "Completed")
      assert.isAtLeast((yield* Clock.currentTimeMillis) - start, 3000)
    }).pipe(Effect.provide(TestLive({ retry: AssistantClient.defaultRetrySchedule }))))

  it.effect("an injected 503 is retried", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-x", durationMs: 0, outcome: "Completed" })
      yield* postJson("/_emulator/faults", {
        retryAfterSeconds: 0,
        failNext: { count: 2, status: 503, code: "UNAVAILABLE" }
      })
      const op = yield* driveClock(AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-x" }))
      assert.strictEqual(op.status, "Completed")
      yield* postJson("/_emulator/faults", {
        retryAfterSeconds: 0,
        failNext: { count: 10, status: 503, code: "UNAVAILABLE" }
      })
      const error = yield* driveClock(
        Effect.flip(AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-x" }))
      )
      assert.strictEqual(error._tag, "UnavailableError")
    }).pipe(Effect.provide(TestLive({ retry: AssistantClient.defaultRetrySchedule }))))

  it.effect("every n-th request rate limited, latency injected: a wait still completes", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-slow", durationMs: 3000, outcome: "Completed" })
      yield* postJson("/_emulator/faults", { rateLimitEveryNth: 2, retryAfterSeconds: 1, latencyMs: 50 })
      const op = yield* driveClock(
        OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-slow" }),
        "50 millis"
      )
      assert.strictEqual(op.status, "Completed")
    }).pipe(Effect.provide(TestLive({ retry: AssistantClient.defaultRetrySchedule }))))

  it.effect("control endpoints: create, validation, duplicate, body cap, reset", () =>
    Effect.gen(function*() {
      const created = yield* postJson("/_emulator/operations", {
        assistantName: "docs",
        id: "op-c",
        durationMs: 1000,
        outcome: "Completed",
        operationType: "delete_file"
      })
      assert.strictEqual(created.status, 201)
      assert.strictEqual(created.body.id, "op-c")
      assert.strictEqual(created.body.operation_type, "delete_file")
      assert.strictEqual(created.body.status, "Processing")
      const generated = yield* postJson("/_emulator/operations", {
        assistantName: "docs",
        durationMs: 1000,
        outcome: "Failed"
      })
      assert.strictEqual(generated.status, 201)
      assert.match(generated.body.id, /^op-/)
      const duplicate = yield* postJson("/_emulator/operations", {
        assistantName: "docs",
        id: "op-c",
        durationMs: 1,
        outcome: "Completed"
      })
      assert.strictEqual(duplicate.status, 409)
      assert.strictEqual(duplicate.body.error.code, "ALREADY_EXISTS")
      const invalid = yield* postJson("/_emulator/operations", {
        assistantName: "docs",
        durationMs: -1,
        outcome: "Maybe"
      })
      assert.strictEqual(invalid.status, 400)
      assert.strictEqual(invalid.body.error.code, "INVALID_ARGUMENT")
      const notJson = yield* raw("/_emulator/operations", { method: "POST", body: "{" })
      assert.strictEqual(notJson.status, 400)
      const huge = yield* postJson("/_emulator/operations", {
        assistantName: "docs",
        durationMs: 1,
        outcome: "Completed",
        pad: "x".repeat(70_000)
      })
      assert.strictEqual(huge.status, 400)
      assert.include(huge.body.error.message, "65536")
      const badFaults = yield* postJson("/_emulator/faults", { latencyMs: "slow" })
      assert.strictEqual(badFaults.status, 400)
      const reset = yield* raw("/_emulator", { method: "DELETE" })
      assert.strictEqual(reset.status, 204)
      const gone = yield* raw("/assistant/operations/docs/op-c", { headers })
      assert.strictEqual(gone.status, 404)
    }).pipe(Effect.provide(TestLive())))

  it.effect("a chunked control body over 64 KiB is answered 400, not a reset connection", () =>
    Effect.gen(function*() {
      const url = yield* NodeEmulator.url
      // a body with no Content-Length (chunked), sent in 8 KiB pieces: 160 KiB in all
      const answer = yield* Effect.promise(() =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const request = httpRequest(`${url}/_emulator/operations`, { method: "POST" }, (response) => {
            let body = ""
            response.on("data", (d) => (body += d))
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }))
          })
          request.on("error", reject)
          for (let i = 0; i < 20; i++) request.write("x".repeat(8192))
          request.end()
        })
      )
      assert.strictEqual(answer.status, 400)
      assert.include(JSON.parse(answer.body).error.message, "65536")
    }).pipe(Effect.provide(TestLive())))

  it.effect("a control call ends a processing operation now, Completed or Failed at the progress it reached", () =>
    Effect.gen(function*() {
      yield* create({ assistantName: "docs", id: "op-long", durationMs: 3_600_000, outcome: "Completed" })
      yield* create({ assistantName: "docs", id: "op-long-2", durationMs: 3_600_000, outcome: "Completed" })
      const done = yield* postJson("/_emulator/operations/docs/op-long/finish", { outcome: "Completed" })
      assert.strictEqual(done.status, 200)
      assert.strictEqual(done.body.status, "Completed")
      assert.strictEqual(done.body.percent_complete, 100)
      const failed = yield* postJson("/_emulator/operations/docs/op-long-2/finish", {
        outcome: "Failed",
        errorMessage: "bad scan"
      })
      assert.strictEqual(failed.body.status, "Failed")
      assert.strictEqual(failed.body.error_message, "bad scan")
      const described = yield* raw("/assistant/operations/docs/op-long-2", { headers })
      assert.strictEqual(described.body.status, "Failed")
      const unknown = yield* postJson("/_emulator/operations/docs/op-nope/finish", { outcome: "Completed" })
      assert.strictEqual(unknown.status, 404)
    }).pipe(Effect.provide(TestLive())))

  it.effect("lists with filters, limits and pagination tokens that stay valid while operations change", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 7; i++) {
        yield* create({
          assistantName: "docs",
          id: `op-${i}`,
          durationMs: i % 2 === 0 ? 0 : 60_000,
          outcome: "Completed",
          operationType: i < 5 ? "upload_file" : "delete_file"
        })
      }
      const all = yield* Stream.runCollect(AssistantClient.listOperations({ assistantName: "docs", limit: 2 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((o) => o.id), [
        "op-0",
        "op-1",
        "op-2",
        "op-3",
        "op-4",
        "op-5",
        "op-6"
      ])
      const processing = yield* Stream.runCollect(
        AssistantClient.listOperations({ assistantName: "docs", status: "Processing", limit: 1 })
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(processing).map((o) => o.id), ["op-1", "op-3", "op-5"])
      const deletes = yield* Stream.runCollect(
        AssistantClient.listOperations({ assistantName: "docs", operationType: "delete_file" })
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(deletes).map((o) => o.id), ["op-5", "op-6"])

      const first = yield* AssistantClient.listOperationsPage({ assistantName: "docs", limit: 3 })
      assert.deepStrictEqual(first.operations.map((o) => o.id), ["op-0", "op-1", "op-2"])
      const token = Option.getOrThrow(first.next)
      // the listing changes between pages: a new operation, and op-3 finishes
      yield* create({ assistantName: "docs", id: "op-new", durationMs: 0, outcome: "Completed" })
      yield* TestClock.adjust("61 seconds")
      const second = yield* AssistantClient.listOperationsPage({
        assistantName: "docs",
        limit: 3,
        paginationToken: token
      })
      assert.deepStrictEqual(second.operations.map((o) => o.id), ["op-3", "op-4", "op-5"])
      assert.strictEqual(second.operations[0]!.status, "Completed")
      const third = yield* AssistantClient.listOperationsPage({
        assistantName: "docs",
        limit: 3,
        paginationToken: Option.getOrThrow(second.next)
      })
      assert.deepStrictEqual(third.operations.map((o) => o.id), ["op-6", "op-new"])
      assert.isTrue(Option.isNone(third.next))

      const badToken = yield* Effect.flip(
        AssistantClient.listOperationsPage({ assistantName: "docs", paginationToken: "not-a-token" })
      )
      assert.strictEqual(badToken._tag, "InvalidArgumentError")
      const ghost = yield* Effect.flip(AssistantClient.listOperationsPage({ assistantName: "ghost" }))
      assert.strictEqual(ghost._tag, "NotFoundError")
      const badLimit = yield* raw("/assistant/operations/docs?limit=500", { headers })
      assert.strictEqual(badLimit.status, 400)
    }).pipe(Effect.provide(TestLive())))

  it.effect("waits on many operations at once: completed, failed and not found", () =>
    Effect.gen(function*() {
      const ids: Array<string> = []
      for (let i = 0; i < 30; i++) {
        ids.push(`bulk-${i}`)
        yield* create({
          assistantName: "docs",
          id: `bulk-${i}`,
          durationMs: 500 + 200 * i,
          outcome: i % 10 === 9 ? "Failed" : "Completed"
        })
      }
      const summary = yield* driveClock(
        OperationPoller.waitForOperations({ assistantName: "docs", operationIds: [...ids, "bulk-missing"] }),
        "250 millis"
      )
      assert.strictEqual(summary.completed.length, 27)
      assert.deepStrictEqual(summary.failed.map((o) => o.id).sort(), ["bulk-19", "bulk-29", "bulk-9"])
      assert.deepStrictEqual(summary.notFound, ["bulk-missing"])
      assert.isFalse(summary.timedOut)
    }).pipe(Effect.provide(TestLive())))

  it.effect("every answer the emulators sent in this file validates against the spec's schemas", () =>
    Effect.sync(() => {
      const validate = makeValidator()
      assert.isAtLeast(sent.length, 20)
      const statuses = new Set(sent.map((e) => e.status))
      for (const status of [200, 201, 400, 401, 404, 409, 429, 503]) assert.isTrue(statuses.has(status), String(status))
      for (const event of sent) {
        if (event.body === undefined) continue
        const schema = event.status === 200 || event.status === 201 || event.status === 202
          ? Array.isArray((event.body as { operations?: unknown }).operations) ? "OperationList" : "OperationModel"
          : "ErrorResponse"
        if (event.path.startsWith("/_emulator/faults")) continue
        const error = validate(schema, event.body)
        assert.isUndefined(error, `${event.method} ${event.path} ${event.status}: ${error}`)
      }
      // and the validator is not a yes-man
      assert.isDefined(validate("OperationModel", { id: "x", status: "Completed" }))
      assert.isDefined(validate("ErrorResponse", { status: 404 }))
      assert.isDefined(
        validate("OperationModel", {
          id: "x",
          status: "Completed",
          operation_type: "u",
          created_on: "2020-01-01T00:00:00Z",
          percent_complete: 101
        })
      )
    }))
})
