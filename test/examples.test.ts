import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { exec } from "./helpers.js"

const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url))

const run = (file: string, args: ReadonlyArray<string>, env: Record<string, string>) =>
  exec(process.execPath, ["--conditions=source", "--import", "tsx", file, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env }
  })

describe("examples/ run against the emulator", () => {
  it.live(
    "upload and wait (host discovered), describe, wait, watch (env config), the test layer and the in-process emulator",
    () =>
      Effect.gen(function*() {
        const host = yield* NodeEmulator.url
        const env = { PINECONE_API_KEY: "local-key", PINECONE_ASSISTANT_HOST: host }
        // no data-plane host: the upload example finds the assistant's host through the control plane
        const discovering = { PINECONE_API_KEY: "local-key", PINECONE_CONTROL_HOST: host }
        const [uploaded, describeOk, describeMissing, wait, waitFailed, watch, testLayer, emulator] = yield* Effect.all(
          [
            run(example("upload-and-wait.ts"), ["demo", example("../README.md")], discovering),
            run(example("describe.ts"), ["demo", "op-done"], env),
            run(example("describe.ts"), ["demo", "op-nope"], env),
            run(example("wait.ts"), ["demo", "op-upload-5s"], env),
            run(example("wait.ts"), ["demo", "op-fail-40"], env),
            run(example("watch.ts"), ["demo", "op-upload-5s"], env),
            run(example("test-layer.ts"), [], {}),
            run(example("emulator.ts"), [], {})
          ],
          { concurrency: 2 }
        )
        for (const r of [uploaded, describeOk, describeMissing, wait, waitFailed, watch, testLayer, emulator]) {
          assert.strictEqual(r.code, 0, r.stderr)
        }
        assert.match(uploaded.stdout.trim(), /^README\.md is Available as file-/)
        assert.strictEqual(describeOk.stdout.trim(), "op-done delete_file Completed 100%")
        assert.include(describeMissing.stdout, "not found: Operation op-nope not found.")
        assert.strictEqual(wait.stdout.trim(), "op-upload-5s completed")
        assert.include(waitFailed.stdout, "failed: Operation op-fail-40 failed: File processing failed")
        const lines = watch.stdout.trim().split("\n")
        assert.strictEqual(lines[lines.length - 1], "done")
        assert.match(lines[lines.length - 2]!, /^Completed\s+100%$/)
        assert.strictEqual(testLayer.stdout.trim(), "op-1 upload_file Completed 100%")
        assert.strictEqual(emulator.stdout.trim(), "op-upload-5s is Completed")
      }).pipe(Effect.provide(NodeEmulator.layer({ apiKey: "local-key", seed: "demo" }))),
    60_000
  )

  it.live(
    "assistants (create and wait, list, update, delete and wait) and sync (a dry run, then the sync)",
    () =>
      Effect.gen(function*() {
        const host = yield* NodeEmulator.url
        const discovering = { PINECONE_API_KEY: "local-key", PINECONE_CONTROL_HOST: host }
        const dir = mkdtempSync(join(tmpdir(), "effect-pinecone-sync-example-"))
        try {
          writeFileSync(join(dir, "guide.md"), "# Guide\n")
          writeFileSync(join(dir, "faq.md"), "# FAQ\n")
          writeFileSync(join(dir, "notes.txt"), "not included\n")
          const [assistants, sync] = yield* Effect.all([
            run(example("assistants.ts"), ["example-handbook"], discovering),
            run(example("sync.ts"), ["demo", dir], discovering)
          ], { concurrency: 2 })
          assert.strictEqual(assistants.code, 0, assistants.stderr)
          assert.deepStrictEqual(assistants.stdout.trim().split("\n"), [
            "example-handbook is Ready",
            "the project has demo, example-handbook",
            "example-handbook is gone"
          ])
          assert.strictEqual(sync.code, 0, sync.stderr)
          const lines = sync.stdout.trim().split("\n")
          assert.deepStrictEqual(lines.slice(0, 2).sort(), [
            "create    faq.md  (new)",
            "create    guide.md  (new)"
          ])
          assert.strictEqual(lines[2], "2 created, 0 updated, 0 deleted, 0 unchanged")
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }).pipe(Effect.provide(NodeEmulator.layer({ apiKey: "local-key", seed: "demo" }))),
    60_000
  )

  it.live(
    "pnpm demo (the README's first command) ends well, and each command it prints pastes into a shell",
    () =>
      Effect.gen(function*() {
        const demo = yield* run(example("demo.ts"), [], {})
        assert.strictEqual(demo.code, 0, demo.stdout + demo.stderr)
        assert.include(demo.stdout, "Demo finished: every step ended as expected.")
        assert.include(demo.stdout, `--metadata '{"source":"demo"}'`)
        const printed = demo.stdout.split("\n").filter((l) => l.startsWith("$ pinecone-assistant "))
        assert.isAtLeast(printed.length, 5)
        for (const line of printed) {
          // the shell reads back the words the demo ran
          const command = line.slice(2).replace(/ {4}# .*$/, "")
          const words = yield* exec("bash", ["-c", `printf '%s\\n' ${command}`], {})
          assert.strictEqual(words.code, 0, line)
          assert.notInclude(words.stdout, "{source:demo}", line)
        }
      }),
    120_000
  )
})
