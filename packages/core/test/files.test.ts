import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import * as AssistantClientTest from "../src/AssistantClientTest.js"
import * as AssistantFile from "../src/AssistantFile.js"
import * as Emulator from "../src/Emulator.js"
import * as FileSource from "../src/FileSource.js"
import { crc32 } from "../src/internal/emulator/files.js"
import * as Operation from "../src/Operation.js"
import * as OperationPoller from "../src/OperationPoller.js"
import { clientLayer, errorBody, json, processing, type Recorded } from "./utils.js"

/** A client on an in-memory emulator (the TestClock drives both), with the emulator itself. */
const inMemory = (options: Partial<AssistantClient.Options> = {}) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make()
    yield* emulator.createAssistant("docs")
    let sent = 0
    const http = HttpClient.tapRequest(Emulator.makeHttpClient(emulator), () => Effect.sync(() => sent++))
    const client = yield* AssistantClient.make({
      apiKey: Redacted.make(emulator.apiKey),
      host: "http://127.0.0.1",
      ...options
    }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, http)))
    return { emulator, client, sent: () => sent }
  })

// every byte value, and the multipart delimiter's own sequences inside the file
const binary = (() => {
  const bytes = new Uint8Array(300_000)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff
  const tricky = new TextEncoder().encode("\r\n--effect-pinecone-\r\n--\r\n\r\n")
  bytes.set(tricky, 1000)
  bytes.set(tricky, bytes.length - tricky.length)
  return bytes
})()
const crcOf = (bytes: Uint8Array) => crc32(0, bytes).toString(16).padStart(8, "0")

