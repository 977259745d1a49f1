// The house's structure, checked by the scripts that report it: no runtime import cycle between the
// source files (type-only imports are fine, as in @effect/platform), and no function over 100 lines.
import { assert, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const run = (script: string) =>
  spawnSync(process.execPath, [fileURLToPath(new URL(`../scripts/${script}`, import.meta.url))], { encoding: "utf8" })

it("no runtime import cycle among the packages' source files", () => {
  const result = run("import-cycles.mjs")
  assert.match(result.stdout, /^0 runtime import cycle\(s\) among \d+ source files$/m, result.stdout)
  assert.strictEqual(result.status, 0)
})

it("no function of the packages' sources over 100 lines", () => {
  const result = run("long-functions.mjs")
  assert.match(result.stdout, /^0 function\(s\) over 100 lines among \d+ source files$/m, result.stdout)
  assert.strictEqual(result.status, 0)
})
