import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import { assert, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { exec } from "./helpers.js"

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

// Every program of the README whose first line names a file and `npx tsx` runs as written against the
// seeded emulator, with the variables of "Try it offline" (the first example, which takes arguments,
// is run by check:pack and examples/).
const expected: Readonly<Record<string, { readonly code: number; readonly output: RegExp }>> = {
  "first-hour.ts": {
    code: 0,
    output: /^handbook is Ready on http:\/\/127\.0\.0\.1:\d+\n.*package\.json is Available as file-/m
  },
  "files.ts": { code: 0, output: /processing in op-[\s\S]*handbook\.md: Processing[\s\S]*handbook-2026/ },
  "where.ts": { code: 0, output: /^demo lives on http:\/\/127\.0\.0\.1:\d+$/m },
  "describe.ts": { code: 0, output: /^op-done: Completed$/m },
  "wait.ts": { code: 0, output: /^done: op-upload-5s$/m },
  "watch.ts": { code: 0, output: /^failed: File processing failed/m },
  // op-upload-5s may have ended before the listing: what is waited on is what was processing
  "many.ts": { code: 0, output: /^[01] completed, 0 failed, 0 still processing$/m },
  "sync.ts": { code: 0, output: /^created +guide\.md $/m },
  "offline.ts": { code: 0, output: /^op-upload-5s is Completed$/m },
  "report.ts": { code: 1, output: /^OperationFailedError: Operation op-fail-40 failed: File processing failed/m }
}

it.live(
  "every program of the README runs as written against the seeded emulator, with the line its first comment gives",
  () =>
    Effect.gen(function*() {
      const programs = blocks("ts").flatMap((code) => {
        const header = /^\/\/ (\S+\.ts): npx tsx \S+/.exec(code)
        return header === null ? [] : [{ name: header[1]!, code }]
      })
      assert.deepStrictEqual(programs.map((p) => p.name).sort(), Object.keys(expected).sort())
      const dir = `${root}test/.snippets-run`
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(`${dir}/handbook`, { recursive: true })
      writeFileSync(`${dir}/handbook/guide.md`, "# Guide\n")
      for (const p of programs) writeFileSync(`${dir}/${p.name}`, p.code)
      // as in a new project (npm init): a package.json, no README
      writeFileSync(`${dir}/package.json`, JSON.stringify({ name: "my-project", type: "module" }) + "\n")
      const host = yield* NodeEmulator.url
      const results = yield* Effect.forEach(programs, (p) =>
        Effect.map(
          exec(process.execPath, ["--conditions=source", "--import", "tsx", p.name], {
            cwd: dir,
            env: {
              PATH: process.env.PATH ?? "",
              PINECONE_API_KEY: "local-key",
              // where.ts finds the host through the control plane, as its line says
              ...(p.name === "where.ts" || p.name === "first-hour.ts"
                ? { PINECONE_CONTROL_HOST: host }
                : { PINECONE_ASSISTANT_HOST: host })
            }
          }),
          (r) => [p.name, r] as const
        ), { concurrency: 3 })
      for (const [name, r] of results) {
        const want = expected[name]!
        assert.strictEqual(r.code, want.code, `${name}: ${r.stdout}${r.stderr}`)
        assert.match(r.stdout + r.stderr, want.output, name)
        assert.notInclude(r.stderr, "    at ", `${name} printed a stack trace`)
      }
      rmSync(dir, { recursive: true, force: true })
    }).pipe(Effect.provide(NodeEmulator.layer({ apiKey: "local-key", seed: "demo" }))),
  180_000
)