describe("the files API against the emulator, in memory", () => {
  it.scoped("upload: a 202 operation; the file Processing, then Available, intact to the byte", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* inMemory()
      yield* emulator.setProcessing({ durationMs: 5000, outcome: "Completed" })
      const op = yield* client.uploadFile({
        assistantName: "docs",
        file: FileSource.fromBytes("scan.pdf", binary),
        metadata: { team: "docs", year: 2026 }
      })
      assert.strictEqual(op.operationType, "upload_file")
      assert.strictEqual(op.status, "Processing")
      const fileId = Option.getOrThrow(op.fileId)
      const during = yield* client.describeFile({ assistantName: "docs", fileId })
      assert.deepStrictEqual(during.status, Option.some("Processing"))
      assert.deepStrictEqual(during.size, Option.some(binary.length))
      assert.deepStrictEqual(during.metadata, Option.some({ team: "docs", year: 2026 }))
      yield* TestClock.adjust("5 seconds")
      const after = yield* client.describeFile({ assistantName: "docs", fileId })
      assert.isTrue(AssistantFile.isAvailable(after))
      const [stored] = yield* emulator.storedFiles("docs")
      assert.strictEqual(stored!.name, "scan.pdf")
      assert.strictEqual(stored!.size, binary.length)
      assert.strictEqual(stored!.crc32, crcOf(binary))
    }))

  it.scoped("uploadFileAndWait ends with the Available file, or OperationFailedError with the server's message", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* inMemory()
      yield* emulator.setProcessing({ durationMs: 3000, outcome: "Failed", errorMessage: "unreadable PDF" }, "bad.pdf")
      const layer = Layer.succeed(AssistantClient.AssistantClient, client)
      const ok = yield* OperationPoller.uploadFileAndWait({
        assistantName: "docs",
        file: FileSource.fromBytes("notes.md", new TextEncoder().encode("# Notes"))
      }).pipe(Effect.provide(layer), Effect.fork)
      const bad = yield* OperationPoller.uploadFileAndWait({
        assistantName: "docs",
        file: FileSource.fromBytes("bad.pdf", new Uint8Array([1, 2, 3]))
      }).pipe(Effect.provide(layer), Effect.flip, Effect.fork)
      yield* TestClock.adjust("1 minute")
      const file = yield* Fiber.join(ok)
      assert.strictEqual(file.name, "notes.md")
      assert.isTrue(AssistantFile.isAvailable(file))
      const error = yield* Fiber.join(bad)
      assert.strictEqual(error._tag, "OperationFailedError")
      assert.include(error.message, "unreadable PDF")
    }))

  it.scoped("uploadFileAndWait never describes a file id it was not given; it follows the file until Available", () =>
    Effect.gen(function*() {
      const described: Array<string> = []
      let fileStatus = "Processing"
      const op = (fileId: string | undefined, status: "Processing" | "Completed") =>
        Schema.decodeUnknownSync(Operation.Operation)({
          id: "op-1",
          status,
          operation_type: "upload_file",
          created_on: "2026-01-01T00:00:00Z",
          ...(fileId === undefined ? {} : { file_id: fileId })
        })
      const layer = (fileId: string | undefined) =>
        AssistantClientTest.layerTest(() => Effect.succeed(op(fileId, "Completed")), {
          files: {
            uploadFile: () => Effect.succeed(op(fileId, "Processing")),
            describeFile: (request) =>
              Effect.sync(() => {
                described.push(request.fileId)
                return Schema.decodeUnknownSync(AssistantFile.AssistantFile)({
                  id: request.fileId,
                  name: "notes.md",
                  status: fileStatus
                })
              })
          }
        })
      const upload = OperationPoller.uploadFileAndWait({
        assistantName: "docs",
        file: FileSource.fromBytes("notes.md", new TextEncoder().encode("# Notes")),
        schedule: Schedule.spaced("1 second")
      })
      // the operation names no file: an error, and no describe of an empty id
      const error = yield* Effect.flip(upload.pipe(Effect.provide(layer(undefined))))
      assert.strictEqual(error._tag, "MalformedResponseError")
      assert.deepStrictEqual(described, [])
      // the operation completed while the file still says Processing: it is followed until Available
      const waiting = yield* Effect.fork(upload.pipe(Effect.provide(layer("file-1"))))
      yield* TestClock.adjust("2 seconds")
      assert.isNull(waiting.unsafePoll(), "a Processing file is not returned")
      fileStatus = "Available"
      // the file wait polls on the default (jittered, backing-off) schedule: give it time for its next poll
      yield* TestClock.adjust("15 seconds")
      const file = yield* Fiber.join(waiting)
      assert.isTrue(AssistantFile.isAvailable(file))
      assert.isAtLeast(described.length, 2)
      assert.isTrue(described.every((id) => id === "file-1"))
    }))

  it.scoped("upsert replaces a file in place under its own id; an invalid id is refused with nothing sent", () =>
    Effect.gen(function*() {
      const { client, emulator, sent } = yield* inMemory()
      const first = yield* client.upsertFile({
        assistantName: "docs",
        fileId: "handbook_v1",
        file: FileSource.fromBytes("handbook.txt", new TextEncoder().encode("one"))
      })
      assert.strictEqual(first.operationType, "upsert_file")
      yield* client.upsertFile({
        assistantName: "docs",
        fileId: "handbook_v1",
        file: FileSource.fromBytes("handbook.txt", new TextEncoder().encode("two, longer"))
      })
      const stored = yield* emulator.storedFiles("docs")
      assert.deepStrictEqual(stored.map((f) => [f.id, f.size]), [["handbook_v1", 11]])
      const before = sent()
      for (const fileId of ["", "a/b", "x".repeat(129), "with space", "ünï"]) {
        const error = yield* client.upsertFile({
          assistantName: "docs",
          fileId,
          file: FileSource.fromBytes("a.txt", new Uint8Array(1))
        }).pipe(Effect.flip)
        assert.strictEqual(error._tag, "InvalidRequestError", fileId)
      }
      assert.strictEqual(sent(), before)
    }))

  it.scoped("delete: Started with its operation, then gone (404); a failed file is Deleted at once (204)", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* inMemory()
      yield* emulator.setProcessing({ durationMs: 1000, outcome: "Failed", errorMessage: "bad" }, "bad.pdf")
      yield* client.upsertFile({
        assistantName: "docs",
        fileId: "good",
        file: FileSource.fromBytes("g.txt", new Uint8Array(3))
      })
      yield* client.upsertFile({
        assistantName: "docs",
        fileId: "bad",
        file: FileSource.fromBytes("bad.pdf", new Uint8Array(3))
      })
      yield* TestClock.adjust("5 seconds")
      const started = yield* client.deleteFile({ assistantName: "docs", fileId: "good" })
      assert.strictEqual(started._tag, "Started")
      if (started._tag === "Started") assert.strictEqual(started.operation.operationType, "delete_file")
      const deleting = yield* client.describeFile({ assistantName: "docs", fileId: "good" })
      assert.deepStrictEqual(deleting.status, Option.some("Deleting"))
      yield* TestClock.adjust("5 seconds")
      const gone = yield* client.describeFile({ assistantName: "docs", fileId: "good" }).pipe(Effect.flip)
      assert.strictEqual(gone._tag, "NotFoundError")
      const failed = yield* client.describeFile({ assistantName: "docs", fileId: "bad" })
      assert.deepStrictEqual(failed.status, Option.some("ProcessingFailed"))
      const deleted = yield* client.deleteFile({ assistantName: "docs", fileId: "bad" })
      assert.strictEqual(deleted._tag, "Deleted")
    }))

  it.scoped("list: every page, filtered by metadata on the server", () =>
    Effect.gen(function*() {
      const { client } = yield* inMemory()
      for (let i = 0; i < 25; i++) {
        yield* client.upsertFile({
          assistantName: "docs",
          fileId: `f-${String(i).padStart(2, "0")}`,
          file: FileSource.fromBytes(`f${i}.txt`, new Uint8Array(1)),
          metadata: { team: i % 2 === 0 ? "docs" : "eng", n: i }
        })
      }
      const layer = Layer.succeed(AssistantClient.AssistantClient, client)
      const all = yield* AssistantClient.listFiles({ assistantName: "docs", limit: 10 }).pipe(
        Stream.runCollect,
        Effect.provide(layer)
      )
      assert.strictEqual(Chunk.size(all), 25)
      const filtered = yield* AssistantClient.listFiles({
        assistantName: "docs",
        filter: { $and: [{ team: { $eq: "docs" } }, { n: { $gte: 10 } }] },
        limit: 3
      }).pipe(Stream.map((f) => f.id), Stream.runCollect, Effect.provide(layer))
      assert.deepStrictEqual(Chunk.toReadonlyArray(filtered), [
        "f-10",
        "f-12",
        "f-14",
        "f-16",
        "f-18",
        "f-20",
        "f-22",
        "f-24"
      ])
    }))

  it.scoped("an unsupported type is the server's 400; metadata over 16 KB is refused before sending", () =>
    Effect.gen(function*() {
      const { client, sent } = yield* inMemory()
      const exe = yield* client.uploadFile({
        assistantName: "docs",
        file: FileSource.fromBytes("setup.exe", new Uint8Array(4))
      })
        .pipe(Effect.flip)
      assert.strictEqual(exe._tag, "InvalidArgumentError")
      const before = sent()
      const big = yield* client.uploadFile({
        assistantName: "docs",
        file: FileSource.fromBytes("a.txt", new Uint8Array(1)),
        metadata: { text: "x".repeat(16 * 1024) }
      }).pipe(Effect.flip)
      assert.strictEqual(big._tag, "InvalidRequestError")
      assert.strictEqual(sent(), before)
      // exactly 16,384 bytes of JSON pass
      const exact = { t: "x".repeat(16 * 1024 - 8) }
      assert.strictEqual(new TextEncoder().encode(JSON.stringify(exact)).length, 16 * 1024)
      const op = yield* client.uploadFile({
        assistantName: "docs",
        file: FileSource.fromBytes("a.txt", new Uint8Array(1)),
        metadata: exact
      })
      assert.strictEqual(op.status, "Processing")
    }))

  it.scoped("a source that fails mid-read ends in FileSourceError and stores no file; so does one shorter than declared", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* inMemory()
      const failing = FileSource.fromStream(
        "broken.txt",
        Stream.concat(Stream.succeed(new Uint8Array(1000)), Stream.fail("disk unplugged"))
      )
      const error = yield* client.uploadFile({ assistantName: "docs", file: failing }).pipe(Effect.flip)
      assert.strictEqual(error._tag, "FileSourceError")
      assert.include(error.message, "disk unplugged")
      const short = FileSource.fromStream("short.txt", Stream.succeed(new Uint8Array(10)), { size: 100 })
      const shortError = yield* client.uploadFile({ assistantName: "docs", file: short }).pipe(Effect.flip)
      assert.strictEqual(shortError._tag, "FileSourceError")
      assert.deepStrictEqual(yield* emulator.storedFiles("docs"), [])
    }))

  it.scoped("a signed URL is Redacted: not in the file's rendering", () =>
    Effect.gen(function*() {
      const { client } = yield* inMemory()
      yield* client.upsertFile({
        assistantName: "docs",
        fileId: "f1",
        file: FileSource.fromBytes("a.txt", new Uint8Array(1))
      })
      const file = yield* client.describeFile({ assistantName: "docs", fileId: "f1", includeUrl: true })
      const url = Redacted.value(Option.getOrThrow(file.signedUrl))
      assert.include(url, "/_emulator/signed/f1")
      for (const text of [String(file), JSON.stringify(file), String(file.signedUrl)]) assert.notInclude(text, url)
    }))
})

