// The house's structure: no runtime import cycle between the source files (type-only imports are
// fine, as in @effect/platform), checked by scripts/import-cycles.mjs.
import { assert, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

it("no runtime import cycle among the packages' source files", () => {
  const script = fileURLToPath(new URL("../scripts/import-cycles.mjs", import.meta.url))
  const result = spawnSync(process.execPath, [script], { encoding: "utf8" })
  assert.match(result.stdout, /^0 runtime import cycle\(s\) among \d+ source files$/m, result.stdout)
  assert.strictEqual(result.status, 0)
})
