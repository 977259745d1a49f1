import { assert, it } from "@effect/vitest"
import { existsSync, readFileSync } from "node:fs"

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")

it("the README's test-layer example is test/readme-test-layer.test.ts, verbatim", () => {
  const file = readFileSync(new URL("./readme-test-layer.test.ts", import.meta.url), "utf8")
  assert.include(readme, "```ts\n" + file + "```")
})

it("the README keeps its two commands at the top", () => {
  const head = readme.split("\n").slice(0, 15).join("\n")
  assert.include(head, "npm i -g pnpm@10.34.8 && pnpm install --frozen-lockfile && pnpm demo")
  assert.include(head, "npm i -g pnpm@10.34.8 && pnpm install --frozen-lockfile && pnpm test")
})

it("the README's first example is examples/upload-and-wait.ts, verbatim (the examples test runs it)", () => {
  const file = readFileSync(new URL("../examples/upload-and-wait.ts", import.meta.url), "utf8")
  const first = readme.indexOf("```ts\n")
  assert.strictEqual(readme.indexOf("```ts\n" + file + "```"), first)
})

it("the README says near the top which Effect this supports and what an Effect 4 project meets", () => {
  const head = readme.split("\n").slice(0, 30).join("\n")
  assert.include(head, "**Effect 3 only.**")
  assert.include(head, "Effect 4")
  assert.include(head, "silently replace it")
})

it("every bin of the workspace packages is a file kept in the repository (a fresh install links it without a warning)", () => {
  for (const pkg of ["core", "node"]) {
    const manifest = JSON.parse(readFileSync(new URL(`../packages/${pkg}/package.json`, import.meta.url), "utf8"))
    for (const bin of Object.values<string>(manifest.bin ?? {})) {
      assert.isFalse(bin.includes("dist/"), `${pkg}: ${bin} exists only after a build`)
      assert.isTrue(existsSync(new URL(`../packages/${pkg}/${bin}`, import.meta.url)), `${pkg}: ${bin}`)
    }
  }
})
