// The functions of packages/*/src longer than a limit (default 100 lines), innermost first: the
// house keeps each under it, a flat table aside. Prints them and exits 1 if there is one.
import { readFileSync } from "node:fs"
import ts from "typescript"
import { root, sourceFiles } from "./sources.mjs"

const limit = Number(process.argv[2] ?? 100)
const files = sourceFiles()

const long = []
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line + 1
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1
      if (end - start + 1 > limit) long.push(`${file.slice(root.length + 1)}:${start} ${end - start + 1} lines`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}
for (const line of long) console.log(line)
console.log(`${long.length} function(s) over ${limit} lines among ${files.length} source files`)
process.exit(long.length === 0 ? 0 : 1)
