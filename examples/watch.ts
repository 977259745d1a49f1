// Print a progress line for each change of an operation until it is terminal.
import { OperationPoller } from "@effect-pinecone/core"
import { NodeAssistantClient } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Option, Stream } from "effect"

const [assistantName = "demo", operationId = "op-upload-5s"] = process.argv.slice(2)

const program = OperationPoller.watchOperation({ assistantName, operationId }).pipe(
  Stream.runForEach((op) =>
    Console.log(`${op.status.padEnd(10)} ${String(Option.getOrElse(op.percentComplete, () => 0)).padStart(3)}%`)
  ),
  Effect.zipRight(Console.log("done")),
  Effect.catchTag("WaitTimeoutError", (e) => Console.log(e.message))
)

program.pipe(Effect.provide(NodeAssistantClient.layerConfig()), NodeRuntime.runMain)
