// The TypeScript source files of packages/*/src, for the structure checks.
import { readdirSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

export const sourceFiles = () => {
  const files = []
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (path.endsWith(".ts")) files.push(path)
    }
  }
  for (const pkg of ["core", "node"]) walk(join(root, "packages", pkg, "src"))
  return files
}
