// Start the emulator in-process with the demo operations and wait on one of them.
import { OperationPoller } from "@effect-pinecone/core"
import { NodeAssistantClient, NodeEmulator } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Layer, Redacted } from "effect"

const Client = Layer.unwrapEffect(
  Effect.map(NodeEmulator.url, (host) => NodeAssistantClient.layer({ apiKey: Redacted.make("local-key"), host }))
)
const Offline = Client.pipe(Layer.provideMerge(NodeEmulator.layer({ apiKey: "local-key", seed: "demo" })))

const program = OperationPoller.waitForOperation({ assistantName: "demo", operationId: "op-upload-5s" }).pipe(
  Effect.flatMap((op) => Console.log(`${op.id} is ${op.status}`))
)

program.pipe(Effect.provide(Offline), NodeRuntime.runMain)