describe("upload retries", () => {
  const busy = (status: number, code: string) => errorBody(status, code)
  const upload = (file = FileSource.fromBytes("a.txt", new Uint8Array(10))) =>
    AssistantClient.uploadFile({ assistantName: "docs", file })

  it.scoped("a POST is retried after 429 and 503, not after 500 or a timeout; a PUT after 500 too", () =>
    Effect.gen(function*() {
      for (
        const [status, code, retried] of [[429, "TOO_MANY_REQUESTS", true], [503, "UNAVAILABLE", true], [
          500,
          "INTERNAL",
          false
        ]] as const
      ) {
        const { layer, requests } = clientLayer((_, i) => i === 0 ? busy(status, code) : json(processing, 202), {
          retry: AssistantClient.defaultRetrySchedule
        })
        const fiber = yield* upload().pipe(Effect.provide(layer), Effect.either, Effect.fork)
        yield* TestClock.adjust("1 minute")
        const result = yield* Fiber.join(fiber)
        assert.strictEqual(result._tag === "Right", retried, `${status}`)
        assert.strictEqual(requests.length, retried ? 2 : 1, `${status}`)
      }
      const timeout = clientLayer((_, i) => i === 0 ? Effect.never : json(processing, 202), {
        retry: AssistantClient.defaultRetrySchedule,
        requestTimeout: "2 seconds"
      })
      const timedOut = yield* upload().pipe(Effect.provide(timeout.layer), Effect.flip, Effect.fork)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual((yield* Fiber.join(timedOut))._tag, "TransportError")
      assert.strictEqual(timeout.requests.length, 1)
      const put = clientLayer((_, i) => i === 0 ? busy(500, "INTERNAL") : json(processing, 202), {
        retry: AssistantClient.defaultRetrySchedule
      })
      const upserted = yield* AssistantClient.upsertFile({
        assistantName: "docs",
        fileId: "f1",
        file: FileSource.fromBytes("a.txt", new Uint8Array(1))
      }).pipe(Effect.provide(put.layer), Effect.fork)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual((yield* Fiber.join(upserted)).status, "Processing")
      assert.strictEqual(put.requests.length, 2)
    }))
})

