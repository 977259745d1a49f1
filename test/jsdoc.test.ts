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
