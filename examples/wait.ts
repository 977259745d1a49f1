// Wait for an operation within a budget, handling each way it can end.
import { OperationPoller } from "@effect-pinecone/core"
import { NodeAssistantClient } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect } from "effect"

const [assistantName = "demo", operationId = "op-upload-5s"] = process.argv.slice(2)

const program = OperationPoller.waitForOperation({ assistantName, operationId, timeout: "2 minutes" }).pipe(
  Effect.flatMap((op) => Console.log(`${op.id} completed`)),
  Effect.catchTags({
    OperationFailedError: (e) => Console.log(`failed: ${e.message}`),
    WaitTimeoutError: (e) => Console.log(`still running: ${e.message}`),
    NotFoundError: (e) => Console.log(`not found: ${e.message}`)
  })
)

program.pipe(Effect.provide(NodeAssistantClient.layerConfig()), NodeRuntime.runMain)
