// The live display under a pseudo-terminal of 20 rows: more files than rows never flood the
// scrollback; finished files become permanent lines once, and the rest fits with "+N more".
import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { join } from "node:path"
import { folder, processing, run, screen, withEmulator } from "./cliHelpers.js"

const files = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`doc-${String(i).padStart(2, "0")}.md`, `# Doc ${i}\n`]))

const size = { rows: 20, columns: 80 }

describe("pinecone-assistant's live display in a 20-row terminal", () => {
  it.live(
    "files upload --wait of 33 files: each file's last line once, the screen never repeated",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 1500, outcome: "Completed" })
          const dir = yield* folder(files(33))
          const paths = Object.keys(files(33)).map((name) => join(dir, name))
          const result = yield* run(["files", "upload", "docs", ...paths, "--wait", ...common], { tty: true, size })
          assert.strictEqual(result.code, 0, result.stdout)
          const final = screen(result.stdout, size.rows)
          for (const name of Object.keys(files(33))) {
            // at 80 columns a long path keeps its end: the file's name
            const mine = final.filter((l) => l.includes(`/${name} `))
            assert.strictEqual(mine.length, 1, `${name}:\n${final.join("\n")}`)
            assert.isAtMost(mine[0]!.length, 79)
            assert.match(mine[0]!, /done\s+file file-\S+ op-/)
          }
          assert.isAtMost(final.length, 33 + 3, final.join("\n"))
          assert.isTrue(final.some((l) => /^\+\d+ more$/.test(l)) === false, "no +N more is left at the end")
          assert.isTrue(
            screen(result.stdout.slice(0, Math.floor(result.stdout.length / 2)), size.rows).some((l) =>
              /^\+\d+ more$/.test(l)
            ),
            "while many are live, the rest is summed up"
          )
          assert.include(final.join("\n"), "upload: 33 completed, 0 failed")
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "files sync of 60 files: each sent file once, within the screen",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 1000, outcome: "Completed" })
          const dir = yield* folder(files(60))
          const result = yield* run(["files", "sync", "docs", dir, "--concurrency", "8", ...common], {
            tty: true,
            size
          })
          assert.strictEqual(result.code, 0, result.stdout)
          const final = screen(result.stdout, size.rows)
          for (const name of Object.keys(files(60))) {
            assert.strictEqual(final.filter((l) => l.includes(name)).length, 1, `${name}:\n${final.join("\n")}`)
          }
          assert.isAtMost(final.length, 60 + 4, final.join("\n"))
          assert.include(final.join("\n"), "60 created")
        })
      ).pipe(Effect.scoped),
    120_000
  )
})

describe("pinecone-assistant files sync at 80 columns", () => {
  it.live(
    "a long key keeps its end and its outcome; no line is wider than 80",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const key = "setting-up-your-development-environment-for-the-new-edition-of-the-handbook.md"
          const dir = yield* folder({ [key]: "# Setup\n", "short.md": "s" })
          const result = yield* run(["files", "sync", "docs", dir, ...common], { tty: true, size })
          assert.strictEqual(result.code, 0, result.stdout)
          const final = screen(result.stdout, size.rows)
          const line = final.find((l) => l.includes("of-the-handbook.md"))
          assert.isDefined(line, final.join("\n"))
          assert.match(line!, /^…\S*of-the-handbook\.md\s+created$/)
          for (const l of [...final, ...screen(result.stderr ?? "", size.rows)]) {
            assert.isAtMost(l.length, 80, l)
          }
          assert.include(final.join("\n"), "sync")
        })
      ).pipe(Effect.scoped),
    60_000
  )
})

describe("pinecone-assistant operations watch on a terminal", () => {
  it.live(
    "each operation shows its own elapsed time, and a failure is reported once",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const create = (id: string, outcome: "Completed" | "Failed", durationMs: number) =>
            emulator.create(
              new Emulator.CreateOperation({ assistantName: "docs", id, durationMs, outcome, errorMessage: "bad scan" })
            )
          yield* create("op-first", "Completed", 3_600_000)
          yield* create("op-second", "Completed", 3_600_000)
          yield* create("op-broken", "Failed", 3_600_000)
          // op-first (and op-broken) are ended once the screen shows them; op-second once op-first is shown done
          let step = 0
          const result = yield* run(["operations", "watch", "docs", ...common], {
            tty: true,
            size: { rows: 20, columns: 100 },
            onOutput: (output, e) => {
              if (e === undefined) return
              if (step === 0 && output.includes("op-first")) {
                step = 1
                Effect.runFork(e.finish("docs", "op-first", "Completed"))
                Effect.runFork(e.finish("docs", "op-broken", "Failed", "bad scan"))
              } else if (step === 1 && /op-first\s+\[#+\] 100% Completed/.test(output)) {
                step = 2
                Effect.runFork(e.finish("docs", "op-second", "Completed"))
              }
            }
          })
          assert.strictEqual(result.code, 1, result.stdout)
          const final = screen(result.stdout, 20)
          const seconds = (id: string) => Number(/ ([\d.]+)s$/.exec(final.find((l) => l.startsWith(id))!)![1])
          assert.isBelow(seconds("op-first"), seconds("op-second"), final.join("\n"))
          assert.strictEqual(final.filter((l) => l.includes("bad scan")).length, 1, final.join("\n"))
          assert.strictEqual(final.filter((l) => /operation\(s\) failed/.test(l)).length, 0, final.join("\n"))
          assert.include(final.join("\n"), "2 completed, 1 failed")
        })
      ).pipe(Effect.scoped),
    60_000
  )
})
