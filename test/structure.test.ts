// The house's structure, checked by the scripts that report it: no runtime import cycle between the
// source files (type-only imports are fine, as in @effect/platform), no function over 100 lines, no
// source file over 500 lines, and no CLI printing around Effect's Terminal and Console.
import { assert, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
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

const sources = (dir: string): Array<string> =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f))

it("no source file over 500 lines", () => {
  const root = fileURLToPath(new URL("../packages", import.meta.url))
  const files = ["core", "node"].flatMap((p) => sources(join(root, p, "src")))
  assert.isAbove(files.length, 40)
  const long = files.map((f) => [f, readFileSync(f, "utf8").split("\n").length] as const).filter(([, n]) => n > 500)
  assert.deepStrictEqual(long, [])
})

it("the CLIs print through Effect's Terminal and Console: no process.stdout or process.stderr outside the bin entry", () => {
  const src = fileURLToPath(new URL("../packages/node/src", import.meta.url))
  const files = sources(src)
  const touching = files.filter((f) => /process\.(stdout|stderr)/.test(readFileSync(f, "utf8")))
  assert.deepStrictEqual(touching.map((f) => f.slice(src.length + 1)), ["internal/cli/bin.ts"])
})

it("the wire rules and the other plain rules import nothing of Effect", () => {
  const core = fileURLToPath(new URL("../packages/core/src/internal/", import.meta.url))
  const plain = ["wire.ts", "requestKind.ts", "sha256.ts", "sync/globs.ts", "sync/plan.ts", "throttle/bucket.ts"]
  const importing = plain.filter((f) => /from "(effect|@effect\/)/.test(readFileSync(join(core, f), "utf8")))
  assert.deepStrictEqual(importing, [])
})
