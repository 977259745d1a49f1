import { assert, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const readme = readFileSync(`${root}README.md`, "utf8")
const blocks = (lang: string) =>
  Array.from(readme.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g")), (m) => m[1]!)

const tsc = (project: string) =>
  Effect.async<{ code: number | null; output: string }>((resume) => {
    const child = spawn(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", project], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("close", (code) => resume(Effect.succeed({ code, output })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

it.live(
  "every TypeScript snippet of the README typechecks as written, each as a module of its own",
  () =>
    Effect.gen(function*() {
      const snippets = blocks("ts")
      assert.isAtLeast(snippets.length, 10)
      const dir = `${root}test/.snippets`
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
      snippets.forEach((code, i) => writeFileSync(`${dir}/readme-${i + 1}.ts`, `${code}\nexport {}\n`))
      writeFileSync(
        `${dir}/tsconfig.json`,
        JSON.stringify({
          extends: "../../tsconfig.base.json",
          include: ["*.ts"],
          compilerOptions: {
            noEmit: true,
            composite: false,
            incremental: false,
            declaration: false,
            declarationMap: false,
            // a snippet may define what the reader would go on to use
            noUnusedLocals: false,
            plugins: []
          }
        })
      )
      const result = yield* tsc(dir)
      assert.strictEqual(result.code, 0, result.output)
      // the check can fail: a snippet with an undefined name does not typecheck
      writeFileSync(`${dir}/readme-broken.ts`, `${snippets[0]}\nconsole.log(ids)\nexport {}\n`)
      const broken = yield* tsc(dir)
      assert.notStrictEqual(broken.code, 0)
      assert.include(broken.output, "readme-broken.ts")
      rmSync(dir, { recursive: true, force: true })
    }),
  180_000
)

it("the install lines name the Effect 3 versions; the OpenTelemetry line names every peer of @effect/opentelemetry", () => {
  const sh = blocks("sh").join("\n").replace(/\\\n\s*/g, "")
  for (const manager of ["npm i", "pnpm add"]) {
    const line = sh.split("\n").find((l) => l.startsWith(`${manager} @effect-pinecone/core @effect-pinecone/node`))
    assert.isDefined(line, manager)
    for (const pkg of ["effect@3.22", "@effect/platform@0.97", "@effect/platform-node@0.108"]) {
      assert.include(line!.split(" "), pkg)
    }
  }
  const otel = sh.split("\n").find((l) => l.startsWith("npm i @effect/opentelemetry@0.64"))
  assert.isDefined(otel)
  const require = createRequire(import.meta.url)
  const manifest = JSON.parse(readFileSync(require.resolve("@effect/opentelemetry/package.json"), "utf8"))
  const peers = Object.keys(manifest.peerDependencies).filter((p) => p.startsWith("@opentelemetry/"))
  assert.isAtLeast(peers.length, 5)
  for (const peer of peers) assert.match(otel!, new RegExp(`${peer}@\\d`), peer)
})
