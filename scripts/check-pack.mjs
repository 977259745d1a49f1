// `pnpm check:pack`: builds both packages, packs them as they would be published, checks the tarballs
// with publint and @arethetypeswrong/cli, then installs them into an empty project outside the
// workspace, where a small program using them must typecheck and run (against the emulator: offline).
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
// npm, run from a pnpm script, would otherwise complain about pnpm's own npm_config_* settings
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_config_"))
)
const run = (command, args, cwd = root, stderr = "inherit") => {
  console.log(`$ ${command} ${args.join(" ")}${cwd === root ? "" : `   (in ${cwd})`}`)
  return execFileSync(command, args, { cwd, env, stdio: ["ignore", "pipe", stderr], encoding: "utf8" })
}

// The installed bin (the bundled CLI) serves the emulator, then describes and waits against it.
const cliAgainstEmulator = async (bin, cwd) => {
  const emulator = spawn(bin, ["emulator", "--port", "0", "--api-key", "pack-key", "--seed", "demo"], {
    cwd,
    env,
    stdio: ["ignore", "ignore", "pipe"]
  })
  try {
    const host = await new Promise((resolve, reject) => {
      let text = ""
      emulator.stderr.on("data", (d) => {
        text += d
        const match = /listening on (http:\/\/[^\s]+)/.exec(text)
        if (match) resolve(match[1])
      })
      emulator.on("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${text}`)))
    })
    const cli = (...args) => run(bin, [...args, "--host", host, "--api-key", "pack-key", "--json"], cwd)
    const described = JSON.parse(cli("describe", "demo", "op-done"))
    if (described.status !== "Completed") throw new Error(`unexpected describe output: ${JSON.stringify(described)}`)
    const snapshots = cli("wait", "demo", "op-upload-5s").trim().split("\n").map((line) => JSON.parse(line))
    if (snapshots.at(-1)?.status !== "Completed") throw new Error(`unexpected wait output: ${snapshots}`)
    console.log(
      `the installed pinecone-operation described op-done and waited on op-upload-5s (${snapshots.length} snapshots)`
    )
  } finally {
    emulator.kill("SIGTERM")
  }
}

const work = mkdtempSync(join(tmpdir(), "effect-pinecone-pack-"))
try {
  for (const p of ["core", "node"]) rmSync(join(root, "packages", p, "dist"), { recursive: true, force: true })
  rmSync(join(root, "packages", "core", ".tsbuildinfo", "src.tsbuildinfo"), { force: true })
  rmSync(join(root, "packages", "node", ".tsbuildinfo", "src.tsbuildinfo"), { force: true })
  run("pnpm", ["build"])

  const tarballs = {}
  for (const p of ["core", "node"]) {
    run("pnpm", ["pack", "--pack-destination", work], join(root, "packages", p))
    const file = readdirSync(work).find((f) => f.startsWith(`effect-pinecone-${p}-`) && f.endsWith(".tgz"))
    tarballs[p] = join(work, file)
    const extracted = join(work, `extract-${p}`)
    mkdirSync(extracted)
    run("tar", ["-xzf", tarballs[p], "-C", extracted])
    process.stdout.write(
      run("pnpm", ["exec", "publint", "run", join(extracted, "package"), "--strict", "--pack", "false"])
    )
    process.stdout.write(
      run("pnpm", ["exec", "attw", tarballs[p], "--profile", "esm-only", "--format", "table-flipped"])
    )
  }

  const scratch = join(work, "scratch")
  mkdirSync(scratch)
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify(
      {
        name: "scratch",
        private: true,
        type: "module",
        dependencies: {
          "@effect-pinecone/core": `file:${tarballs.core}`,
          "@effect-pinecone/node": `file:${tarballs.node}`,
          "@effect/cli": "0.77.2",
          "@effect/cluster": "0.60.2",
          "@effect/experimental": "0.61.1",
          "@effect/platform": "0.97.2",
          "@effect/platform-node": "0.108.2",
          "@effect/printer": "0.51.0",
          "@effect/printer-ansi": "0.51.0",
          "@effect/rpc": "0.76.2",
          "@effect/sql": "0.52.1",
          "@effect/workflow": "0.19.1",
          effect: "3.22.4"
        },
        devDependencies: { typescript: "~5.9.3", "@types/node": "^20.19.0" }
      },
      null,
      2
    )
  )
  writeFileSync(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        lib: ["ES2022", "DOM"],
        types: ["node"],
        outDir: "out"
      },
      include: ["main.ts"]
    })
  )
  writeFileSync(
    join(scratch, "main.ts"),
    `import { AssistantClient, Operation, OperationPoller } from "@effect-pinecone/core"
import { NodeAssistantClient, NodeEmulator } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Layer, Redacted } from "effect"

const Client = Layer.unwrapEffect(
  Effect.map(NodeEmulator.url, (host) => NodeAssistantClient.layer({ apiKey: Redacted.make("local-key"), host }))
)
const Offline = Client.pipe(Layer.provideMerge(NodeEmulator.layer({ apiKey: "local-key", seed: "demo" })))

const program = Effect.gen(function*() {
  const done = yield* AssistantClient.describeOperation({ assistantName: "demo", operationId: "op-done" })
  yield* Console.log(Operation.summary(done))
  const failed = yield* OperationPoller.waitForOperation({ assistantName: "demo", operationId: "op-fail-40" }).pipe(Effect.flip)
  yield* Console.log(failed._tag)
})

program.pipe(Effect.provide(Offline), NodeRuntime.runMain)
`
  )
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], scratch)
  run("npx", ["tsc", "-p", "."], scratch)
  const output = run("node", ["out/main.js"], scratch)
  process.stdout.write(output)
  if (!output.includes("op-done delete_file Completed 100%") || !output.includes("OperationFailedError")) {
    throw new Error(`unexpected output of the scratch program: ${output}`)
  }
  const version = run("npx", ["pinecone-operation", "--version"], scratch)
  if (!version.includes("0.1.0")) throw new Error(`unexpected --version: ${version}`)
  await cliAgainstEmulator(join(scratch, "node_modules", ".bin", "pinecone-operation"), scratch)
  const internal = (() => {
    try {
      run(
        "node",
        ["--input-type=module", "-e", "await import('@effect-pinecone/core/internal/http')"],
        scratch,
        "ignore"
      )
      return "importable"
    } catch {
      return "blocked"
    }
  })()
  if (internal !== "blocked") throw new Error("internal modules must not be importable")
  console.log(
    "check:pack ok: publint and attw clean; the packed packages install, typecheck and run in a scratch project"
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
