// `pinecone-assistant files wait` under a pseudo-terminal and as NDJSON: files waited on by id.
import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { join } from "node:path"
import { folder, processing, type Run, run, screen, withEmulator } from "./cliHelpers.js"

const lines = (r: Run) => r.stdout.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))

describe("pinecone-assistant files wait", () => {
  it.live(
    "by id: a line per file on a terminal, NDJSON off one; a failed file exits 1 naming its message once",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 1500, outcome: "Completed" })
          yield* processing({
            fileName: "scan.pdf",
            durationMs: 500,
            outcome: "Failed",
            errorMessage: "Scanned page unreadable"
          })
          const dir = yield* folder({ "guide.md": "# g", "scan.pdf": "%PDF" })
          for (const [id, name] of [["guide", "guide.md"], ["scan", "scan.pdf"]] as const) {
            const upserted = yield* run(["files", "upsert", "docs", id, join(dir, name), ...common])
            assert.strictEqual(upserted.code, 0, upserted.stderr)
          }
          const tty = yield* run(["files", "wait", "docs", "guide", "scan", ...common], {
            tty: true,
            size: { rows: 20, columns: 80 }
          })
          assert.strictEqual(tty.code, 1, tty.stdout)
          const final = screen(tty.stdout, 20)
          assert.match(final.join("\n"), /^guide\s+Available\s+[\d.]+s$/m)
          assert.match(final.join("\n"), /^scan\s+ProcessingFailed\s+[\d.]+s$/m)
          assert.include(final.join("\n"), "files: 1 available, 1 failed")
          assert.strictEqual(final.filter((l) => l.includes("Scanned page unreadable")).length, 1, final.join("\n"))

          const json = yield* run(["files", "wait", "docs", "guide", "scan", "--json", ...common])
          assert.strictEqual(json.code, 1, json.stderr)
          const events = lines(json)
          assert.deepStrictEqual(events.filter((e) => e.event === "file").map((e) => e.file.id).sort(), [
            "guide",
            "scan"
          ])
          const summary = events.at(-1)
          assert.deepStrictEqual(summary.available, ["guide"])
          assert.strictEqual(summary.failed[0].fileId, "scan")
          assert.include(summary.failed[0].message, "Scanned page unreadable")
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "a file still processing when the budget runs out exits 4; an unknown file 3; a bad id 2",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 3_600_000, outcome: "Completed" })
          const dir = yield* folder({ "slow.md": "s" })
          yield* run(["files", "upsert", "docs", "slow", join(dir, "slow.md"), ...common])
          const slow = yield* run(["files", "wait", "docs", "slow", "--timeout", "1s", "--json", ...common])
          assert.strictEqual(slow.code, 4, slow.stderr)
          assert.deepStrictEqual(lines(slow).at(-1).processing, ["slow"])
          const missing = yield* run(["files", "wait", "docs", "nobody", ...common])
          assert.strictEqual(missing.code, 3, missing.stderr)
          // an assistant that does not exist: exit 3, and one line on stderr naming it, text or --json
          for (const json of [[], ["--json"]]) {
            const ghost = yield* run(["files", "wait", "ghost", "f1", ...json, ...common])
            assert.strictEqual(ghost.code, 3, ghost.stderr)
            assert.include(ghost.stderr, "ghost")
            assert.strictEqual(ghost.stderr.trim().split("\n").length, 1, ghost.stderr)
          }
          const bad = yield* run(["files", "wait", "docs", "no/slash", ...common])
          assert.strictEqual(bad.code, 2, bad.stderr)
          const emulator = yield* Emulator.Emulator
          assert.strictEqual((yield* emulator.storedFiles("docs")).length, 1)
        })
      ).pipe(Effect.scoped),
    120_000
  )
})
