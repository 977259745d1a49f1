import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import { BaseSequencer, type TestSpecification } from "vitest/node"

// The files that wait longest on child processes (the packed install, the README's and examples'
// programs, the bins under a pseudo-terminal) start first, so that the two workers end together
// instead of one waiting on the packed install at the end. vitest's own order knows durations only
// from an earlier run's cache, which a fresh clone does not have.
const slowFirst = [
  "test/pack.test.ts",
  "test/readme-snippets.test.ts",
  "test/examples.test.ts",
  "packages/node/test/secretsCli.test.ts",
  "packages/core/test/coordination.test.ts",
  "packages/core/test/coordinator.test.ts",
  "packages/node/test/displayCli.test.ts"
]

class SlowFirst extends BaseSequencer {
  override async sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    const sorted = await super.sort(files)
    const rank = (file: TestSpecification) => {
      const i = slowFirst.findIndex((name) => file.moduleId.endsWith(name))
      return i === -1 ? slowFirst.length : i
    }
    return sorted.map((file, i) => ({ file, i })).sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i).map((x) =>
      x.file
    )
  }
}

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
    // a worker keeps the modules it loaded from one file to the next (effect, the library): no test
    // shares state through a module (each builds its own layers, clients and emulators), and loading
    // them again for each of 40 files cost a fifth of the run
    isolate: false,
    sequence: { sequencer: SlowFirst },
    projects: [
      { extends: true, test: { name: "core", include: ["packages/core/test/**/*.test.ts"] } },
      { extends: true, test: { name: "node", include: ["packages/node/test/**/*.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/**/*.test.ts"], exclude: ["test/docs.test.ts"] } },
      // the API reference rendered in Debian's Chromium: `pnpm test:docs`, apart because it needs the browser
      { extends: true, test: { name: "docs", include: ["test/docs.test.ts"] } }
    ]
  }
})
