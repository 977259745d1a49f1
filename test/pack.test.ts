import { assert, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import { exec } from "./helpers.js"

// Run in a child process without blocking this worker: a worker blocked for a minute cannot answer
// vitest's RPC, which fails the whole run on a busy machine.
const checkPack = exec(process.execPath, [fileURLToPath(new URL("../scripts/check-pack.mjs", import.meta.url))], {
  cwd: fileURLToPath(new URL("..", import.meta.url))
})

it.live(
  "the packed packages pass publint and attw, install into a scratch project, typecheck and run there",
  () =>
    Effect.gen(function*() {
      const result = yield* checkPack
      assert.strictEqual(result.code, 0, `${result.stdout}\n${result.stderr}`)
      assert.include(result.stdout, "op-done delete_file Completed 100%")
      assert.include(result.stdout, "the installed pinecone-operation described op-done and waited on op-upload-5s")
      assert.include(result.stdout, "the README's first example ran as written against the installed emulator")
      assert.include(
        result.stdout,
        "the README's pnpm line installs a project that imports the packages and runs the bin"
      )
      assert.notInclude(
        result.stdout.split("installed as the README says:")[1]?.split("\n")[0] ?? "@effect/cli",
        "@effect/cli"
      )
      assert.include(
        result.stdout,
        "the README's test layer snippet passed under the @effect/vitest its install line names"
      )
      assert.include(result.stdout, "check:pack ok")
    }),
  600_000
)
