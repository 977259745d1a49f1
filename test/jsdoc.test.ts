// Every export of the public modules carries JSDoc with @since and @category (house style), which the
// reference docs are generated from.
import { assert, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const publicModules = ["core", "node"].flatMap((p) => {
  const dir = fileURLToPath(new URL(`../packages/${p}/src/`, import.meta.url))
  return readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "bin.ts").map((f) =>
    `${dir}${f}`
  )
})

it("every export of a public module has JSDoc with @since and @category", () => {
  const missing: Array<string> = []
  for (const file of publicModules) {
    const lines = readFileSync(file, "utf8").split("\n")
    lines.forEach((line, i) => {
      if (!/^export (const|class|interface|type|function|declare) /.test(line)) return
      let j = i - 1
      while (j >= 0 && lines[j]!.trim() === "") j--
      if (!lines[j]!.trim().endsWith("*/")) return missing.push(`${file}:${i + 1} has no JSDoc`)
      let k = j
      while (k >= 0 && !lines[k]!.includes("/**")) k--
      const doc = lines.slice(k, j + 1).join("\n")
      if (!doc.includes("@since")) missing.push(`${file}:${i + 1} has no @since`)
      if (!doc.includes("@category")) missing.push(`${file}:${i + 1} has no @category`)
    })
  }
  assert.isAbove(publicModules.length, 5)
  assert.deepStrictEqual(missing, [])
})

// The changesets decide the next version: every @since is the released version or earlier, or the
// version the pending changesets make (a minor one bumps 0.1.0 to 0.2.0), never a later one.
it("every @since is a released version or the one the pending changesets make", () => {
  const root = fileURLToPath(new URL("..", import.meta.url))
  const released = JSON.parse(readFileSync(`${root}packages/core/package.json`, "utf8")).version as string
  const bumps = readdirSync(`${root}.changeset`).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) =>
    readFileSync(`${root}.changeset/${f}`, "utf8")
  )
  const [major, minor, patch] = released.split(".").map(Number) as [number, number, number]
  const level = bumps.some((b) => /: major$/m.test(b)) ? 0 : bumps.some((b) => /: minor$/m.test(b)) ? 1 : 2
  const next = level === 2
    ? `${major}.${minor}.${patch + 1}`
    : level === 1
    ? `${major}.${minor + 1}.0`
    : `${major + 1}.0.0`
  const allowed = (v: string) => v === next || v.localeCompare(released, undefined, { numeric: true }) <= 0
  const wrong: Array<string> = []
  for (const file of publicModules) {
    for (const match of readFileSync(file, "utf8").matchAll(/@since (\d+\.\d+\.\d+)/g)) {
      if (!allowed(match[1]!)) wrong.push(`${file}: @since ${match[1]} (released ${released}, next ${next})`)
    }
  }
  assert.isAbove(bumps.length, 0)
  assert.deepStrictEqual(wrong, [])
})
