// Runtime import cycles between the source files of packages/*/src (type-only imports do not count,
// as in @effect/platform): prints each cycle found and exits 1 if there is one.
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { root, sourceFiles } from "./sources.mjs"

const files = sourceFiles()

// `import x from "./y.js"`, `import { a } from`, `export * from`, but not `import type`/`export type`
const runtimeImport = /^(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["'](\.[^"']+)["']/gm
const edges = new Map()
for (const file of files) {
  const text = readFileSync(file, "utf8")
  const targets = []
  for (const match of text.matchAll(runtimeImport)) {
    // an import whose every name is `type X` is type-only too
    if (/^import\s*\{\s*(?:type\s+\w+\s*,?\s*)+\}/.test(match[0])) continue
    targets.push(resolve(dirname(file), match[1].replace(/\.js$/, ".ts")))
  }
  edges.set(file, targets)
}

const cycles = []
const state = new Map()
const stack = []
const visit = (file) => {
  state.set(file, "open")
  stack.push(file)
  for (const next of edges.get(file) ?? []) {
    if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next])
    else if (!state.has(next)) visit(next)
  }
  stack.pop()
  state.set(file, "done")
}
for (const file of files) if (!state.has(file)) visit(file)
for (const cycle of cycles) console.log(cycle.map((f) => f.slice(root.length + 1)).join(" -> "))
console.log(`${cycles.length} runtime import cycle(s) among ${files.length} source files`)
process.exit(cycles.length === 0 ? 0 : 1)
