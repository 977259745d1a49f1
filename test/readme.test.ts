import { assert, it } from "@effect/vitest"
import { readFileSync } from "node:fs"

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
