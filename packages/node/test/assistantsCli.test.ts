// `pinecone-assistant assistants` end to end against the emulator: create and wait until Ready (on a
// terminal and as NDJSON), list, describe, update, delete and wait until gone; usage errors before
// sending; a failed initialization exits 1; then files go to the new assistant through discovery.
import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { join } from "node:path"
import * as NodeEmulator from "../src/NodeEmulator.js"
import { apiKey, bin, folder, type Run, run, screen } from "./cliHelpers.js"

const lines = (r: Run) => r.stdout.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))

// the control host only: every assistant's host is found through it, as against Pinecone
const withControlPlane = <A, E, R>(f: (common: ReadonlyArray<string>) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const host = yield* NodeEmulator.url
    return yield* f(["--control-host", host, "--api-key", apiKey])
  }).pipe(
    Effect.provide(
      NodeEmulator.layer({
        apiKey,
        assistantScript: new Emulator.AssistantScript({ initializingMs: 1500, terminatingMs: 1500 })
      })
    )
  )

describe("pinecone-assistant assistants", () => {
  it.live(
    "the emulator's banner names every variable it serves: with exactly those set, the assistants commands work",
    () =>
      Effect.gen(function*() {
        const banner = yield* Effect.async<string>((resume) => {
          const child = spawn(process.execPath, [
            "--conditions=source",
            "--import",
            "tsx",
            bin,
            "emulator",
            "--port",
            "0"
          ], {
            env: { PATH: process.env.PATH ?? "" },
            stdio: ["ignore", "ignore", "pipe"]
          })
          let stderr = ""
          child.stderr!.on("data", (d) => {
            stderr += d
            if (/PINECONE_API_KEY=\S+\n/.test(stderr)) {
              child.kill()
              resume(Effect.succeed(stderr))
            }
          })
          return Effect.sync(() => child.kill())
        })
        const env = Object.fromEntries(
          Array.from(banner.matchAll(/^ {2}export (PINECONE_[A-Z_]+)=(\S+)$/gm), (m) => [m[1]!, m[2]!])
        )
        assert.deepStrictEqual(Object.keys(env).sort(), [
          "PINECONE_API_KEY",
          "PINECONE_ASSISTANT_HOST",
          "PINECONE_CONTROL_HOST"
        ])
        for (const line of banner.split("\n")) assert.isAtMost(line.length, 80, line)
        // a second emulator, so that the commands run against one the test controls
        yield* Effect.gen(function*() {
          const url = yield* NodeEmulator.url
          const listed = yield* run(["assistants", "list", "--json"], {
            env: { PINECONE_CONTROL_HOST: url, PINECONE_ASSISTANT_HOST: url, PINECONE_API_KEY: apiKey }
          })
          assert.strictEqual(listed.code, 0, listed.stderr)
        }).pipe(Effect.provide(NodeEmulator.layer({ apiKey })))
      }),
    60_000
  )

  it.live("an empty variable counts as unset; the assistants commands never validate the data-plane host", () =>
    withControlPlane((common) =>
      Effect.gen(function*() {
        for (const value of ["", "not a url at all", "http://10.1.2.3:80"]) {
          const listed = yield* run(["assistants", "list", "--json", ...common], {
            env: { PINECONE_ASSISTANT_HOST: value }
          })
          assert.strictEqual(listed.code, 0, `PINECONE_ASSISTANT_HOST=${value}: ${listed.stderr}`)
        }
        // an empty key is a missing key, said as such
        const keyless = yield* run(["assistants", "list", "--control-host", common[1]!], {
          env: { PINECONE_API_KEY: "" }
        })
        assert.strictEqual(keyless.code, 2, keyless.stderr)
        assert.include(keyless.stderr, "Missing API key")
      })
    ))

  it.live(
    "create --wait, list, describe, update, upload to it, delete --wait: the first hour from the command line",
    () =>
      withControlPlane((common) =>
        Effect.gen(function*() {
          const created = yield* run(
            ["assistants", "create", "handbook", "--instructions", "Cite the handbook.", "--wait", ...common],
            { tty: true, size: { rows: 20, columns: 80 } }
          )
          assert.strictEqual(created.code, 0, created.stdout)
          const screenLines = screen(created.stdout, 20)
          assert.match(screenLines.join("\n"), /^handbook\s+Ready\s+[\d.]+s$/m)
          assert.isTrue(created.stdout.includes("Initializing"), "the screen showed it initializing first")

          const listed = yield* run(["assistants", "list", "--json", ...common])
          assert.strictEqual(listed.code, 0, listed.stderr)
          assert.deepStrictEqual(lines(listed).map((a) => [a.name, a.status]), [["handbook", "Ready"]])
          const described = yield* run(["assistants", "describe", "handbook", ...common])
          assert.include(described.stdout, "instructions  Cite the handbook.")
          assert.include(described.stdout, "status        Ready")
          const updated = yield* run([
            "assistants",
            "update",
            "handbook",
            "--metadata",
            "{\"team\":\"people\"}",
            ...common
          ])
          assert.strictEqual(updated.code, 0, updated.stderr)
          assert.include(updated.stdout, "metadata {\"team\":\"people\"}")

          // files go to it through discovery (no --host)
          const dir = yield* folder({ "guide.md": "# Guide" })
          const uploaded = yield* run([
            "files",
            "upload",
            "handbook",
            join(dir, "guide.md"),
            "--wait",
            "--json",
            ...common
          ])
          assert.strictEqual(uploaded.code, 0, uploaded.stdout + uploaded.stderr)

          const deleted = yield* run(["assistants", "delete", "handbook", "--wait", "--json", ...common])
          assert.strictEqual(deleted.code, 0, deleted.stdout + deleted.stderr)
          const events = lines(deleted).map((e) => e.event)
          assert.strictEqual(events[0], "deleting")
          assert.include(events, "assistant")
          assert.strictEqual(events.at(-1), "deleted")
          // the assistant is named as every request names it
          assert.strictEqual(lines(deleted)[0].assistantName, "handbook")
          assert.strictEqual(lines(deleted).at(-1).assistantName, "handbook")
          const gone = yield* run(["assistants", "describe", "handbook", ...common])
          assert.strictEqual(gone.code, 3, gone.stderr)
          assert.include(gone.stderr, "NotFoundError")
          const empty = yield* run(["assistants", "list", ...common])
          assert.include(empty.stderr, "No assistant in this project.")
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "usage errors exit 2 before sending; a failed initialization exits 1; a second create is exit 3",
    () =>
      withControlPlane((common) =>
        Effect.gen(function*() {
          const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
            [["assistants", "create", "Bad_Name"], "Invalid assistant name 'Bad_Name'"],
            [["assistants", "create", "kb", "--metadata", "[1]"], "must be a JSON object"],
            [["assistants", "create", "kb", "--wait", "--timeout", "soon"], "Invalid --timeout"],
            [["assistants", "update", "kb"], "Nothing to update"],
            [["assistants", "delete", "-x"], ""]
          ]
          for (const [args, message] of cases) {
            const result = yield* run([...args, ...common])
            assert.strictEqual(result.code, 2, `${args.join(" ")}: ${result.stderr}`)
            assert.include(result.stderr, message)
          }
          const none = yield* run(["assistants", "list", "--json", ...common])
          assert.strictEqual(none.stdout, "", "no usage error created an assistant")
          const emulator = yield* Emulator.Emulator
          yield* emulator.setAssistantScript(
            new Emulator.AssistantScript({ name: "broken", initializingMs: 500, outcome: "InitializationFailed" })
          )
          const failed = yield* run(["assistants", "create", "broken", "--wait", "--json", ...common])
          assert.strictEqual(failed.code, 1, failed.stderr)
          assert.include(failed.stderr, "AssistantFailedError: Assistant broken is InitializationFailed")
          const again = yield* run(["assistants", "create", "broken", ...common])
          assert.strictEqual(again.code, 3, again.stderr)
          assert.include(again.stderr, "AlreadyExistsError")
          const region = yield* run(["assistants", "create", "apac", "--region", "ap", "--json", ...common])
          assert.strictEqual(region.code, 0, region.stderr)
          assert.include(region.stderr, "warning: --region ap is not one of us, eu")
          assert.strictEqual(lines(region)[0].assistant.region, "ap")
        })
      ).pipe(Effect.scoped),
    120_000
  )
})
