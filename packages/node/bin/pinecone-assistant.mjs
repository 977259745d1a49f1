#!/usr/bin/env node
// The `pinecone-assistant` bin: the CLI that `pnpm build` bundles into dist/. This small file is kept in the
// repository so that a workspace install links the bin, without warnings, before anything is built.
import { existsSync } from "node:fs"

const bundle = new URL("../dist/pinecone-assistant.mjs", import.meta.url)
if (existsSync(bundle)) {
  await import(bundle.href)
} else {
  process.stderr.write(
    "pinecone-assistant is not built: run `pnpm build` (in the repository: `pnpm pinecone-assistant ...`)\n"
  )
  process.exitCode = 70
}
