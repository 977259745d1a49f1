// `pnpm demo`: the emulator in-process on an ephemeral loopback port with the demo operations, then
// what a user would run against it with the pinecone-operation CLI. No account, key or network.
import { main } from "@effect-pinecone/node/Cli"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

const apiKey = "local-key"

const step = (title: string, args: ReadonlyArray<string>, expected: number) =>
  Effect.gen(function*() {
    yield* Console.log(`\n$ pinecone-operation ${args.join(" ")}    # ${title}`)
    const code = yield* main(["node", "pinecone-operation", ...args])
    yield* Console.log(`(exit code ${code})`)
    if (code !== expected) return yield* Effect.dieMessage(`expected exit code ${expected}, got ${code}`)
  })

const demo = Effect.gen(function*() {
  const host = yield* NodeEmulator.url
  yield* Console.log(`Emulator listening on ${host} with the demo operations of assistant "demo".`)
  const common = ["--host", host, "--api-key", apiKey]
  yield* step("wait for the upload that completes in about 5 s", ["wait", "demo", "op-upload-5s", ...common], 0)
  yield* step("describe the operation that failed at 40 %", ["describe", "demo", "op-fail-40", ...common], 0)
  yield* step("wait on it: its typed error is OperationFailedError", ["wait", "demo", "op-fail-40", ...common], 1)
  yield* step("describe an unknown id: NotFoundError", ["describe", "demo", "op-unknown", ...common], 3)
  yield* Console.log("\nDemo finished: every step ended as expected.")
}).pipe(Effect.provide(NodeEmulator.layer({ apiKey, seed: "demo" })))

NodeRuntime.runMain(demo)
