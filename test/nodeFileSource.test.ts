// NodeFileSource over real sockets: through NodeAssistantClient its file goes from
// fs.createReadStream to undici (the nativeUploads path); through any other client it streams.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantFile from "@effect-pinecone/core/AssistantFile"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import * as NodeFileSource from "@effect-pinecone/node/NodeFileSource"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { crc32 } from "../packages/core/src/internal/emulator/files.js"
import { driveClock } from "./helpers.js"

const apiKey = "node-file-source-key"
class FetchClient extends Effect.Tag("test/FetchClient")<FetchClient, AssistantClient.Service>() {}
const answered: Array<Emulator.ResponseEvent> = []

const Live = Layer.unwrapEffect(
  Effect.map(NodeEmulator.url, (url) =>
    Layer.mergeAll(
      NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), host: url }),
      // the same client on fetch, with no nativeUploads: every source streams from its `open`
      Layer.effect(
        FetchClient,
        AssistantClient.make({ apiKey: Redacted.make(apiKey), host: url }).pipe(Effect.provide(FetchHttpClient.layer))
      )
    ))
).pipe(
  Layer.provideMerge(NodeEmulator.layer({ apiKey, onResponse: (event) => answered.push(event) })),
  Layer.orDie
)

const setup = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  yield* emulator.reset
  yield* emulator.createAssistant("docs")
  yield* emulator.setProcessing({ durationMs: 2000, outcome: "Completed" })
  return emulator
})

// 3 MiB and a bit of every byte value, with the delimiter's own sequences, on disk
const dir = mkdtempSync(join(tmpdir(), "effect-pinecone-node-file-source-"))
const bytes = new Uint8Array(3 * 1024 * 1024 + 12_345)
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + (i >> 9)) & 0xff
bytes.set(new TextEncoder().encode("\r\n--\r\n--effect-pinecone-\r\n"), 300_000)
const crcOf = (data: Uint8Array) => crc32(0, data).toString(16).padStart(8, "0")
const fresh = (name: string, data: Uint8Array = bytes) => {
  const path = join(dir, name)
  writeFileSync(path, data)
  return path
}
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("NodeFileSource over real sockets", () => {
  it.scoped("through NodeAssistantClient the file is read by Node, not through `open`, and arrives intact", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      const source = yield* NodeFileSource.fromPath(fresh("scan.pdf"))
      assert.deepStrictEqual(source.size, Option.some(bytes.length))
      assert.strictEqual(source.contentType, "application/pdf")
      const progress: Array<number> = []
      const file = FileSource.withProgress(
        // were the portable stream used, the upload would die
        { ...source, open: () => Stream.die("open was called") },
        (sent) => Effect.sync(() => progress.push(sent))
      )
      const available = yield* driveClock(OperationPoller.uploadFileAndWait({ assistantName: "docs", file }))
      assert.isTrue(AssistantFile.isAvailable(available))
      const [stored] = yield* emulator.storedFiles("docs")
      assert.strictEqual(stored!.size, bytes.length)
      assert.strictEqual(stored!.crc32, crcOf(bytes))
      // one call per chunk read, growing, ending at the file's size
      assert.isAtLeast(progress.length, 2)
      assert.isTrue(progress.every((n, i) => i === 0 || n > progress[i - 1]!))
      assert.strictEqual(progress[progress.length - 1], bytes.length)
    }).pipe(Effect.provide(Live)))

  it.scoped("through a client without nativeUploads the same source streams from `open`, intact", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      const client = yield* FetchClient
      const source = yield* NodeFileSource.fromPath(fresh("notes.md"), { name: "renamed.md" })
      yield* client.uploadFile({ assistantName: "docs", file: source })
      const [stored] = yield* emulator.storedFiles("docs")
      assert.strictEqual(stored!.name, "renamed.md")
      assert.strictEqual(stored!.crc32, crcOf(bytes))
      const unused = {
        ...source,
        open: () => Stream.fail(new FileSource.FileSourceError({ name: "x", description: "open" }))
      }
      const error = yield* client.uploadFile({ assistantName: "docs", file: unused }).pipe(Effect.flip)
      assert.strictEqual(error._tag, "FileSourceError")
    }).pipe(Effect.provide(Live)))

  it.scoped("an upsert answered 503 is retried, the file read again from its start", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      answered.length = 0
      yield* emulator.setFaults({ failNext: { count: 1, status: 503, code: "UNAVAILABLE" } })
      const file = yield* NodeFileSource.fromPath(fresh("retried.pdf"))
      yield* driveClock(AssistantClient.upsertFile({ assistantName: "docs", fileId: "retried", file }))
      assert.deepStrictEqual(
        answered.filter((e) => e.path.startsWith("/assistant/files/")).map((e) => e.status),
        [503, 202]
      )
      const [stored] = yield* emulator.storedFiles("docs")
      assert.strictEqual(stored!.id, "retried")
      assert.strictEqual(stored!.crc32, crcOf(bytes))
    }).pipe(Effect.provide(Live)))

  it.scoped("a file that shrank, grew or vanished after fromPath is FileSourceError, and nothing is stored", () =>
    Effect.gen(function*() {
      const emulator = yield* setup
      const cases: Array<[string, (path: string) => void, string]> = [
        ["shrank.pdf", (path) => truncateSync(path, 1000), "yielded 1000 bytes, not the"],
        ["grew.pdf", (path) => appendFileSync(path, new Uint8Array(10)), "more than the"],
        ["vanished.pdf", (path) => unlinkSync(path), "ENOENT"]
      ]
      for (const [name, change, expected] of cases) {
        const path = fresh(name)
        const file = yield* NodeFileSource.fromPath(path)
        change(path)
        const error = yield* AssistantClient.uploadFile({ assistantName: "docs", file }).pipe(Effect.flip)
        assert.strictEqual(error._tag, "FileSourceError", name)
        if (error._tag === "FileSourceError") {
          assert.strictEqual(error.name, name)
          assert.include(error.description, expected)
        }
      }
      assert.deepStrictEqual(yield* emulator.storedFiles("docs"), [])
      const missing = yield* NodeFileSource.fromPath(join(dir, "nowhere.pdf")).pipe(Effect.flip)
      assert.include(missing.description, "no such file")
      mkdirSync(join(dir, "folder.pdf"))
      const folder = yield* NodeFileSource.fromPath(join(dir, "folder.pdf")).pipe(Effect.flip)
      assert.include(folder.description, "is not a file")
    }).pipe(Effect.provide(Live)))
})
