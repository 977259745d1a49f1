// `pinecone-assistant files sync` end to end against the emulator: what a filter leaves out is never
// deleted, the delete guard, the plan named file by file, links that loop, a file changed mid-sync.
import * as AssistantSync from "@effect-pinecone/core/AssistantSync"
import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { crc32 } from "node:zlib"
import { folder, processing, type Run, run, screen, withEmulator } from "./cliHelpers.js"

const kb = () => {
  const files: Record<string, string> = {}
  for (let i = 0; i < 26; i++) files[`doc${i}.md`] = `# Document ${i}\n`
  for (let i = 0; i < 3; i++) files[`data${i}.json`] = `{"n":${i}}`
  return files
}
const lines = (r: Run) => r.stdout.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
const summary = (r: Run) => lines(r).at(-1)
const stored = Effect.flatMap(Emulator.Emulator, (e) => e.storedFiles("docs"))

describe("pinecone-assistant files sync", () => {
  it.live(
    "--include '*.json' --delete after a full sync deletes no Markdown: the dry run names each file's action and why",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const dir = yield* folder(kb())
          mkdirSync(join(dir, "sub"))
          writeFileSync(join(dir, "sub", "data9.json"), "{}")
          const full = yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])
          assert.strictEqual(full.code, 0, full.stderr)
          assert.strictEqual((yield* stored).length, 30)
          const sync = ["files", "sync", "docs", dir, "--set", "kb", "--delete", "--include", "*.json", ...common]
          const dry = yield* run([...sync, "--dry-run", "--include", "*.pdf"], { tty: true })
          assert.strictEqual(dry.code, 0, dry.stdout)
          const screenLines = screen(dry.stdout)
          // the pattern without / matches at any depth (sub/data9.json), the Markdown is kept
          assert.include(screenLines, "unchanged sub/data9.json  (unchanged)")
          assert.include(screenLines, "keep      doc1.md  (outside the filter)")
          assert.include(screenLines, "plan: 4 unchanged, 26 keep (dry run: nothing sent)")
          assert.include(screenLines, "warning: --include '*.pdf' matched no file")
          const json = yield* run([...sync, "--dry-run", "--exclude", "nothing*"])
          const plan = lines(json).find((e) => e.event === "plan")
          assert.strictEqual(plan.files.length, 30)
          assert.deepInclude(plan.files.find((f: { key: string }) => f.key === "doc7.md"), {
            action: "keep",
            reason: "outside the filter"
          })
          assert.deepInclude(lines(json).find((e) => e.event === "warning"), { pattern: "nothing*" })
          assert.include(json.stderr, "warning: --exclude 'nothing*' matched no file")
          const real = yield* run(sync)
          assert.strictEqual(real.code, 0, real.stderr)
          assert.deepInclude(summary(real).totals, { deleted: 0, kept: 26, unchanged: 4 })
          const excluded = yield* run([
            "files",
            "sync",
            "docs",
            dir,
            "--set",
            "kb",
            "--delete",
            "--exclude",
            "doc1*",
            ...common
          ])
          assert.deepInclude(summary(excluded).totals, { deleted: 0, kept: 11 })
          assert.strictEqual((yield* stored).length, 30, "not one file deleted")
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "the delete guard: over --max-delete, or an empty folder, deletes nothing and exits 2 naming why",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const dir = yield* folder({ "a.md": "a", "b.md": "b", "c.md": "c", "skip.exe": "MZ" })
          const sync = (d: string, ...more: ReadonlyArray<string>) =>
            run(["files", "sync", "docs", d, "--set", "kb", ...more, ...common])
          assert.strictEqual((yield* sync(dir)).code, 0)
          rmSync(join(dir, "a.md"))
          rmSync(join(dir, "b.md"))
          writeFileSync(join(dir, "c.md"), "c, revised")
          const guarded = yield* sync(dir, "--delete", "--max-delete", "1")
          assert.strictEqual(guarded.code, 2, guarded.stderr)
          assert.include(guarded.stderr, "the plan would delete 2 files, more than --max-delete 1")
          assert.deepInclude(summary(guarded).totals, { updated: 1, deleted: 0, kept: 2 })
          assert.deepStrictEqual(summary(guarded).skipped, [{
            key: "skip.exe",
            reason: "a type the API does not process",
            failed: false
          }])
          assert.strictEqual((yield* stored).length, 3)
          const empty = yield* folder({})
          const emptied = yield* sync(empty, "--delete")
          assert.strictEqual(emptied.code, 2, emptied.stderr)
          assert.include(emptied.stderr, "has no file to sync, and the plan would delete all 3 files of the set")
          assert.include(emptied.stderr, "--max-delete 3")
          assert.strictEqual((yield* stored).length, 3)
          const tty = yield* run([
            "files",
            "sync",
            "docs",
            dir,
            "--set",
            "kb",
            "--delete",
            "--max-delete",
            "1",
            ...common
          ], {
            tty: true
          })
          assert.strictEqual(tty.code, 2)
          assert.isTrue(
            screen(tty.stdout).some((l) => l.startsWith("  skipped: skip.exe (a type the API does not process)"))
          )
          const allowed = yield* sync(dir, "--delete", "--max-delete", "2")
          assert.strictEqual(allowed.code, 0, allowed.stderr)
          assert.strictEqual((yield* stored).length, 1)
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "a folder with link loops (loop -> ., sub/up -> ..) syncs and names what it skipped",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const dir = yield* folder({ "a.md": "a", ".notes.md": "a dotfile is synced, as rsync does" })
          mkdirSync(join(dir, "sub"))
          writeFileSync(join(dir, "sub", "b.md"), "b")
          symlinkSync(".", join(dir, "loop"))
          symlinkSync("..", join(dir, "sub", "up"))
          const result = yield* run(["files", "sync", "docs", dir, ...common])
          assert.strictEqual(result.code, 0, result.stderr)
          assert.deepInclude(summary(result).totals, { created: 3 })
          // each file is queued (its turn, the rate budget), then sending when its bytes leave
          for (const key of [".notes.md", "a.md", "sub/b.md"]) {
            const events = lines(result).filter((e) => e.key === key).map((e) => e.event)
            assert.deepStrictEqual(events.slice(0, 3), ["queued", "sending", "sent"], key)
          }
          assert.deepStrictEqual(summary(result).skipped.map((s: { key: string }) => s.key), ["loop", "sub/up"])
        })
      ).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "usage nits: --max-delete without --delete, and a missing file said in words",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const dir = yield* folder({ "a.md": "a" })
          const guard = yield* run(["files", "sync", "docs", dir, "--max-delete", "1", ...common])
          assert.strictEqual(guard.code, 2, guard.stderr)
          assert.include(guard.stderr, "--max-delete needs --delete")
          const missing = yield* run(["files", "upload", "docs", join(dir, "missing.md"), ...common])
          assert.strictEqual(missing.code, 2, missing.stderr)
          assert.include(missing.stderr, "missing.md: no such file")
          assert.notInclude(missing.stderr, "FileSystem.")
        })
      ).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "a file skipped for an error (a link to nothing) makes a partial sync, exit 1; one skipped by design is a warning",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const dir = yield* folder({ "a.md": "a" })
          symlinkSync("missing.md", join(dir, "broken.md"))
          const result = yield* run(["files", "sync", "docs", dir, ...common])
          assert.strictEqual(result.code, 1, result.stderr)
          assert.include(result.stderr, "could not be read: the sync is partial")
          assert.deepInclude(summary(result).totals, { created: 1 })
          assert.deepStrictEqual(summary(result).skipped, [
            { key: "broken.md", reason: "unreadable, or a link to nothing", failed: true }
          ])
        })
      ).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "two folders of one name (a/docs, b/docs) with --delete: the second refuses (exit 2) naming both, unless --set",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const root = yield* folder({})
          for (const [side, file] of [["a", "one.md"], ["b", "two.md"]] as const) {
            mkdirSync(join(root, side, "docs"), { recursive: true })
            writeFileSync(join(root, side, "docs", file), side)
          }
          const a = join(root, "a", "docs")
          const b = join(root, "b", "docs")
          const first = yield* run(["files", "sync", "docs", a, "--delete", ...common])
          assert.strictEqual(first.code, 0, first.stderr)
          const second = yield* run(["files", "sync", "docs", b, "--delete", ...common])
          assert.strictEqual(second.code, 2, second.stderr)
          assert.include(second.stderr.replace(/\s+/g, " "), a)
          assert.include(second.stderr.replace(/\s+/g, " "), b)
          assert.deepStrictEqual((yield* stored).map((f) => f.name), ["one.md"], "nothing was deleted or sent")
          // without --delete nothing of a's is at risk of deletion; named explicitly, the set is b's to take
          const named = yield* run(["files", "sync", "docs", b, "--delete", "--set", "docs", ...common])
          assert.strictEqual(named.code, 0, named.stderr)
          assert.deepStrictEqual((yield* stored).map((f) => f.name), ["two.md"])
        })
      ).pipe(Effect.scoped),
    60_000
  )

  it.live("a file changed while its upsert is retried is stored under the hash of the bytes sent", () => {
    let emulator: Emulator.Service | undefined
    let path = ""
    let state: "idle" | "armed" | "done" = "idle"
    return withEmulator(
      (common) =>
        Effect.gen(function*() {
          emulator = yield* Emulator.Emulator
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const dir = yield* folder({ "page.md": "old!" })
          path = join(dir, "page.md")
          assert.strictEqual((yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])).code, 0)
          writeFileSync(path, "mid!")
          state = "armed"
          const result = yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])
          assert.strictEqual(result.code, 0, result.stderr)
          assert.strictEqual(state, "done", "the file was changed between the plan and the retried upsert")
          const file = (yield* stored)[0]!
          assert.strictEqual(file.crc32, crc32("new!").toString(16).padStart(8, "0"))
          assert.strictEqual(
            file.metadata?.[AssistantSync.metadataKeys.sha256],
            createHash("sha256").update("new!").digest("hex"),
            "the stored label is the hash of the bytes stored"
          )
          writeFileSync(path, "mid!")
          const reverted = yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])
          assert.deepInclude(summary(reverted).totals, { updated: 1 })
        }),
      {
        // when the plan's listing is answered, the next request (the upsert) gets a 503; as it is
        // answered, the file changes (the same size), and the client's retry reads the new bytes
        onResponse: (e) => {
          if (state !== "armed" || emulator === undefined) return
          if (e.method === "GET" && e.path.startsWith("/assistant/files/docs")) {
            Effect.runSync(
              emulator.setFaults(new Emulator.Faults({ failNext: { count: 1, status: 503, code: "UNAVAILABLE" } }))
            )
          } else if (e.method === "PUT" && e.status === 503) {
            writeFileSync(path, "new!")
            state = "done"
          }
        }
      }
    ).pipe(Effect.scoped)
  }, 60_000)
})