describe("upload timeouts and replays", () => {
  // a transport that reads the body as the network would, one chunk a second, then answers 202
  const slowReader = (recorded: Recorded) =>
    Effect.gen(function*() {
      const body = recorded.request.body
      if (body._tag === "Stream") {
        yield* Stream.runForEach(body.stream as Stream.Stream<Uint8Array, unknown>, () => Effect.sleep("1 second"))
      }
      return json(processing, 202)
    })
  const chunks = (n: number) => Stream.fromIterable(Array.from({ length: n }, () => new Uint8Array(1000)))

  it.scoped("a slow upload that keeps making progress is not cut off by the request timeout", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(slowReader, { requestTimeout: "2 seconds" })
      const fiber = yield* AssistantClient.uploadFile({
        assistantName: "docs",
        file: FileSource.fromStream("big.txt", chunks(20))
      }).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("30 seconds")
      assert.strictEqual((yield* Fiber.join(fiber)).status, "Processing")
    }))

  it.scoped("a stall (no byte for the request timeout) ends the upload with TransportError Timeout", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(slowReader, { requestTimeout: "2 seconds" })
      const stalled = FileSource.fromStream("stuck.txt", Stream.concat(chunks(2), Stream.never))
      const fiber = yield* AssistantClient.uploadFile({ assistantName: "docs", file: stalled }).pipe(
        Effect.provide(layer),
        Effect.flip,
        Effect.fork
      )
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.include(error.description, "no byte sent or received")
    }))

  it.scoped("uploadTimeout bounds the whole upload", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(slowReader, { requestTimeout: "2 seconds", uploadTimeout: "5 seconds" })
      const fiber = yield* AssistantClient.uploadFile({
        assistantName: "docs",
        file: FileSource.fromStream("big.txt", chunks(20))
      }).pipe(Effect.provide(layer), Effect.flip, Effect.fork)
      yield* TestClock.adjust("30 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.include(error.description, "longer than 5s")
    }))

  it.scoped("a one-shot stream is not replayed after its first byte; bytes are, from their start", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const reading = (recorded: Recorded, i: number) =>
        Effect.gen(function*() {
          const body = recorded.request.body
          let n = 0
          if (body._tag === "Stream") {
            yield* Stream.runForEach(body.stream as Stream.Stream<Uint8Array, unknown>, (c) =>
              Effect.sync(() => (n += c.length)))
          }
          seen.push(n)
          return i === 0 ? errorBody(503, "UNAVAILABLE") : json(processing, 202)
        })
      const once = clientLayer(reading, { retry: AssistantClient.defaultRetrySchedule })
      const oneShot = yield* AssistantClient.upsertFile({
        assistantName: "docs",
        fileId: "f1",
        file: FileSource.fromStream("a.txt", chunks(3))
      }).pipe(Effect.provide(once.layer), Effect.flip, Effect.fork)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual((yield* Fiber.join(oneShot))._tag, "UnavailableError")
      assert.strictEqual(once.requests.length, 1)
      const replay = clientLayer(reading, { retry: AssistantClient.defaultRetrySchedule })
      const replayed = yield* AssistantClient.upsertFile({
        assistantName: "docs",
        fileId: "f1",
        file: FileSource.fromBytes("a.txt", new Uint8Array(3000))
      }).pipe(Effect.provide(replay.layer), Effect.fork)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual((yield* Fiber.join(replayed)).status, "Processing")
      assert.strictEqual(replay.requests.length, 2)
      // both attempts sent the whole multipart body: the file from its start each time
      assert.strictEqual(seen[seen.length - 1], seen[seen.length - 2])
    }))

  it.scoped("a POST whose connection was refused is retried", () =>
    Effect.gen(function*() {
      const { layer, requests } = clientLayer(
        (_, i) =>
          i === 0
            ? Effect.fail(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))
            : json(processing, 202),
        { retry: AssistantClient.defaultRetrySchedule }
      )
      const fiber = yield* AssistantClient.uploadFile({
        assistantName: "docs",
        file: FileSource.fromBytes("a.txt", new Uint8Array(10))
      }).pipe(Effect.provide(layer), Effect.fork)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual((yield* Fiber.join(fiber)).status, "Processing")
      assert.strictEqual(requests.length, 2)
    }))
})

