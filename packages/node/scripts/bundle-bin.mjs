// Bundles each CLI into one file, dist/pinecone-operation.mjs and dist/pinecone-assistant.mjs, which
// the package's `bin` runs:
// Node loads one file much faster than the few hundred modules of effect, @effect/cli and
// @effect/platform-node (`--help` in about 0.2 s instead of 0.5 s; BENCHMARKS.md section 4). The
// command handlers stay lazily initialised inside it. The library entry points are not bundled.
import { build } from "esbuild"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

for (const [entry, bin] of [["bin", "pinecone-operation"], ["assistantBin", "pinecone-assistant"]]) {
  await build({
    entryPoints: [`${root}dist/${entry}.js`],
    outfile: `${root}dist/${bin}.mjs`,
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    legalComments: "none",
    // bundled CommonJS dependencies (undici) still call require for Node's builtins
    banner: {
      js:
        "import { createRequire as __createRequire } from \"node:module\"; const require = __createRequire(import.meta.url);"
    },
    logLevel: "warning"
  })
}
