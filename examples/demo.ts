// `pnpm demo`: the emulator in-process on an ephemeral loopback port with the demo operations, then
// what a user would run against it with the pinecone-assistant CLI, beginning by creating an
// assistant. No account, key or network.
// (The CLI is the package's bin; the demo runs its command tree in-process, from the workspace.)
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { main } from "../packages/node/src/internal/cli/assistant.js"

const apiKey = "local-key"

// each printed line can be pasted into a shell as it is
const shellWord = (arg: string) => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`

const step = (title: string, args: ReadonlyArray<string>, expected: number) =>
  Effect.gen(function*() {
    yield* Console.log(`\n$ pinecone-assistant ${args.map(shellWord).join(" ")}    # ${title}`)
    const code = yield* main(["node", "pinecone-assistant", ...args])
    yield* Console.log(`(exit code ${code})`)
    if (code !== expected) return yield* Effect.dieMessage(`expected exit code ${expected}, got ${code}`)
  })

const demo = Effect.gen(function*() {
  const host = yield* NodeEmulator.url
  yield* Console.log(`Emulator listening on ${host} with the demo operations of assistant "demo".`)
  // the control plane only, as against Pinecone: each assistant's host is found through it
  const common = ["--control-host", host, "--api-key", apiKey]
  yield* step("create an assistant and wait until it is Ready", [
    "assistants",
    "create",
    "handbook",
    "--instructions",
    "Answer from the handbook.",
    "--wait",
    ...common
  ], 0)
  yield* step("upload this README to it and wait until it is processed", [
    "files",
    "upload",
    "handbook",
    "README.md",
    "--metadata",
    "{\"source\":\"demo\"}",
    "--wait",
    ...common
  ], 0)
  yield* step("list the assistant's files", ["files", "list", "handbook", ...common], 0)
  yield* step("list the project's assistants", ["assistants", "list", ...common], 0)
  yield* step("wait for the upload that completes in about 5 s", [
    "operations",
    "wait",
    "demo",
    "op-upload-5s",
    ...common
  ], 0)
  yield* step(
    "describe the operation that failed at 40 %",
    ["operations", "describe", "demo", "op-fail-40", ...common],
    0
  )
  yield* step("wait on it: its typed error is OperationFailedError", [
    "operations",
    "wait",
    "demo",
    "op-fail-40",
    ...common
  ], 1)
  yield* step("describe an unknown id: NotFoundError", ["operations", "describe", "demo", "op-unknown", ...common], 3)
  yield* step("upload a file type the API does not process: refused before sending", [
    "files",
    "upload",
    "demo",
    "pnpm-lock.yaml",
    ...common
  ], 2)
  yield* Console.log("\nDemo finished: every step ended as expected.")
}).pipe(Effect.provide([NodeEmulator.layer({ apiKey, seed: "demo" }), NodeTerminal.layer]))

NodeRuntime.runMain(demo)
