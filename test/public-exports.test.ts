// The public face of both packages, values and types, read by the TypeScript checker and compared
// with the list in public-exports.json: a name that disappears (a rename without a deprecated alias,
// a module moved under internal/) fails here, and so does a new one not yet recorded. After adding
// exports on purpose: `UPDATE_PUBLIC_EXPORTS=1 pnpm vitest run --project e2e test/public-exports.test.ts`.
import { assert, it } from "@effect/vitest"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("..", import.meta.url))
const listFile = `${root}test/public-exports.json`

const publicModules = ["core", "node"].flatMap((p) =>
  readdirSync(`${root}packages/${p}/src`)
    .filter((f) => f.endsWith(".ts") && !f.endsWith("bin.ts") && f !== "assistantBin.ts")
    .map((f) => ({ key: `${p}/${f.replace(/\.ts$/, "")}`, file: `${root}packages/${p}/src/${f}` }))
)

const exportsOf = (): Record<string, Array<string>> => {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.base.json`, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined
  })
  const program = ts.createProgram(publicModules.map((m) => m.file), {
    ...config?.options,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false
  })
  const checker = program.getTypeChecker()
  const result: Record<string, Array<string>> = {}
  for (const { file, key } of publicModules) {
    const source = program.getSourceFile(file)!
    const symbol = checker.getSymbolAtLocation(source)!
    result[key] = checker.getExportsOfModule(symbol).map((s) => s.getName()).sort()
  }
  return result
}

it("the public exports of both packages are the recorded ones: none removed, none added unrecorded", () => {
  const current = exportsOf()
  if (process.env.UPDATE_PUBLIC_EXPORTS === "1" || !existsSync(listFile)) {
    writeFileSync(listFile, JSON.stringify(current, null, 2) + "\n")
  }
  const recorded = JSON.parse(readFileSync(listFile, "utf8")) as Record<string, Array<string>>
  const removed: Array<string> = []
  const added: Array<string> = []
  for (const [module, names] of Object.entries(recorded)) {
    for (const name of names) if (!current[module]?.includes(name)) removed.push(`${module}.${name}`)
  }
  for (const [module, names] of Object.entries(current)) {
    for (const name of names) if (!recorded[module]?.includes(name)) added.push(`${module}.${name}`)
  }
  assert.deepStrictEqual(removed, [], "public names removed (keep them, as deprecated aliases if renamed)")
  assert.deepStrictEqual(added, [], "public names not recorded in test/public-exports.json")
  assert.isAbove(Object.values(current).flat().length, 200)
}, 60_000)
