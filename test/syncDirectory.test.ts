// syncDirectory on real folders (links, loops, dotfiles, unsupported types) against the in-memory
// emulator on the TestClock.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantSync from "@effect-pinecone/core/AssistantSync"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

const folder = (files: Record<string, string>, links: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "effect-pinecone-sync-"))
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true })
        writeFileSync(join(dir, name), content)
      }
      for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name))
      return dir
    }),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const setup = Effect.gen(function*() {
  const emulator = yield* Emulator.make()
  yield* emulator.createAssistant("docs")
  yield* emulator.setProcessing(new Emulator.ProcessingScript({ durationMs: 1000, outcome: "Completed" }))
  const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
    .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator))))
  return { emulator, client }
})

/** Runs a sync with the TestClock moved on until it ends (the walk's file I/O happens between steps). */
const sync = (client: AssistantClient.Service, options: Omit<AssistantSync.DirectoryOptions, "assistantName">) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(
      AssistantSync.syncDirectory({ assistantName: "docs", ...options }).pipe(
        Effect.provideService(AssistantClient.AssistantClient, client),
        Effect.provide(NodeContext.layer)
      )
    )
    for (let i = 0; i < 100_000; i++) {
      const exit = fiber.unsafePoll()
      if (exit !== null) {
        return yield* Exit.matchEffect(exit, { onFailure: Effect.failCause, onSuccess: Effect.succeed })
      }
      yield* TestClock.adjust("500 millis")
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage("the sync did not end")
  })

describe("AssistantSync.syncDirectory on real folders", () => {
  it.scoped(
    "a link loop (loop -> ., sub/up -> ..) is skipped, not walked forever; a link outside is not followed",
    () =>
      Effect.gen(function*() {
        const outside = yield* folder({ "secret.md": "# not for the assistant" })
        const dir = yield* folder(
          { "a.md": "a", "sub/b.md": "b", ".hidden/notes.md": "dot", "image.png": "PNG", ".env.json": "{}" },
          { "loop": ".", "sub/up": "..", "out": outside, "alias": "sub", "outfile.md": join(outside, "secret.md") }
        )
        const { client, emulator } = yield* setup
        const report = yield* sync(client, { directory: dir, set: "kb" })
        const keys = report.plan.map((p) => p.key).sort()
        // dotfiles are included, as rsync and aws s3 sync include them; a link inside the folder is followed
        assert.deepStrictEqual(keys, [".env.json", ".hidden/notes.md", "a.md", "sub/b.md"])
        const skipped = Object.fromEntries(report.skipped.map((s) => [s.key, s.reason]))
        assert.deepStrictEqual(skipped, {
          "alias": "a link to a folder walked already",
          "image.png": "a type the API does not process",
          "loop": "a link back to a folder it is in (a loop)",
          "out": "a link that leads outside the folder (not followed)",
          "outfile.md": "a link that leads outside the folder (not followed)",
          "sub/up": "a link back to a folder it is in (a loop)"
        })
        assert.strictEqual((yield* emulator.storedFiles("docs")).length, 4)
        // asked to follow: the outside folder's file comes in under the link's key, still no loop
        const followed = yield* sync(client, { directory: dir, set: "kb", followLinks: true, dryRun: true })
        assert.deepStrictEqual(
          followed.plan.filter((p) => p.action === "create").map((p) => p.key).sort(),
          ["out/secret.md", "outfile.md"]
        )
      }),
    60_000
  )

  it.scoped(
    "--include '*.json' --delete after a full sync deletes no Markdown; an unmatched pattern is named",
    () =>
      Effect.gen(function*() {
        const files: Record<string, string> = {}
        for (let i = 0; i < 26; i++) files[`doc${i}.md`] = `# ${i}`
        for (let i = 0; i < 3; i++) files[`sub/data${i}.json`] = `{"n":${i}}`
        const dir = yield* folder(files)
        const { client, emulator } = yield* setup
        const full = yield* sync(client, { directory: dir, set: "kb" })
        assert.strictEqual(full.totals.created, 29)
        const json = yield* sync(client, { directory: dir, set: "kb", delete: true, include: ["*.json", "*.pdf"] })
        assert.deepInclude(json.totals, { unchanged: 3, kept: 26, deleted: 0 })
        assert.deepStrictEqual(json.unmatchedPatterns, ["*.pdf"])
        const excluded = yield* sync(client, { directory: dir, set: "kb", delete: true, exclude: ["doc1*"] })
        assert.deepInclude(excluded.totals, { kept: 11, deleted: 0, unchanged: 18 })
        assert.strictEqual((yield* emulator.storedFiles("docs")).length, 29)
        // an emptied folder (an unmounted disk, say) deletes nothing without maxDelete
        const empty = yield* folder({})
        const guarded = yield* sync(client, { directory: empty, set: "kb", delete: true })
        assert.strictEqual(guarded.deleteGuard._tag === "Some" && guarded.deleteGuard.value._tag, "EmptySource")
        assert.strictEqual((yield* emulator.storedFiles("docs")).length, 29)
      }),
    60_000
  )

  it.scoped(
    "names in any script sync as written: both spellings of café.md are two files with two ids",
    () =>
      Effect.gen(function*() {
        const nfc = "caf\u00e9.md"
        const nfd = "cafe\u0301.md"
        const dir = yield* folder({
          [nfc]: "composed",
          [nfd]: "decomposed",
          "日本語.md": "# 日本",
          "📄 notes.txt": "n"
        })
        const { client, emulator } = yield* setup
        const report = yield* sync(client, { directory: dir, set: "kb" })
        assert.deepInclude(report.totals, { created: 4, failed: 0 }, JSON.stringify(report.files))
        const stored = yield* emulator.storedFiles("docs")
        assert.deepStrictEqual(stored.map((f) => f.name).sort(), [nfc, nfd, "日本語.md", "📄 notes.txt"].sort())
        assert.strictEqual(new Set(stored.map((f) => f.id)).size, 4)
        const again = yield* sync(client, { directory: dir, set: "kb" })
        assert.deepInclude(again.totals, { unchanged: 4 })
      }),
    60_000
  )
})
