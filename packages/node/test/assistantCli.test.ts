import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { apiKey, bin, folder, processing, type Run, run, screen, withEmulator } from "./cliHelpers.js"

describe("pinecone-assistant", () => {
  it.live(
    "files upload interrupted by Ctrl-C says which files were stored and how not to store them twice",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* processing({ durationMs: 3_600_000, outcome: "Completed" })
          const dir = yield* folder({ "a.md": "a", "b.md": "b" })
          const result = yield* Effect.async<{ code: number | null; stderr: string; stdout: string }>((resume) => {
            const child = spawn(process.execPath, [
              "--conditions=source",
              "--import",
              "tsx",
              bin,
              "files",
              "upload",
              "docs",
              join(dir, "a.md"),
              join(dir, "b.md"),
              "--wait",
              ...common
            ], { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] })
            let stdout = ""
            let stderr = ""
            let sent = false
            child.stdout!.on("data", (d) => {
              stdout += d
              // both uploads started (their operations are processing): Ctrl-C
              if (!sent && (stdout.match(/"event":"started"/g) ?? []).length === 2) {
                sent = true
                child.kill("SIGINT")
              }
            })
            child.stderr!.on("data", (d) => (stderr += d))
            child.on("close", (code) => resume(Effect.succeed({ code, stderr, stdout })))
            return Effect.sync(() => child.kill("SIGKILL"))
          })
          assert.strictEqual(result.code, 130, result.stderr)
          assert.include(result.stderr, "interrupted: 2 file(s) were sent and are stored")
          const stored = yield* Effect.flatMap(Emulator.Emulator, (e) => e.storedFiles("docs"))
          for (const file of stored) assert.include(result.stderr, file.id)
          assert.include(result.stderr, "files upsert")
        })
      ).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "files upload --wait on a terminal: a line per file, bytes then percent, then a summary naming the failed file",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const dir = yield* folder({ "guide.md": "# Guide\n".repeat(60_000), "scan.pdf": "%PDF-1.4 scan" })
          // guide.md processes until the test ends it; scan.pdf fails at once with a message
          yield* processing({ durationMs: 3_600_000, outcome: "Completed" })
          yield* processing({
            fileName: "scan.pdf",
            durationMs: 0,
            outcome: "Failed",
            errorMessage: "Scanned page unreadable"
          })
          let finished = false
          const result = yield* run(
            ["files", "upload", "docs", join(dir, "guide.md"), join(dir, "scan.pdf"), "--wait", ...common],
            {
              tty: true,
              onOutput: (output, emulator) => {
                // the screen shows guide.md processing: end its operation through the emulator
                const match = /guide\.md processing .*?(op-\S+)/.exec(output)
                if (finished || match === null || emulator === undefined) return
                finished = true
                Effect.runFork(emulator.finish("docs", match[1]!, "Completed"))
              }
            }
          )
          assert.strictEqual(result.code, 1, result.stdout)
          const raw = result.stdout
          // the bytes sent came first, then the processing percent, with a moving elapsed time
          assert.match(raw, /guide\.md\s+sending\s+\[[#-]+\]\s+\d+% [\d.]+\/0\.5 MB [\d.]+s/)
          assert.match(raw, /guide\.md\s+processing \[[#-]+\]\s+\d+% op-\S+ [\d.]+s/)
          assert.isBelow(raw.indexOf("guide.md sending"), raw.indexOf("guide.md processing"))
          const final = screen(raw)
          const guide = final.findIndex((l) => l.includes("guide.md"))
          const scan = final.findIndex((l) => l.includes("scan.pdf"))
          assert.isBelow(guide, scan, "the files keep the order they were given in")
          // the new file's id, then its operation
          assert.match(final[guide]!, /guide\.md\s+done\s+file file-\S+ op-\S+ [\d.]+s$/)
          assert.match(final[scan]!, /scan\.pdf\s+failed\s+op-\S+: Scanned page unreadable/)
          assert.include(final.join("\n"), "upload: 1 completed, 1 failed")
          assert.match(final.join("\n"), /failed: \S*scan\.pdf/)
          assert.include(final.at(-1)!, "1 file(s) failed processing")
          assert.strictEqual(final.filter((l) => l.includes("guide.md")).length, 1, final.join("\n"))
          assert.notInclude(raw, apiKey)
        })
      ).pipe(Effect.scoped),
    90_000
  )

  it.live(
    "files upload off a terminal: NDJSON events; upsert, describe, list (filter), delete --wait; an empty list says so",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const dir = yield* folder({ "a.md": "# A", "b.txt": "b" })
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const up = yield* run([
            "files",
            "upload",
            "docs",
            join(dir, "a.md"),
            join(dir, "b.txt"),
            "--metadata",
            "{\"team\":\"docs\"}",
            "--wait",
            "--concurrency",
            "1",
            ...common
          ])
          assert.strictEqual(up.code, 0, up.stderr)
          const events = up.stdout.trim().split("\n").map((l) => JSON.parse(l))
          assert.deepStrictEqual(events.at(-1), {
            event: "summary",
            completed: [join(dir, "a.md"), join(dir, "b.txt")],
            failed: [],
            errors: [],
            processing: []
          })
          for (const kind of ["sending", "started"]) {
            assert.isTrue(events.some((e) => e.event === kind), kind)
          }
          const upsert = yield* run(["files", "upsert", "docs", "handbook", join(dir, "a.md"), "--json", ...common])
          assert.strictEqual(upsert.code, 0, upsert.stderr)
          const described = yield* run(["files", "describe", "docs", "handbook", "--json", ...common])
          assert.strictEqual(described.code, 0, described.stderr)
          assert.strictEqual(JSON.parse(described.stdout).name, "a.md")
          const listed = yield* run(["files", "list", "docs", "--filter", "{\"team\":{\"$eq\":\"docs\"}}", ...common])
          assert.strictEqual(listed.code, 0, listed.stderr)
          assert.strictEqual(listed.stdout.trim().split("\n").length, 2, listed.stdout)
          assert.match(listed.stdout, /Available\s+\d+ a\.md/)
          const removed = yield* run(["files", "delete", "docs", "handbook", "--wait", "--json", ...common])
          assert.strictEqual(removed.code, 0, removed.stderr)
          assert.deepInclude(JSON.parse(removed.stdout.trim().split("\n").at(-1)!), { completed: ["handbook"] })
          const none = yield* run(["files", "list", "docs", "--filter", "{\"team\":\"nobody\"}", ...common])
          assert.strictEqual(none.code, 0)
          assert.strictEqual(none.stdout, "")
          assert.include(none.stderr, "No file of docs matches the filter.")
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "usage errors exit 2 before anything is sent: a missing file, an unsupported extension, metadata over 16 KB, a bad --timeout",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const dir = yield* folder({ "ok.md": "# ok", "tool.exe": "MZ" })
          const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
            [[join(dir, "ok.md"), join(dir, "missing.md")], "Cannot read"],
            [[join(dir, "ok.md"), join(dir, "tool.exe")], "Unsupported file type: tool.exe"],
            [[dir], `is a folder: to send its files, use pinecone-assistant files sync docs ${dir}`],
            [[join(dir, "ok.md"), "--metadata", JSON.stringify({ note: "x".repeat(16_400) })], "Invalid --metadata"],
            [[join(dir, "ok.md"), "--metadata", "[1,2]"], "must be a JSON object"],
            [[join(dir, "ok.md"), "--wait", "--timeout", "5 parsecs"], "90s, 10m, 1h30m, 10 minutes or infinity"]
          ]
          for (const [args, message] of cases) {
            const result = yield* run(["files", "upload", "docs", ...args, ...common])
            assert.strictEqual(result.code, 2, `${args.join(" ")}: ${result.stderr}`)
            assert.include(result.stderr, message)
            assert.strictEqual(result.stderr.trim().split("\n").length, 1, result.stderr)
          }
          const stored = yield* Effect.flatMap(Emulator.Emulator, (e) => e.storedFiles("docs"))
          assert.strictEqual(stored.length, 0, "nothing was sent")
          const accepted = yield* run(["files", "upload", "docs", join(dir, "ok.md"), "--timeout", "1h30m", ...common])
          assert.strictEqual(accepted.code, 0, accepted.stderr)
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "a host the client cannot use is a usage error before sending: no scheme on loopback, plain http elsewhere",
    () =>
      Effect.gen(function*() {
        const bare = yield* run(["files", "list", "docs", "--host", "127.0.0.1:4100", "--api-key", "some-key"])
        assert.strictEqual(bare.code, 2, bare.stderr)
        assert.include(bare.stderr, "did you mean http://127.0.0.1:4100?")
        const insecure = yield* run([
          "files",
          "list",
          "docs",
          "--host",
          "http://files.example:80",
          "--api-key",
          "some-key"
        ])
        assert.strictEqual(insecure.code, 2, insecure.stderr)
        assert.include(insecure.stderr, "pass --allow-insecure")
        assert.notInclude(insecure.stderr, "allowInsecure")
        const control = yield* run(["files", "list", "docs", "--api-key", "some-key"], {
          env: { PINECONE_CONTROL_HOST: "localhost:4100" }
        })
        assert.strictEqual(control.code, 2, control.stderr)
        assert.include(control.stderr, "--control-host localhost:4100: no scheme (did you mean http://localhost:4100?)")
      }),
    60_000
  )

  it.live(
    "help at 80 columns: the commands with one-line descriptions, the common options once, optional things in brackets, examples",
    () =>
      Effect.gen(function*() {
        const fits = (text: string) =>
          text.split("\n").forEach((line) => assert.isAtMost(line.length, 80, `longer than 80 columns: ${line}`))
        const root = yield* run(["--help"])
        assert.strictEqual(root.code, 0)
        fits(root.stdout)
        assert.match(root.stdout, /^ {2}files upload {2,}Upload files$/m)
        assert.match(root.stdout, /^ {2}files sync {2,}Make the assistant's files of this set equal to a folder$/m)
        assert.match(root.stdout, /^ {2}operations watch {2,}\S/m)
        assert.strictEqual(root.stdout.split("--max-requests-per-second").length - 1, 1, "the common options once")
        assert.include(root.stdout, "Examples:")
        assert.deepStrictEqual((yield* run([])).stdout, root.stdout, "no command: the same help")
        const files = yield* run(["files", "--help"])
        fits(files.stdout)
        assert.match(files.stdout, /^ {2}upsert {2,}Create or replace a file under an id of your own$/m)
        const upload = yield* run(["files", "upload", "--help"])
        assert.strictEqual(upload.code, 0)
        fits(upload.stdout)
        assert.include(upload.stdout, "Usage: pinecone-assistant files upload [--json] [--metadata JSON]")
        assert.include(upload.stdout, "<assistant> <path>...")
        assert.include(upload.stdout, "--timeout DURATION")
        assert.include(upload.stdout, "(default 4)")
        assert.include(upload.stdout, "$ pinecone-assistant files upload docs handbook.pdf notes.md --wait")
        assert.notInclude(upload.stdout, "A user-defined piece of text")
        assert.notInclude(upload.stdout, "--api-key KEY", "the common options are named, not repeated")
        // eslint-disable-next-line no-control-regex
        assert.notMatch(upload.stdout, /\u001b\[/)
        const sync = yield* run(["files", "sync", "docs", "--host", "x", "--help"])
        fits(sync.stdout)
        assert.match(sync.stdout, /\[--include GLOB\]\.\.\.\s+\[--exclude GLOB\]\.\.\./)
        assert.include(sync.stdout, "$ pinecone-assistant files sync docs ./handbook --dry-run")
        const emulator = yield* run(["emulator", "--port", "4100", "--help"])
        fits(emulator.stdout)
        assert.include(emulator.stdout, "Usage: pinecone-assistant emulator")
        assert.include(emulator.stdout, "default 4100")
        assert.include(emulator.stdout, "default local-key")
        const wait = yield* run(["operations", "wait", "--help"])
        assert.include(wait.stdout, "Usage: pinecone-assistant operations wait")
        assert.include(wait.stdout, "default 30m")
      }),
    60_000
  )

  it.live(
    "a typo is a usage error naming the nearest word at its level, before anything is read as a path",
    () =>
      Effect.gen(function*() {
        const option = yield* run(["files", "upload", "demo", "page1.md", "--wiat"])
        assert.strictEqual(option.code, 2)
        assert.include(
          option.stderr,
          "Unknown option --wiat for pinecone-assistant files upload (did you mean --wait?)"
        )
        assert.notInclude(option.stderr, "Cannot read")
        const command = yield* run(["files", "uplod", "demo", "page1.md"])
        assert.strictEqual(command.code, 2)
        assert.include(command.stderr, "(did you mean upload?)")
        assert.include(command.stderr, "upload, upsert, delete, describe, list, sync")
        const group = yield* run(["operatons", "list", "demo"])
        assert.include(group.stderr, "(did you mean operations?)")
        // a value that looks like nothing known is still a value: --metadata takes the next word
        const value = yield* run(["files", "upload", "demo", "--timeout", "--wait"])
        assert.notInclude(value.stderr, "Unknown option")
      }),
    60_000
  )

  it.live(
    "operations list warns of an unknown --status and says when nothing matched; watch names what is still processing",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const list = yield* run(["operations", "list", "docs", "--status", "Pending", ...common])
          assert.strictEqual(list.code, 0, list.stderr)
          assert.include(list.stderr, "warning: --status Pending is not one of Processing, Completed, Failed")
          assert.include(list.stderr, "No operation of docs matches Pending.")
          // another case of a known status: the likely meaning is named
          const lower = yield* run(["operations", "list", "docs", "--status", "processing", ...common])
          assert.include(
            lower.stderr,
            "--status processing is not one of Processing, Completed, Failed (did you mean Processing?)"
          )
          yield* Effect.flatMap(Emulator.Emulator, (e) =>
            e.create(
              new Emulator.CreateOperation({
                assistantName: "docs",
                id: "op-slow",
                durationMs: 3_600_000,
                outcome: "Completed"
              })
            ))
          const watch = yield* run(["operations", "watch", "docs", "--timeout", "1s", ...common])
          assert.strictEqual(watch.code, 4, watch.stderr)
          assert.include(watch.stderr, "still processing: op-slow")
        })
      ),
    60_000
  )

  it.live(
    "files sync: the plan, then created; again: nothing sent; changed, removed and --delete; a failed file exits 1",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const dir = yield* folder({ "a.md": "a", "b.md": "b", "c.txt": "c", "skip.exe": "MZ" })
          yield* processing({ durationMs: 0, outcome: "Completed" })
          const summary = (r: Run) => JSON.parse(r.stdout.trim().split("\n").at(-1)!)
          const first = yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])
          assert.strictEqual(first.code, 0, first.stderr)
          assert.strictEqual(JSON.parse(first.stdout.split("\n")[0]!).event, "plan")
          assert.deepInclude(summary(first).totals, { created: 3, failed: 0 })
          const stored = () => Effect.flatMap(Emulator.Emulator, (e) => e.storedFiles("docs"))
          assert.strictEqual((yield* stored()).length, 3, "the .exe is not part of the set")
          const again = yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])
          assert.deepInclude(summary(again).totals, { unchanged: 3, created: 0, updated: 0 })
          writeFileSync(join(dir, "a.md"), "a, revised")
          rmSync(join(dir, "b.md"))
          const dry = yield* run(["files", "sync", "docs", dir, "--set", "kb", "--delete", "--dry-run", ...common])
          assert.strictEqual(dry.code, 0, dry.stderr)
          assert.strictEqual((yield* stored()).length, 3, "a dry run sends nothing")
          const changed = yield* run(["files", "sync", "docs", dir, "--set", "kb", "--delete", ...common])
          assert.strictEqual(changed.code, 0, changed.stderr)
          assert.deepInclude(summary(changed).totals, { updated: 1, deleted: 1, unchanged: 1 })
          assert.strictEqual((yield* stored()).length, 2)
          writeFileSync(join(dir, "scan.pdf"), "%PDF")
          yield* processing({ fileName: "scan.pdf", durationMs: 0, outcome: "Failed", errorMessage: "Unreadable scan" })
          const failing = yield* run(["files", "sync", "docs", dir, "--set", "kb", ...common])
          assert.strictEqual(failing.code, 1, failing.stderr)
          assert.include(failing.stdout, "Unreadable scan")
        })
      ).pipe(Effect.scoped),
    120_000
  )
})
