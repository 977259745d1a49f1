import { assert, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

it("the packed packages pass publint and attw, install into a scratch project, typecheck and run there", () => {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL("../scripts/check-pack.mjs", import.meta.url))], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("..", import.meta.url))
  })
  assert.strictEqual(result.status, 0, `${result.stdout}\n${result.stderr}`)
  assert.include(result.stdout, "op-done delete_file Completed 100%")
  assert.include(result.stdout, "the installed pinecone-operation described op-done and waited on op-upload-5s")
  assert.include(result.stdout, "check:pack ok")
}, 600_000)