describe("nativeUploads: a transport that sends a local file itself", () => {
  // the encoder hands the attempt's NativeUpload to the transport as the raw body; the transport
  // "reads the file" by reporting chunks of 1,000 bytes, one a second, as a real one would
  const encoder: AssistantClient.NativeUploadEncoder = (upload) =>
    Effect.succeed(
      Option.some(HttpBody.raw(upload, { contentType: upload.contentType, contentLength: upload.contentLength }))
    )
  const reporting =
    (chunks: number, options: { readonly hang?: boolean; readonly failAt?: number } = {}) => (recorded: Recorded) =>
      Effect.gen(function*() {
        const body = recorded.request.body
        if (body._tag !== "Raw") return errorBody(400, "INVALID_ARGUMENT", `a ${body._tag} body`)
        const upload = body.body as AssistantClient.NativeUpload
        for (let i = 0; i < chunks; i++) {
          if (options.failAt === i) return yield* upload.fail("EIO: i/o error, read")
          yield* upload.observe(1000)
          yield* Effect.sleep("1 second")
        }
        if (options.hang === true) return yield* Effect.never
        yield* upload.finish
        return json(processing, 202)
      })
  const localSource = (size: number): FileSource.FileSource => ({
    name: "big.pdf",
    contentType: "application/pdf",
    size: Option.some(size),
    replayable: true,
    open: () => Stream.die("the portable stream is not used"),
    localFile: { path: "/data/big.pdf", progress: [] }
  })
  const upload = (layer: Layer.Layer<AssistantClient.AssistantClient>, file: FileSource.FileSource) =>
    AssistantClient.uploadFile({ assistantName: "docs", file }).pipe(Effect.provide(layer), Effect.either, Effect.fork)

  it.scoped("the file goes through the encoder, with the multipart head and tail and its length", () =>
    Effect.gen(function*() {
      let seen: AssistantClient.NativeUpload | undefined
      const { layer, requests } = clientLayer(reporting(20), {
        requestTimeout: "2 seconds",
        nativeUploads: (upload) => Effect.sync(() => (seen = upload)).pipe(Effect.zipRight(encoder(upload)))
      })
      const progress: Array<number> = []
      const file = FileSource.withProgress(localSource(20_000), (n) => Effect.sync(() => progress.push(n)))
      const fiber = yield* upload(layer, file)
      // 20 s of chunks a second apart: never a stall of the 2 s request timeout
      yield* TestClock.adjust("30 seconds")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(result._tag === "Right", String(result))
      assert.strictEqual(seen!.localFile.path, "/data/big.pdf")
      const head = new TextDecoder().decode(seen!.head)
      assert.include(head, `name="file"; filename="big.pdf"`)
      assert.include(head, "Content-Type: application/pdf")
      assert.include(new TextDecoder().decode(seen!.tail), "--\r\n")
      assert.strictEqual(seen!.contentLength, seen!.head.length + 20_000 + seen!.tail.length)
      assert.strictEqual(requests[0]!.request.headers["content-length"], String(seen!.contentLength))
      assert.deepStrictEqual(progress, Array.from({ length: 20 }, (_, i) => (i + 1) * 1000))
    }))

  it.scoped("a stall (no chunk for the request timeout) ends the upload with TransportError Timeout", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(reporting(2, { hang: true }), {
        requestTimeout: "2 seconds",
        nativeUploads: encoder
      })
      const fiber = yield* upload(layer, localSource(20_000))
      yield* TestClock.adjust("10 seconds")
      const result = yield* Fiber.join(fiber)
      assert.isTrue(result._tag === "Left" && result.left._tag === "TransportError")
      if (result._tag === "Left" && result.left._tag === "TransportError") {
        assert.include(result.left.description, "no byte sent or received")
      }
    }))

  it.scoped("more or fewer bytes than declared, or a read that fails, end in FileSourceError at once", () =>
    Effect.gen(function*() {
      const cases = [
        { transport: reporting(3, { hang: true }), size: 2500, expect: "more than the 2500 bytes declared" },
        { transport: reporting(2), size: 5000, expect: "yielded 2000 bytes, not the 5000 declared" },
        { transport: reporting(5, { failAt: 1, hang: true }), size: 5000, expect: "EIO: i/o error, read" }
      ]
      for (const { expect, size, transport } of cases) {
        const { layer } = clientLayer(transport, { nativeUploads: encoder })
        const fiber = yield* upload(layer, localSource(size))
        yield* TestClock.adjust("10 seconds")
        const result = yield* Fiber.join(fiber)
        assert.isTrue(result._tag === "Left" && result.left._tag === "FileSourceError", `${expect}: ${result}`)
        if (result._tag === "Left" && result.left._tag === "FileSourceError") {
          assert.include(result.left.description, expect)
          assert.strictEqual(result.left.name, "big.pdf")
        }
      }
    }))

  it.scoped("an encoder's None, or a source without a local file, streams the portable body instead", () =>
    Effect.gen(function*() {
      let asked = 0
      const streamed = (recorded: Recorded) =>
        recorded.request.body._tag === "Stream" ? json(processing, 202) : errorBody(400, "INVALID_ARGUMENT")
      const none = clientLayer(streamed, {
        nativeUploads: () => Effect.sync(() => asked++).pipe(Effect.as(Option.none()))
      })
      const local = { ...localSource(3), open: () => Stream.make(new Uint8Array(3)) }
      assert.strictEqual((yield* Fiber.join(yield* upload(none.layer, local)))._tag, "Right")
      assert.strictEqual(asked, 1)
      const bytes = FileSource.fromBytes("a.txt", new Uint8Array(3))
      assert.isUndefined(bytes.localFile)
      assert.strictEqual((yield* Fiber.join(yield* upload(none.layer, bytes)))._tag, "Right")
      assert.strictEqual(asked, 1)
    }))
})
