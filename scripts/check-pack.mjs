// `pnpm check:pack`: builds both packages, packs them as they would be published, checks the tarballs
// with publint and @arethetypeswrong/cli, then installs them into an empty project outside the
// workspace, where a small program using them must typecheck and run (against the emulator: offline).
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
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

// Runs `f` with the URL of an emulator served by an installed bin.
const withEmulator = async (bin, args, cwd, f) => {
  const emulator = spawn(bin, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] })
  try {
    const url = await new Promise((resolve, reject) => {
      let text = ""
      emulator.stderr.on("data", (d) => {
        text += d
        const match = /listening on (http:\/\/[^\s]+)/.exec(text)
        if (match) resolve(match[1])
      })
      emulator.on("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${text}`)))
    })
    return await f(url)
  } finally {
    emulator.kill("SIGTERM")
  }
}

// The installed bin (the bundled CLI) serves the emulator, then describes and waits against it.
const cliAgainstEmulator = (bin, cwd) =>
  withEmulator(bin, ["emulator", "--port", "0", "--api-key", "pack-key", "--seed", "demo"], cwd, (host) => {
    const cli = (...args) => run(bin, [...args, "--host", host, "--api-key", "pack-key", "--json"], cwd)
    const described = JSON.parse(cli("describe", "demo", "op-done"))
    if (described.status !== "Completed") throw new Error(`unexpected describe output: ${JSON.stringify(described)}`)
    const snapshots = cli("wait", "demo", "op-upload-5s").trim().split("\n").map((line) => JSON.parse(line))
    if (snapshots.at(-1)?.status !== "Completed") throw new Error(`unexpected wait output: ${snapshots}`)
    console.log(
      `the installed pinecone-operation described op-done and waited on op-upload-5s (${snapshots.length} snapshots)`
    )
  })

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

  // The README's Install section, run as written in an empty project (the packages' names replaced by
  // their tarballs, as they are not on the registry): nothing else is installed.
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const install = readme.slice(readme.indexOf("## Install"), readme.indexOf("\n## ", readme.indexOf("## Install") + 1))
  const commandLine = (prefix) => {
    const line = install.split("\n").find((l) => l.startsWith(prefix))
    if (line === undefined) throw new Error(`README's Install section has no line starting with ${prefix}`)
    return line.split(/\s+/).map((word) =>
      word === "@effect-pinecone/core" ? tarballs.core : word === "@effect-pinecone/node" ? tarballs.node : word
    )
  }
  const init = /`(npm init -y && npm pkg set type=module)`/.exec(install)?.[1]
  if (init === undefined) throw new Error("README's Install section does not say how to make a new project")
  const newProject = (name) => {
    const dir = join(work, name)
    mkdirSync(dir)
    for (const step of init.split(" && ")) {
      const [command, ...args] = step.split(" ")
      run(command, args, dir)
    }
    return dir
  }
  const scratch = newProject("scratch")
  const [npm, ...npmArgs] = commandLine("npm i @effect-pinecone/")
  run(npm, [...npmArgs, "--no-audit", "--no-fund", "--loglevel=error"], scratch)
  const installed = JSON.parse(readFileSync(join(scratch, "package.json"), "utf8")).dependencies
  console.log(`installed as the README says: ${Object.keys(installed).join(", ")}`)
  if (installed["@effect/cli"] !== undefined) throw new Error("@effect/cli must not be needed")
  const effectCopies = run("npm", ["ls", "effect", "--all", "--parseable"], scratch).trim().split("\n")
  if (effectCopies.length !== 1) throw new Error(`more than one copy of effect: ${effectCopies.join(", ")}`)

  // The README's first example, saved as upload.ts and run with its "Try it offline" lines (on port 0).
  const firstExample = /```ts\n([\s\S]*?)```/.exec(readme)[1]
  writeFileSync(join(scratch, "upload.ts"), firstExample)
  const offline = /```sh\n(npx pinecone-assistant emulator[\s\S]*?)```/.exec(install)?.[1].trim().split("\n")
  if (offline === undefined || offline.length !== 2) throw new Error("README's Install section lost its offline lines")
  const emulatorArgs = offline[0].replace(/#.*$/, "").trim().split(/\s+/).slice(2)
  await withEmulator(
    join(scratch, "node_modules", ".bin", "pinecone-assistant"),
    [...emulatorArgs, "--port", "0"],
    scratch,
    (url) => {
      const words = offline[1].replaceAll("http://127.0.0.1:4100", url).split(/\s+/)
      const vars = Object.fromEntries(words.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => w.split("=")))
      const [command, ...args] = words.filter((w) => !/^[A-Z_]+=/.test(w))
      // npx asks before it fetches tsx; a person answers yes at the prompt, this answers it so
      const output = execFileSync(command, args, {
        cwd: scratch,
        env: { ...env, ...vars, npm_config_yes: "true" },
        encoding: "utf8"
      })
      process.stdout.write(output)
      if (!/package\.json is Available as file-/.test(output)) {
        throw new Error(`unexpected output of upload.ts: ${output}`)
      }
      console.log("the README's first example ran as written against the installed emulator")
    }
  )

  // A program typechecked against the installed declarations (TypeScript run with npx, not installed).
  writeFileSync(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        lib: ["ES2022", "DOM"],
        types: [],
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
  run("npx", ["-y", "-p", "typescript@5.9", "tsc", "-p", "."], scratch)
  const output = run("node", ["out/main.js"], scratch)
  process.stdout.write(output)
  if (!output.includes("op-done delete_file Completed 100%") || !output.includes("OperationFailedError")) {
    throw new Error(`unexpected output of the scratch program: ${output}`)
  }
  const version = run("npx", ["pinecone-operation", "--version"], scratch)
  if (!version.includes("0.1.0")) throw new Error(`unexpected --version: ${version}`)
  await cliAgainstEmulator(join(scratch, "node_modules", ".bin", "pinecone-operation"), scratch)

  // The README's testing section: its install line (Effect 3's @effect/vitest, named) and its snippet,
  // run by vitest in the scratch project as a reader would.
  const testing = readme.slice(readme.indexOf("### The test layer"), readme.indexOf("### The emulator"))
  const vitestLine = /```sh\n(npm i -D @effect\/vitest[^\n]*)\n```/.exec(testing)?.[1]
  const testSnippet = /```ts\n([\s\S]*?)```/.exec(testing)?.[1]
  if (vitestLine === undefined || testSnippet === undefined) {
    throw new Error("README's test layer section lost its lines")
  }
  const [vitestNpm, ...vitestArgs] = vitestLine.replace(/#.*$/, "").trim().split(/\s+/)
  run(vitestNpm, [...vitestArgs, "--no-audit", "--no-fund", "--loglevel=error"], scratch)
  const effectAfter = run("npm", ["ls", "effect", "--all", "--parseable"], scratch).trim().split("\n")
  if (effectAfter.length !== 1) throw new Error(`@effect/vitest brought another effect: ${effectAfter.join(", ")}`)
  writeFileSync(join(scratch, "readme.test.ts"), testSnippet)
  const vitestOutput = run("npx", ["vitest", "run", "readme.test.ts"], scratch)
  // eslint-disable-next-line no-control-regex
  if (!/Tests\s+2 passed/.test(vitestOutput.replace(/\u001b\[[0-9;]*m/g, ""))) {
    throw new Error(`the README's test snippet: ${vitestOutput}`)
  }
  console.log("the README's test layer snippet passed under the @effect/vitest its install line names")

  // The pnpm line, in a project of its own.
  const pnpmScratch = newProject("scratch-pnpm")
  // Unlike npm, pnpm resolves the node package's dependency on the core from the registry even with the
  // core's tarball on the same line: pointed at the tarball, as publishing would make it resolvable.
  const manifest = JSON.parse(readFileSync(join(pnpmScratch, "package.json"), "utf8"))
  manifest.pnpm = { overrides: { "@effect-pinecone/core": `file:${tarballs.core}` } }
  writeFileSync(join(pnpmScratch, "package.json"), JSON.stringify(manifest, null, 2))
  const [pnpm, ...pnpmArgs] = commandLine("pnpm add @effect-pinecone/")
  run(pnpm, [...pnpmArgs, "--reporter=silent"], pnpmScratch)
  const pnpmVersion = run("pnpm", ["exec", "pinecone-assistant", "--version"], pnpmScratch)
  if (!pnpmVersion.includes("0.1.0")) throw new Error(`unexpected --version under pnpm: ${pnpmVersion}`)
  run(
    "node",
    [
      "--input-type=module",
      "-e",
      "const m = await import('@effect-pinecone/node'); if (!m.NodeAssistantClient) process.exit(1)"
    ],
    pnpmScratch
  )
  console.log("the README's pnpm line installs a project that imports the packages and runs the bin")
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
