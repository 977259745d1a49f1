// The files API and host discovery against the emulator over real sockets (undici), every answer
// validated against the two OpenAPI documents.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantFile from "@effect-pinecone/core/AssistantFile"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { crc32 } from "../packages/core/src/internal/emulator/files.js"
import { driveClock, makeValidator } from "./helpers.js"

const apiKey = "files-e2e-key"
const answered: Array<Emulator.ResponseEvent> = []

// The client finds each assistant's host through the emulator's control plane (no host option).
const Live = Layer.unwrapEffect(
  Effect.map(NodeEmulator.url, (url) => NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), controlHost: url }))
).pipe(
  Layer.provideMerge(NodeEmulator.layer({ apiKey, onResponse: (event) => answered.push(event) })),
  Layer.provideMerge(NodeContext.layer),
  Layer.orDie
)

const setup = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  yield* emulator.reset
  yield* emulator.createAssistant("docs")
  yield* emulator.setProcessing({ durationMs: 3000, outcome: "Completed" })
  return emulator
})

// every byte value, and the delimiter's own sequences, in a 1 MiB file on disk
const dir = mkdtempSync(join(tmpdir(), "effect-pinecone-files-"))
const bytes = new Uint8Array(1024 * 1024)
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff
bytes.set(new TextEncoder().encode("\r\n--\r\n--effect-pinecone-\r\n"), 4096)
const binaryPath = join(dir, "scan.pdf")
writeFileSync(binaryPath, bytes)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the files API over real sockets, the host found through the control plane", () => {
  it.effect("a file from disk arrives intact, is waited on until Available, described and listed", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      const source = yield* FileSource.fromPath(binaryPath)
      const file = yield* driveClock(
        OperationPoller.uploadFileAndWait({ assistantName: "docs", file: source, metadata: { kind: "scan" } })
      )
      assert.isTrue(AssistantFile.isAvailable(file))
      assert.deepStrictEqual(file.size, Option.some(bytes.length))
      const [stored] = yield* emulator.storedFiles("docs")
      assert.strictEqual(stored!.crc32, crc32(0, bytes).toString(16).padStart(8, "0"))
      const listed = yield* AssistantClient.listFiles({ assistantName: "docs", filter: { kind: "scan" } }).pipe(
        Stream.runCollect
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(listed).map((f) => f.id), [file.id])
      const described = yield* AssistantClient.describeFile({
        assistantName: "docs",
        fileId: file.id,
        includeUrl: true
      })
      assert.isTrue(Option.isSome(described.signedUrl))
      const assistant = yield* AssistantClient.describeAssistant({ assistantName: "docs" })
      assert.strictEqual(assistant.status, "Ready")
    }).pipe(Effect.provide(Live)))

  it.effect("upsert, delete (202, then gone), a failed file deleted at once (204), a .exe refused", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      yield* emulator.setProcessing({ durationMs: 1000, outcome: "Failed", errorMessage: "bad scan" }, "bad.pdf")
      const text = FileSource.fromBytes("notes.md", new TextEncoder().encode("# Notes"))
      yield* AssistantClient.upsertFile({ assistantName: "docs", fileId: "notes", file: text })
      yield* AssistantClient.upsertFile({
        assistantName: "docs",
        fileId: "bad",
        file: FileSource.fromBytes("bad.pdf", new Uint8Array(8))
      })
      const failed = yield* driveClock(
        OperationPoller.uploadFileAndWait({
          assistantName: "docs",
          fileId: "bad",
          file: FileSource.fromBytes("bad.pdf", new Uint8Array(8))
        }).pipe(Effect.flip)
      )
      assert.strictEqual(failed._tag, "OperationFailedError")
      const deleted = yield* AssistantClient.deleteFile({ assistantName: "docs", fileId: "bad" })
      assert.strictEqual(deleted._tag, "Deleted")
      const started = yield* AssistantClient.deleteFile({ assistantName: "docs", fileId: "notes" })
      assert.strictEqual(started._tag, "Started")
      if (started._tag === "Started") {
        yield* driveClock(
          OperationPoller.waitForOperation({ assistantName: "docs", operationId: started.operation.id })
        )
      }
      const gone = yield* AssistantClient.describeFile({ assistantName: "docs", fileId: "notes" }).pipe(Effect.flip)
      assert.strictEqual(gone._tag, "NotFoundError")
      const exe = yield* AssistantClient.uploadFile({
        assistantName: "docs",
        file: FileSource.fromBytes("setup.exe", new Uint8Array(4))
      }).pipe(Effect.flip)
      assert.strictEqual(exe._tag, "InvalidArgumentError")
    }).pipe(Effect.provide(Live)))

  it.effect("a source failing mid-read over a socket is FileSourceError, and no file is stored", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      const failing = FileSource.fromStream(
        "broken.txt",
        Stream.concat(Stream.succeed(new Uint8Array(200_000)), Stream.fail(new Error("disk unplugged")))
      )
      const error = yield* driveClock(
        AssistantClient.uploadFile({ assistantName: "docs", file: failing }).pipe(Effect.flip)
      )
      assert.strictEqual(error._tag, "FileSourceError")
      assert.deepStrictEqual(yield* emulator.storedFiles("docs"), [])
    }).pipe(Effect.provide(Live)))

  it.effect("every answer validates against the data-plane and control-plane OpenAPI documents", () =>
    Effect.sync(() => {
      const validate = makeValidator()
      const apiAnswers = answered.filter((e) => e.path.startsWith("/assistant/") && e.body !== undefined)
      assert.isAtLeast(apiAnswers.length, 10)
      const statuses = new Set(answered.map((e) => e.status))
      for (const status of [200, 202, 204, 400, 404]) assert.isTrue(statuses.has(status), String(status))
      for (const event of apiAnswers) {
        const schema = event.status >= 400
          ? "ErrorResponse"
          : event.path.startsWith("/assistant/assistants/")
          ? "Assistant"
          : event.path.startsWith("/assistant/operations/")
          ? "OperationModel"
          : event.status === 202
          ? "OperationModel"
          : Array.isArray((event.body as { files?: unknown }).files)
          ? "ListFilesResponse"
          : "AssistantFileModel"
        const error = validate(schema, event.body)
        assert.isUndefined(error, `${event.method} ${event.path} ${event.status}: ${error}`)
      }
      assert.isDefined(validate("AssistantFileModel", { id: "x" }))
      assert.isDefined(validate("Assistant", { name: "x" }))
    }))
})
