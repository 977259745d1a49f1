import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

// The workspace packages resolve to their TypeScript sources in tests (their "source" export condition).
const alias = [
  {
    find: /^@effect-pinecone\/(core|node)$/,
    replacement: fileURLToPath(new URL("./packages/$1/src/index.ts", import.meta.url))
  },
  {
    find: /^@effect-pinecone\/(core|node)\/(.*)$/,
    replacement: fileURLToPath(new URL("./packages/$1/src/$2.ts", import.meta.url))
  }
]

export default defineConfig({
  resolve: { alias },
  test: {
    // vitest's default on a machine of n cores is n - 1 workers: one on CI's two. Most of the slowest
    // files wait on child processes and sockets (the packed install, the README's programs, the bins
    // under a pseudo-terminal), so two workers overlap them with the rest.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      { extends: true, test: { name: "core", include: ["packages/core/test/**/*.test.ts"] } },
      { extends: true, test: { name: "node", include: ["packages/node/test/**/*.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/**/*.test.ts"], exclude: ["test/docs.test.ts"] } },
      // the API reference rendered in Debian's Chromium: `pnpm test:docs`, apart because it needs the browser
      { extends: true, test: { name: "docs", include: ["test/docs.test.ts"] } }
    ]
  }
})
